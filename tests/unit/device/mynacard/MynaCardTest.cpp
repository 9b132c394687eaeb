// The card client against the virtual card in-process (the same emulator pcscd talks to in the
// integration tests).

#include "device/mynacard/MynaCard.h"

#include "device/mynacard/VerificationCodeB.h"
#include "support/VirtualCards.h"

namespace zaitaku::device
{
namespace
{

using test::makeVirtualCard;

// Records every command that reaches the card.
class RecordingChannel final : public CardChannel
{
public:
    explicit RecordingChannel(CardChannel& inner)
        : m_inner(inner)
    {}
    Expected<base::Bytes, Error> transmit(base::ByteView command, std::chrono::milliseconds timeout) override
    {
        sent.emplace_back(command.begin(), command.end());
        return m_inner.transmit(command, timeout);
    }
    base::Bytes atr() const override { return m_inner.atr(); }
    Expected<void, Error> disconnect(Disposition d) override { return m_inner.disconnect(d); }
    std::vector<base::Bytes> sent;

private:
    CardChannel& m_inner;
};

struct Session
{
    std::unique_ptr<hardware::VirtualCard> card;
    std::unique_ptr<hardware::VirtualCardChannel> channel;
    std::unique_ptr<RecordingChannel> recorder;
    std::unique_ptr<MynaCard> myna;

    explicit Session(const std::string& persona)
        : card(makeVirtualCard(persona))
        , channel(std::make_unique<hardware::VirtualCardChannel>(*card))
        , recorder(std::make_unique<RecordingChannel>(*channel))
        , myna(std::make_unique<MynaCard>(*recorder))
    {}
    int verifies() const
    {
        int n = 0;
        for (const auto& c : recorder->sent) {
            n += c.size() > 5 && c[1] == 0x20 ? 1 : 0;
        }
        return n;
    }
};

SecretDigits pin(const char* digits)
{
    return makeAuthPin(digits).value();
}

TEST(MynaCardTest, ClassifiesEveryPersona)
{
    struct Expect
    {
        const char* persona;
        bool signCert;
        bool pinSet;
        bool faceOnly;
    };
    for (const Expect& e : {Expect{"valid", true, true, false}, Expect{"child", false, true, false},
                            Expect{"face-auth-only", false, false, true}, Expect{"blocked", true, true, false}}) {
        Session s(e.persona);
        auto info = s.myna->classify();
        ASSERT_TRUE(info.has_value()) << e.persona << ": " << info.error().message;
        EXPECT_EQ(info->tokenLabel, "JPKIAPICCTOKEN2");
        EXPECT_EQ(info->tokenType, TokenType::PlasticCard);
        EXPECT_EQ(info->signCertPresent, e.signCert) << e.persona;
        EXPECT_EQ(info->authPinSet, e.pinSet) << e.persona;
        EXPECT_EQ(info->faceAuthOnly, e.faceOnly) << e.persona;
    }
}

TEST(MynaCardTest, ReadsTheAuthCertificateChainWithoutAPin)
{
    Session s("valid");
    auto cert = s.myna->readAuthCertificate();
    auto ca = s.myna->readAuthCaCertificate();
    ASSERT_TRUE(cert.has_value() && ca.has_value());
    EXPECT_EQ(*cert, s.card->image().authCertificateDer);
    EXPECT_GT(cert->size(), 512u); // several 256-byte chunks
    EXPECT_TRUE(*isIssuedBy(*cert, *ca));
    auto info = parseCertificate(*cert);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->publicKeyBits, 2048);
    EXPECT_FALSE(info->serialHex.empty());
    EXPECT_EQ(s.verifies(), 0);
}

TEST(MynaCardTest, ExpiredAndExpiringCertificatesCarryTheirDates)
{
    Session expired("expired-cert");
    auto info = parseCertificate(*expired.myna->readAuthCertificate());
    ASSERT_TRUE(info.has_value());
    EXPECT_LT(info->notAfter.utc(), std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    Session expiring("expiring-cert");
    auto soon = parseCertificate(*expiring.myna->readAuthCertificate());
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    EXPECT_GT(soon->notAfter.utc(), now);
    EXPECT_LT(soon->notAfter.utc(), now + std::chrono::hours(24 * 90));
}

TEST(MynaCardTest, PinThenSignatureVerifiesOnTheHost)
{
    Session s("valid");
    auto status = s.myna->authPinStatus();
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(status->state, PinState::Available);
    EXPECT_EQ(status->triesLeft, 3);
    auto outcome = s.myna->verifyAuthPin(pin("1234"));
    ASSERT_TRUE(outcome.has_value());
    EXPECT_TRUE(outcome->verified);
    const base::Bytes challenge = base::fromHex("0123456789ABCDEF0123456789ABCDEF").value();
    auto signature = s.myna->signChallenge(challenge);
    ASSERT_TRUE(signature.has_value()) << signature.error().message;
    EXPECT_EQ(signature->size(), 256u);
    const base::Bytes cert = s.card->image().authCertificateDer;
    EXPECT_TRUE(*verifySha256Signature(cert, challenge, *signature));
    base::Bytes tampered = challenge;
    tampered[0] ^= 1;
    EXPECT_FALSE(*verifySha256Signature(cert, tampered, *signature));
}

TEST(MynaCardTest, SigningWithoutAVerifiedPinIsRefused)
{
    Session s("valid");
    auto signature = s.myna->signChallenge(base::Bytes{1, 2, 3});
    ASSERT_FALSE(signature.has_value());
    EXPECT_TRUE(s.recorder->sent.empty());
}

TEST(MynaCardTest, WrongPinReportsTriesAndIsNeverResent)
{
    Session s("valid");
    auto first = s.myna->verifyAuthPin(pin("9999"));
    ASSERT_TRUE(first.has_value());
    EXPECT_FALSE(first->verified);
    EXPECT_EQ(first->triesLeft, 2);
    const std::size_t sentBefore = s.recorder->sent.size();
    auto again = s.myna->verifyAuthPin(pin("9999"));
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code, Errc::PinRepeated);
    EXPECT_EQ(s.recorder->sent.size(), sentBefore); // nothing reached the card
    EXPECT_EQ(s.verifies(), 1);
    // A different PIN is the patient's new decision: sent once.
    auto other = s.myna->verifyAuthPin(pin("8888"));
    ASSERT_TRUE(other.has_value());
    EXPECT_EQ(other->triesLeft, 1);
    // Now one try is left: refused without a staff override, before any VERIFY is sent.
    auto last = s.myna->verifyAuthPin(pin("1234"));
    ASSERT_FALSE(last.has_value());
    EXPECT_EQ(last.error().code, Errc::PinLastTry);
    EXPECT_EQ(s.verifies(), 2);
    auto overridden = s.myna->verifyAuthPin(pin("1234"), LastTryOverride{"nurse-042"});
    ASSERT_TRUE(overridden.has_value());
    EXPECT_TRUE(overridden->verified);
    EXPECT_EQ(s.myna->authPinStatus()->triesLeft, 3); // success resets the counter
}

TEST(MynaCardTest, OneTryLeftCardIsRefusedUnlessStaffOverride)
{
    Session s("one-try-left");
    auto refused = s.myna->verifyAuthPin(pin("1234"));
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, Errc::PinLastTry);
    EXPECT_EQ(s.verifies(), 0);
    auto emptyStaff = s.myna->verifyAuthPin(pin("1234"), LastTryOverride{""});
    ASSERT_FALSE(emptyStaff.has_value());
    EXPECT_EQ(s.verifies(), 0);
    auto wrong = s.myna->verifyAuthPin(pin("0000"), LastTryOverride{"nurse-042"});
    ASSERT_FALSE(wrong.has_value());
    EXPECT_EQ(wrong.error().code, Errc::PinBlocked);
    EXPECT_EQ(s.myna->authPinStatus()->state, PinState::Blocked);
}

TEST(MynaCardTest, BlockedAndPinlessCardsAreNeverTried)
{
    Session blocked("blocked");
    auto b = blocked.myna->verifyAuthPin(pin("1234"), LastTryOverride{"nurse-042"});
    ASSERT_FALSE(b.has_value());
    EXPECT_EQ(b.error().code, Errc::PinBlocked);
    EXPECT_EQ(blocked.verifies(), 0);
    Session face("face-auth-only");
    EXPECT_EQ(face.myna->authPinStatus()->state, PinState::NotSet);
    auto f = face.myna->verifyAuthPin(pin("1234"));
    ASSERT_FALSE(f.has_value());
    EXPECT_EQ(f.error().code, Errc::UnsupportedCard);
    EXPECT_EQ(face.verifies(), 0);
    EXPECT_TRUE(face.myna->readAuthCertificate().has_value()); // still readable: eligibility works
}

TEST(MynaCardTest, ReadsTheFacePhotoWithVerificationCodeB)
{
    Session s("valid");
    auto code = parseVerificationCodeB("birth=1980-02-17,expiry-year=2035,code=2285").value();
    auto photo = s.myna->readFacePhoto(code);
    ASSERT_TRUE(photo.has_value()) << photo.error().message;
    const base::Bytes jp2Magic = base::fromHex("0000000C6A5020200D0A870A").value();
    ASSERT_GE(photo->jpeg2000.size(), jp2Magic.size());
    EXPECT_TRUE(std::equal(jp2Magic.begin(), jp2Magic.end(), photo->jpeg2000.begin()));
    EXPECT_EQ(photo->birthdate->toString(), "1980-02-17");
    EXPECT_EQ(photo->cardExpiry->toString(), "2035-02-17");
    EXPECT_EQ(photo->sex, "1");
}

TEST(MynaCardTest, WrongVerificationCodeBCountsDownAndIsNotResent)
{
    Session s("face-auth-only"); // 昭和13年11月3日, 2033, 4711
    auto wrong = parseVerificationCodeB("birth=1938-11-03,expiry-year=2033,code=0000").value();
    auto r = s.myna->readFacePhoto(wrong);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, Errc::PinIncorrect);
    EXPECT_EQ(s.myna->verificationCodeBStatus()->triesLeft, 9);
    auto again = s.myna->readFacePhoto(wrong);
    EXPECT_EQ(again.error().code, Errc::PinRepeated);
    EXPECT_EQ(s.myna->verificationCodeBStatus()->triesLeft, 9);
    auto right = parseVerificationCodeB("birth=1938-11-03,expiry-year=2033,code=4711").value();
    EXPECT_TRUE(s.myna->readFacePhoto(right).has_value());
}

TEST(MynaCardTest, NoFlowEverTouchesTheMyNumberSide)
{
    for (const char* persona : {"valid", "one-try-left", "child", "face-auth-only"}) {
        Session s(persona);
        (void)s.myna->classify();
        (void)s.myna->readAuthCertificate();
        (void)s.myna->readAuthCaCertificate();
        (void)s.myna->verifyAuthPin(pin("1234"), LastTryOverride{"nurse"});
        (void)s.myna->signChallenge(base::Bytes{1});
        (void)s.myna->readFacePhoto(parseVerificationCodeB("birth=1980-02-17,expiry-year=2035,code=2285").value());
        EXPECT_EQ(s.card->forbiddenAccesses(), 0) << persona;
        for (const auto& cmd : s.recorder->sent) {
            auto c = CommandApdu::decode(cmd).value();
            const bool textAp = c.ins == 0xA4 && c.p1 == 0x04 && c.data.size() >= 10 &&
                                std::equal(c.data.begin(), c.data.end(), myna::kTextAid.begin());
            EXPECT_FALSE(textAp) << base::toHex(cmd);
            EXPECT_FALSE(c.ins == 0x20 && c.data.size() == 12) << base::toHex(cmd);
        }
    }
}

TEST(MynaCardTest, ReadCertPinAndSignFitTheApduBudget)
{
    Session s("valid");
    ASSERT_TRUE(s.myna->readAuthCertificate().has_value());
    ASSERT_TRUE(s.myna->verifyAuthPin(pin("1234")).has_value());
    ASSERT_TRUE(s.myna->signChallenge(base::Bytes(32, 7)).has_value());
    EXPECT_LE(s.myna->stats().apdus, 25); // docs/design/DESIGN.md §7
    EXPECT_EQ(s.myna->stats().apdus, static_cast<int>(s.recorder->sent.size()));
}

TEST(MynaCardTest, ANonMyNumberCardIsUnsupported)
{
    hardware::CardImage empty;
    empty.atr = {0x3B, 0x00};
    hardware::VirtualCard other(empty);
    hardware::VirtualCardChannel channel(other);
    MynaCard myna(channel);
    auto info = myna.classify();
    ASSERT_FALSE(info.has_value());
    EXPECT_EQ(info.error().code, Errc::UnsupportedCard);
}

} // namespace
} // namespace zaitaku::device
