#include "hardware/vcard/CardImage.h"

#include "base/Sha256.h"
#include "device/apdu/BerTlv.h"
#include "device/mynacard/Certificate.h"
#include "device/mynacard/MynaIds.h"
#include "device/mynacard/VerificationCodeB.h"

namespace zaitaku::hardware
{

namespace
{

namespace myna = device::myna;
using device::encodeTlv;

// The contactless ATR real cards present through a PC/SC reader (docs/design/CARD.md §1).
const base::Bytes kAtr{0x3B, 0x88, 0x80, 0x01, 0x00, 0x00, 0x05, 0xE0, 0xB3, 0x81, 0xA1, 0x00, 0x7F};

base::Timestamp daysFrom(base::Timestamp now, int days)
{
    return now.plus(std::chrono::hours(24) * days);
}

base::Bytes ascii(const std::string& s)
{
    return base::Bytes(s.begin(), s.end());
}

void append(base::Bytes& out, const base::Bytes& more)
{
    out.insert(out.end(), more.begin(), more.end());
}

// EF 0002 of the 券面事項確認AP: FF20 { DF21 … DF2A } with DF28 signing three segment digests
// (docs/design/CARD.md §3.3). The test CA's key stands in for the J-LIS card-face key.
Expected<base::Bytes, Error> cardFace(const Persona& p, const KeyPtr& faceKey, const KeyPtr& signer)
{
    auto photo = encodeFacePhoto(p.photoPath);
    if (!photo) {
        return Unexpected(photo.error());
    }
    const base::Bytes birth = encodeTlv(0xDF22, ascii(p.birthdate.toCompact()));
    const base::Bytes sex = encodeTlv(0xDF23, ascii(p.sex));
    const base::Bytes pub = encodeTlv(0xDF24, rsaPublicKeyTlv(faceKey));
    const base::Bytes name = encodeTlv(0xDF25, placeholderPng(160, 24));
    const base::Bytes address = encodeTlv(0xDF26, placeholderPng(240, 48));
    const base::Bytes face = encodeTlv(myna::kFacePhoto, *photo);
    base::Bytes segment1 = birth;
    append(segment1, sex);
    append(segment1, pub);
    base::Bytes segment2 = name;
    append(segment2, address);
    base::Bytes digests = base::sha256(segment1);
    append(digests, base::sha256(segment2));
    append(digests, base::sha256(face));
    auto signature = rsaPkcs1Sign(signer, device::sha256DigestInfo(digests));
    if (!signature) {
        return Unexpected(signature.error());
    }
    base::Bytes body = encodeTlv(0xDF21, base::Bytes(18, 0x00)); // offset table: unused by readers of the TLVs
    append(body, segment1);
    append(body, segment2);
    append(body, face);
    append(body, encodeTlv(myna::kFaceSignature, *signature));
    append(body, encodeTlv(myna::kFaceCardExpiry, ascii(p.cardExpiry.toCompact())));
    append(body, encodeTlv(0xDF2A, placeholderPng(24, 12)));
    return encodeTlv(myna::kFaceOuterTag, body);
}

} // namespace

Expected<CardImage, Error> buildCardImage(const Persona& p, TestPki& pki, base::Timestamp now)
{
    CardImage image;
    image.atr = kAtr;
    auto auth = pki.issue(p.name + "-auth", authCertificateCommonName(p.name), daysFrom(now, p.certNotBeforeDays),
                          daysFrom(now, p.certNotAfterDays));
    if (!auth) {
        return Unexpected(auth.error());
    }
    image.authCertificateDer = auth->der;
    image.caCertificateDer = pki.caCertificateDer();

    ApplicationImage jpki{"JPKI", myna::bytesOf(myna::kJpkiAid), {}, {}, {}, {}, {}};
    jpki.files[myna::kAuthCert] = auth->der;
    jpki.files[myna::kAuthCaCert] = pki.caCertificateDer();
    base::Bytes token = ascii("JPKIAPICCTOKEN2");
    token.resize(32, ' ');
    token.resize(160, 0x00);
    jpki.files[myna::kTokenInfo] = token;
    jpki.files[myna::kCertAvailability] = p.signCert ? base::Bytes{0x8F, 0x8F, 0x00} : base::Bytes{0x00, 0x8F, 0x00};
    if (p.authPinSet) {
        jpki.credentials[myna::kAuthPin] = CredentialSlot{ascii(p.authPin), p.authPinTries, 3, false};
        jpki.keys[myna::kAuthKey] = KeySlot{myna::kAuthPin, auth->key};
    }
    if (p.signCert) {
        auto sign = pki.issue(p.name + "-sign", "zaitaku test signature " + p.name, daysFrom(now, p.certNotBeforeDays),
                              daysFrom(now, p.certNotAfterDays));
        if (!sign) {
            return Unexpected(sign.error());
        }
        jpki.files[myna::kSignCert] = sign->der;
        jpki.files[myna::kSignCaCert] = pki.caCertificateDer();
        jpki.readAcl[myna::kSignCert] = {myna::kSignPassword};
        jpki.credentials[myna::kSignPassword] = CredentialSlot{ascii(p.signPassword), p.signPasswordTries, 5, false};
        jpki.keys[myna::kSignKey] = KeySlot{myna::kSignPassword, sign->key};
    }
    image.applications.push_back(std::move(jpki));

    // The text AP exists so that the appliance's refusal can be tested; it holds no number at
    // all, and its 照合番号A key never accepts anything.
    ApplicationImage text{"text", myna::bytesOf(myna::kTextAid), {}, {}, {}, {}, {}};
    base::Bytes filler{0xFF, 0x10, 0x0C};
    filler.resize(17, 0xFF);
    text.files[myna::kTextMyNumber] = filler;
    text.readAcl[myna::kTextMyNumber] = {0x0011, myna::kTextVerificationCodeA};
    text.credentials[0x0011] = CredentialSlot{ascii(p.authPin), 3, 3, true};
    text.credentials[myna::kTextVerificationCodeA] = CredentialSlot{{}, 10, 10, true};
    text.forbiddenFids = {myna::kTextMyNumber, myna::kTextVerificationCodeA};
    image.applications.push_back(std::move(text));

    ApplicationImage surface{"surface", myna::bytesOf(myna::kSurfaceAid), {}, {}, {}, {}, {}};
    auto face = cardFace(p, auth->key, pki.caKey());
    if (!face) {
        return Unexpected(face.error());
    }
    surface.files[myna::kCardFace] = *face;
    surface.readAcl[myna::kCardFace] = {myna::kVerificationCodeBKey, myna::kVerificationCodeAKey};
    auto codeB = device::makeVerificationCodeB(p.birthdate, p.cardExpiry.year(), p.securityCode);
    if (!codeB) {
        return Unexpected(codeB.error());
    }
    surface.credentials[myna::kVerificationCodeBKey] =
        CredentialSlot{base::Bytes(codeB->bytes().begin(), codeB->bytes().end()), p.codeBTries, 10, false};
    surface.credentials[myna::kVerificationCodeAKey] = CredentialSlot{{}, 10, 10, true};
    surface.forbiddenFids = {myna::kVerificationCodeAKey, myna::kMyNumberImage};
    image.applications.push_back(std::move(surface));
    return image;
}

} // namespace zaitaku::hardware
