// The emulator's own contract (docs/design/CARD.md §8), APDU by APDU.

#include "device/apdu/ResponseApdu.h"
#include "hardware/vcard/Persona.h"
#include "hardware/vcard/TestPki.h"
#include "support/VirtualCards.h"

#include <filesystem>
#include <fstream>
#include <openssl/evp.h>
#include <optional>
#include <thread>

namespace zaitaku::hardware
{
namespace
{

std::uint16_t swOf(VirtualCard& card, const char* hex)
{
    const base::Bytes response = card.process(base::fromHex(hex).value());
    return device::ResponseApdu::decode(response).value().sw;
}

base::Bytes dataOf(VirtualCard& card, const char* hex)
{
    return device::ResponseApdu::decode(card.process(base::fromHex(hex).value())).value().data;
}

TEST(VirtualCardTest, AnswersForeignProbesWithoutCrashing)
{
    auto card = test::makeVirtualCard("valid");
    EXPECT_EQ(swOf(*card, "00A4040C06A00000000101"), 0x6A82);         // foreign AID
    EXPECT_EQ(swOf(*card, "00CADF3005"), 0x6D00);                     // GET DATA
    EXPECT_EQ(swOf(*card, "01A4040C0AD392F000260100000001"), 0x6881); // logical channel 1
    EXPECT_EQ(swOf(*card, "A0A4040C0AD392F000260100000001"), 0x6E00);
    EXPECT_EQ(swOf(*card, "00A40000023F00"), 0x6A86); // SELECT MF
    EXPECT_EQ(swOf(*card, "00A4"), 0x6700);
    EXPECT_EQ(swOf(*card, "00B0000004"), 0x6986); // no current EF
    EXPECT_EQ(card->atr(), base::fromHex("3B888001000005E0B381A1007F").value());
}

TEST(VirtualCardTest, ReadsInChunksAndSignalsEndOfFile)
{
    auto card = test::makeVirtualCard("valid");
    ASSERT_EQ(swOf(*card, "00A4040C0AD392F000260100000001"), 0x9000);
    ASSERT_EQ(swOf(*card, "00A4020C02000A"), 0x9000);
    const base::Bytes header = dataOf(*card, "00B0000004");
    ASSERT_EQ(header.size(), 4u);
    EXPECT_EQ(header[0], 0x30);
    EXPECT_EQ(header[1], 0x82);
    const std::size_t total = (header[2] << 8 | header[3]) + 4u;
    EXPECT_EQ(total, card->image().authCertificateDer.size());
    EXPECT_EQ(dataOf(*card, "00B0000000").size(), 256u);
    EXPECT_EQ(swOf(*card, "00B07F0000"), 0x6B00); // offset beyond the EF
    EXPECT_EQ(swOf(*card, "00A4020C020001"), 0x9000);
    EXPECT_EQ(swOf(*card, "00B0000004"), 0x6982); // sign cert needs the sign password
    EXPECT_EQ(swOf(*card, "00A4020C020099"), 0x6A82);
}

TEST(VirtualCardTest, LocksOutAfterThreeFailuresAndCountersSurviveReset)
{
    auto card = test::makeVirtualCard("valid");
    ASSERT_EQ(swOf(*card, "00A4040C0AD392F000260100000001"), 0x9000);
    ASSERT_EQ(swOf(*card, "00A4020C020018"), 0x9000);
    EXPECT_EQ(swOf(*card, "00200080"), 0x63C3);
    EXPECT_EQ(swOf(*card, "002000800439393939"), 0x63C2);
    card->reset();
    ASSERT_EQ(swOf(*card, "00A4040C0AD392F000260100000001"), 0x9000);
    ASSERT_EQ(swOf(*card, "00A4020C020018"), 0x9000);
    EXPECT_EQ(swOf(*card, "00200080"), 0x63C2); // the counter survived the reset
    EXPECT_EQ(swOf(*card, "002000800439393939"), 0x63C1);
    EXPECT_EQ(swOf(*card, "002000800439393939"), 0x63C0);
    EXPECT_EQ(swOf(*card, "00200080"), 0x63C0);
    EXPECT_EQ(swOf(*card, "002000800431323334"), 0x6984); // even the right PIN
}

TEST(VirtualCardTest, VerifiedStateEndsWithReset)
{
    auto card = test::makeVirtualCard("valid");
    ASSERT_EQ(swOf(*card, "00A4040C0AD392F000260100000001"), 0x9000);
    ASSERT_EQ(swOf(*card, "00A4020C020018"), 0x9000);
    ASSERT_EQ(swOf(*card, "002000800431323334"), 0x9000);
    ASSERT_EQ(swOf(*card, "00A4020C020017"), 0x9000);
    const std::string digestInfo = "3031300D060960864801650304020105000420" + std::string(64, 'A');
    const std::string sign = "802A0080" + std::string("33") + digestInfo + "00";
    EXPECT_EQ(dataOf(*card, sign.c_str()).size(), 256u);
    card->reset();
    ASSERT_EQ(swOf(*card, "00A4040C0AD392F000260100000001"), 0x9000);
    ASSERT_EQ(swOf(*card, "00A4020C020017"), 0x9000);
    EXPECT_EQ(swOf(*card, sign.c_str()), 0x6982);
    EXPECT_EQ(swOf(*card, "8024008000"), 0x6D00); // unknown proprietary INS
}

TEST(VirtualCardTest, RefusesTheMyNumberSideAndCountsIt)
{
    auto card = test::makeVirtualCard("valid");
    EXPECT_EQ(card->forbiddenAccesses(), 0);
    ASSERT_EQ(swOf(*card, "00A4040C0AD3921000310001010408"), 0x9000); // text AP exists …
    ASSERT_EQ(swOf(*card, "00A4020C020001"), 0x9000);
    EXPECT_EQ(swOf(*card, "00B0000011"), 0x6982); // … but EF 0001 never opens
    ASSERT_EQ(swOf(*card, "00A4020C020014"), 0x9000);
    EXPECT_EQ(swOf(*card, "00200080"
                          "0C313233343536373839303132"),
              0x63C9); // 照合番号A never accepted
    EXPECT_GE(card->forbiddenAccesses(), 3);
}

TEST(VirtualCardTest, GetChallengeRejectsTheExtendedForm)
{
    auto card = test::makeVirtualCard("valid");
    EXPECT_EQ(dataOf(*card, "0084000008").size(), 8u);
    EXPECT_EQ(swOf(*card, "00840000000008"), 0x6985);
}

TEST(PersonaTest, BuiltinsAndFilesLoad)
{
    for (const auto& name : builtinPersonaNames()) {
        EXPECT_TRUE(builtinPersona(name).has_value()) << name;
    }
    EXPECT_FALSE(builtinPersona("nobody").has_value());
    const std::string path = std::string(ZAITAKU_TEST_PKI_DIR) + "/persona-test.json";
    std::ofstream(path) << R"({"name":"nurse-test","auth_pin":"4321","auth_pin_tries":2,"sign_cert":false,
                               "birthdate":"1950-09-20","card_expiry":"2030-09-20","security_code":"1111"})";
    auto p = loadPersonaFile(path);
    ASSERT_TRUE(p.has_value()) << p.error().message;
    EXPECT_EQ(p->authPin, "4321");
    EXPECT_EQ(p->authPinTries, 2);
    EXPECT_FALSE(p->signCert);
    EXPECT_EQ(p->birthdate.toString(), "1950-09-20");
    std::ofstream(path) << R"({"auth_pin":"12"})";
    EXPECT_FALSE(loadPersonaFile(path).has_value());
    std::ofstream(path) << R"({"birthdate":"1950-02-30"})";
    EXPECT_FALSE(loadPersonaFile(path).has_value());
    std::ofstream(path) << R"({"auth_pin_tries":"three"})";
    EXPECT_FALSE(loadPersonaFile(path).has_value());
    std::ofstream(path) << "not json";
    EXPECT_FALSE(loadPersonaFile(path).has_value());
}

// Test processes that start together on a clean build all find no cached CA key: they must end
// up with the one key on disk, or one process's gateway trusts a CA its virtual card no longer
// uses (a flaky failure seen in CI).
TEST(TestPkiTest, EveryoneRacingForTheFirstKeyEndsWithTheKeyOnDisk)
{
    std::string dir = (std::filesystem::temp_directory_path() / "zaitaku-pki-race-XXXXXX").string();
    ASSERT_NE(mkdtemp(dir.data()), nullptr);
    const auto now = base::Timestamp::parse("2026-11-22T10:00:00+09:00").value();
    constexpr int kRacers = 4;
    std::vector<std::optional<TestPki>> opened(kRacers);
    {
        std::vector<std::jthread> racers;
        for (int i = 0; i < kRacers; ++i) {
            racers.emplace_back([&, i] {
                if (auto pki = TestPki::open(dir, now)) {
                    opened[static_cast<std::size_t>(i)] = std::move(*pki);
                }
            });
        }
    }
    auto onDisk = TestPki::open(dir, now);
    ASSERT_TRUE(onDisk);
    for (const auto& pki : opened) {
        ASSERT_TRUE(pki.has_value());
        EXPECT_EQ(EVP_PKEY_eq(pki->caKey().get(), onDisk->caKey().get()), 1);
    }
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) {
        ++files;
    }
    EXPECT_EQ(files, 1U) << "only ca.key.pem: no temporary file is left behind";
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace zaitaku::hardware
