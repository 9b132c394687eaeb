#include "ui/cli/DemoCommand.h"

#include "device/mynacard/MynaCard.h"
#include "device/mynacard/VerificationCodeB.h"
#include "sync/store/AuditLog.h"
#include "sync/store/PatientRoster.h"
#include "sync/store/StoreLifecycle.h"
#include "sync/store/StoreStats.h"
#include "sync/store/VisitLedger.h"
#include "verify/rules/CertificateExpiry.h"
#include "verify/rules/RuleExplanation.h"
#include "verify/rules/RuleService.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <stdlib.h>

namespace zaitaku::cli
{

namespace
{

using nlohmann::json;

// One step of the demo: a heading and the rule requests evaluated for it.
struct DemoStep
{
    const char* heading;
    std::vector<json> requests;
};

std::vector<DemoStep> workedExample()
{
    // DOMAIN.md §7: born 1955-06-15, NHI, e-cert expiry 2025-08-20, first home visit 2025-06-10
    // with card + visual confirmation, consents to 薬剤 and 診療.
    const std::string birth = "1955-06-15";
    const std::string first = "2025-06-10";
    auto copay = [&](const char* on) { return json{{"rule", "copay"}, {"birthdate", birth}, {"on", on}}; };
    auto requery = [&](const char* on) {
        return json{{"rule", "requery"},  {"first_online_confirm", first},
                    {"on", on},           {"same_provider", true},
                    {"continuous", true}, {"setting", "home"}};
    };
    auto ecert = [](const char* on) { return json{{"rule", "ecert"}, {"expiry", "2025-08-20"}, {"on", on}}; };
    return {
        {"2025-06-10 初回訪問 First visit (F1: card + PIN, consent to 薬剤・診療)",
         {copay("2025-06-10"), ecert("2025-06-10"),
          json{{"rule", "medical_info_window"},
               {"consent_at", "2025-06-10T10:30:00+09:00"},
               {"on", "2025-06-10T11:00:00+09:00"},
               {"visit_kind", "houmon_continuing"}}}},
        {"2025-06-24 再訪問 Revisit (F2)",
         {requery("2025-06-24"), copay("2025-06-24"),
          json{{"rule", "card_valid_until"}, {"birthdate", birth}, {"event", "70"}}}},
        {"2025-07-08 再訪問 Revisit (F2): the 70-74 ratio now applies",
         {requery("2025-07-08"), copay("2025-07-08"), json{{"rule", "elderly_from"}, {"birthdate", birth}}}},
        {"2025-08-21 証明書の有効期限後 After the certificate expiry", {ecert("2025-08-21")}},
        {"2025-12-01 猶予期間後 After the grace period: F6 fallback",
         {ecert("2025-12-01"), json{{"rule", "fusho_claim"}, {"kouki", false}}}},
        {"参考 For reference: 往診 consent window (24 h, seed 003)",
         {json{{"rule", "medical_info_window"},
               {"consent_at", "2025-06-10T10:30:00+09:00"},
               {"on", "2025-06-11T11:00:00+09:00"},
               {"visit_kind", "oushin"}}}},
    };
}

// What the door step proved, for the record.
struct DoorEvidence
{
    device::Bytes certificate;
    device::Bytes signature;
};

// At the door: the card on the first reader with a card, through the real PC/SC stack. The demo
// card is zaitaku-vcard's persona "valid"; its PIN is sent once, as the patient would type it.
int cardAtTheDoor(CliContext& ctx, DoorEvidence& evidence)
{
    ctx.out << "\n■ 玄関で: マイナ保険証の読み取り At the door: the My Number Card (PC/SC)\n";
    auto backend = openReaderBackend(ctx);
    auto connected = backend ? device::connectSelected(**backend, "", device::ShareMode::Exclusive)
                             : Expected<device::ConnectedCard, device::Error>(Unexpected(backend.error()));
    if (!connected) {
        ctx.err << "demo: " << connected.error().message << "\n";
        return kExitFailure;
    }
    const device::ReaderState& reader = connected->reader;
    device::CardChannel& channel = *connected->channel;
    device::MynaCard card(channel);
    auto info = card.classify();
    auto cert = card.readAuthCertificate();
    if (!info || !cert) {
        ctx.err << "demo: the card could not be read\n";
        return kExitFailure;
    }
    auto certInfo = device::parseCertificate(*cert);
    const auto expiry = certInfo->notAfter.withOffset(model::Timestamp::kJstOffsetMinutes).localDate();
    const auto ecert = rules::certificateStatus(expiry, ctx.clock.todayJst());
    ctx.out << "カード " << reader.name << ": " << info->tokenLabel << "、署名用証明書 "
            << (info->signCertPresent ? "あり" : "なし") << "、暗証番号の残り " << info->authPin.triesLeft << " 回\n"
            << "Card on " << reader.name << ": user-authentication certificate " << certInfo->serialHex << ", valid to "
            << expiry.toString() << " (" << model::toCode(ecert.state) << "), PIN tries left "
            << info->authPin.triesLeft << "\n";
    auto secret = device::makeAuthPin("1234");
    auto verified = card.verifyAuthPin(*secret);
    if (!verified || !verified->verified) {
        ctx.err << "demo: PIN verification failed\n";
        return kExitFailure;
    }
    const device::Bytes challenge = device::bytesOf("zaitaku demo challenge 2025-06-10T10:30:00+09:00");
    auto signature = card.signChallenge(challenge);
    const bool valid = signature && device::verifySha256Signature(*cert, challenge, *signature).value_or(false);
    ctx.out << "暗証番号で本人確認し、カードがチャレンジに署名しました（署名の検証: " << (valid ? "成功" : "失敗")
            << "）\nPIN verified; the card signed the challenge (host verification: " << (valid ? "ok" : "FAILED")
            << ", " << card.stats().apdus << " APDUs)\n";
    auto code = device::parseVerificationCodeB("birth=1980-02-17,expiry-year=2035,code=2285");
    auto photo = card.readFacePhoto(*code);
    if (photo) {
        ctx.out << "顔写真（ICチップ）: " << photo->jpeg2000.size()
                << " バイトの JPEG 2000 を読み取りました（保存しません）\nChip photo: " << photo->jpeg2000.size()
                << " bytes of JPEG 2000, read for matching, never stored\n";
    }
    (void)channel.disconnect(device::Disposition::Reset);
    if (valid) {
        evidence = DoorEvidence{*cert, *signature};
    }
    return valid && photo ? kExitOk : kExitFailure;
}

// The record: the visit, its evidence and consent, committed with its outbox and audit rows into a
// fresh encrypted store (a temporary one: the demo leaves nothing behind).
int recordTheVisit(CliContext& ctx, const std::optional<DoorEvidence>& door)
{
    namespace store = sync::store;
    ctx.out << "\n■ 記録: 暗号化ストア The record: the encrypted store (SQLCipher)\n";
    std::string dir = (std::filesystem::temp_directory_path() / "zaitaku-demo-XXXXXX").string();
    if (mkdtemp(dir.data()) == nullptr) {
        ctx.err << "demo: cannot create a temporary directory\n";
        return kExitFailure;
    }
    const std::string path = dir + "/store.db";
    const auto cleanup = [&] { std::filesystem::remove_all(dir); };
    store::InitOptions options;
    options.scrypt = store::ScryptParams{14, 8, 1}; // the demo's own store: quick to unlock
    auto created = store::initStore(path, "demo passphrase", options, randomOf(ctx), ctx.clock);
    if (!created) {
        ctx.err << "demo: " << created.error().message << "\n";
        cleanup();
        return kExitFailure;
    }
    store::Store& db = created->store;
    const std::string roster =
        R"([{"id":"demo-patient","name":"在宅 花子","name_kana":"ザイタク ハナコ","birthdate":"1955-06-15",)"
        R"("insurer_number":"138057","insured_symbol":"世田谷","insured_number":"4711","insured_branch":"00",)"
        R"("care":{"service_kind":"houmon_shinryo"}}])";
    const model::Timestamp now = ctx.clock.nowJst();
    store::VisitRecord record;
    record.visit.id = model::makeUuid(randomOf(ctx));
    record.visit.patientId = "demo-patient";
    record.visit.careRelationshipId = "demo-patient:houmon_shinryo";
    record.visit.state = "completed";
    record.visit.scheduledFor = now.localDate();
    record.visit.startedAt = now;
    record.visit.staffId = "demo-nurse";
    record.visit.deviceId = "demo-tablet";
    model::Evidence evidence;
    evidence.id = model::makeUuid(randomOf(ctx));
    evidence.visitId = record.visit.id;
    evidence.capturedAt = now;
    evidence.staffId = "demo-nurse";
    evidence.deviceId = "demo-tablet";
    if (door) {
        evidence.method = model::EvidenceMethod::PinSignature;
        evidence.authCertificateDer = door->certificate;
        evidence.signature = door->signature;
        evidence.challengeId = "local";
    } else {
        evidence.method = model::EvidenceMethod::Visual;
        evidence.visual = model::VisualAttestation{"demo-nurse", model::VisualReason::CannotEnterPin, "demo"};
    }
    record.evidence.push_back(evidence);
    model::Consent consent;
    consent.id = model::makeUuid(randomOf(ctx));
    consent.patientId = "demo-patient";
    consent.kind = model::ConsentKind::Diagnosis;
    consent.given = true;
    consent.textVersion = "demo";
    consent.consentTime = now;
    consent.textSha256 = std::string(64, '0');
    record.consents.push_back(consent);
    auto imported = store::PatientRoster::import(db, roster, "demo-clerk");
    auto committed = imported ? store::VisitLedger::commit(db, record, "demo-nurse")
                              : Expected<void, sync::Error>(Unexpected(imported.error()));
    auto stats = committed ? store::StoreStats::collect(db)
                           : Expected<store::StoreStats, sync::Error>(Unexpected(committed.error()));
    auto audit = store::AuditLog::verify(db.db());
    if (!stats || !audit) {
        ctx.err << "demo: " << (!stats ? stats.error().message : audit.error().message) << "\n";
        cleanup();
        return kExitFailure;
    }
    ctx.out << "訪問記録・本人確認の証跡・同意を1件のトランザクションで保存し、送信待ちに入れました（"
            << model::labelOf(evidence.method) << "）\nVisit, evidence and consent committed in one transaction with "
            << "its outbox row: " << stats->outbox.queued << " queued for the gateway; audit chain of " << audit->rows
            << " rows " << (audit->ok() ? "verifies" : "is BROKEN") << "; " << stats->cipherVersion << ", "
            << stats->fileBytes << " bytes on disk, none of them readable without the key\n";
    cleanup();
    return audit->ok() ? kExitOk : kExitFailure;
}

} // namespace

int runDemo(const Args& args, CliContext& ctx)
{
    bool withCard = false;
    for (const auto& arg : args) {
        if (isHelpFlag(arg)) {
            ctx.out << "usage: zaitaku-cli demo [--card]\n"
                       "Runs the embedded demo on the worked example of DOMAIN.md §7 (born 1955-06-15, first\n"
                       "visit 2025-06-10, certificate expiry 2025-08-20): the eligibility rules at each visit,\n"
                       "and with --card the card at the door through PC/SC (zaitaku-vcard persona 'valid';\n"
                       "scripts/demo.sh starts it), then the visit recorded in a temporary encrypted store. The\n"
                       "gateway and OQS simulator join as they land.\n";
            return kExitOk;
        }
        if (arg == "--card") {
            withCard = true;
            continue;
        }
        ctx.err << "zaitaku-cli demo: unexpected argument '" << arg << "'\n";
        return kExitBadInput;
    }
    ctx.out << "zaitaku demo — 在宅 eligibility rules on one patient's visits\n"
               "(patient: born 1955-06-15, NHI; My Number Card certificate expires 2025-08-20)\n";
    std::optional<DoorEvidence> door;
    if (withCard) {
        DoorEvidence evidence;
        if (const int code = cardAtTheDoor(ctx, evidence); code != kExitOk) {
            return code;
        }
        door = std::move(evidence);
    }
    if (const int code = recordTheVisit(ctx, door); code != kExitOk) {
        return code;
    }
    for (const auto& step : workedExample()) {
        ctx.out << "\n■ " << step.heading << "\n";
        for (const auto& request : step.requests) {
            auto response = rules::evaluateRule(request);
            if (!response) {
                ctx.err << "demo step failed: " << response.error().message << "\n";
                return kExitFailure;
            }
            ctx.out << rules::explainRule(*response);
        }
    }
    ctx.out << "\ndemo complete\n";
    return kExitOk;
}

} // namespace zaitaku::cli
