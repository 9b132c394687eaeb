#include "ui/cli/DemoCommand.h"

#include "sync/client/SyncEngine.h"
#include "sync/gateway/EligibilityService.h"
#include "sync/gateway/GatewayServer.h"
#include "sync/oqs/OqsSimulator.h"
#include "sync/sql/AuditLog.h"
#include "sync/store/SnapshotCache.h"
#include "sync/store/StoreStats.h"
#include "sync/store/StoreVisitPort.h"
#include "ui/cli/CommandOptions.h"
#include "ui/cli/VisitCommand.h"
#include "ui/demo/DemoStack.h"
#include "ui/session/MedicalInfoReport.h"
#include "ui/session/VisitRuntime.h"
#include "verify/consent/ConsentCatalog.h"
#include "verify/identity/FaceVerifier.h"
#include "verify/rules/AgeThresholds.h"
#include "verify/rules/DoorCopay.h"
#include "verify/rules/MedicalInfoWindow.h"
#include "verify/rules/RuleExplanation.h"
#include "verify/rules/RuleService.h"
#include "verify/visit/ScriptedOperator.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <sstream>

namespace zaitaku::cli
{
namespace sql = sync::sql;

using demo::DemoStack;

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
    // docs/design/DOMAIN.md §7: born 1955-06-15, NHI, e-cert expiry 2025-08-20, first home visit 2025-06-10
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

void printEnrollment(CliContext& ctx, DemoStack& stack)
{
    const auto& e = stack.enrollment();
    ctx.out << "\n■ ゲートウェイ The gateway: " << stack.url() << " (TLS " << e.tlsVersion
            << ", client certificates); enrollment code " << e.code << "\n"
            << "  この端末を登録 tablet enrolled as " << e.deviceId << " (gateway CA " << e.caFingerprint
            << " checked against the code); " << e.challengesAdded
            << " 件のチャレンジを取得 challenges fetched for the route\n";
}

bool syncDemoVisits(CliContext& ctx, sync::store::Store& tablet, DemoStack& gw, std::int64_t afterSeq = 0)
{
    sync::client::SyncEngine engine(tablet, randomOf(ctx));
    auto report = engine.run();
    auto status = sync::client::SyncEngine::status(tablet);
    auto stored = gw.gateway().storage().records(afterSeq, 100);
    if (!report || report->error || !status || !stored) {
        ctx.err << "demo: the sync after the route failed\n";
        return false;
    }
    ctx.out << "\n■ 送信 Back in signal: " << report->stored << " 件を送信 records sent, " << report->deadLettered
            << " refused; 送信待ち " << status->queued << " / 送信済み " << status->acked << " / 送信不可 "
            << status->deadLetter << "; clock skew " << report->skewSeconds << " s\n";
    for (const auto& r : *stored) {
        ctx.out << "  gateway #" << r.seq << " " << r.kind << " " << r.recordId << " received "
                << r.receivedAt.toString()
                << (r.flags.empty() ? std::string() : " flags " + nlohmann::json(r.flags).dump()) << "\n";
    }
    return status->deadLetter == 0 && status->queued == 0;
}

// Waits for the gateway's OQS bridge, then syncs so its answers reach the tablet.
bool awaitOqs(CliContext& ctx, sync::store::Store& tablet, DemoStack& gw, sync::client::SyncReport& report)
{
    if (!gw.gateway().eligibility()->idle(std::chrono::seconds(30))) {
        ctx.err << "demo: the OQS terminal did not answer in 30 s\n";
        return false;
    }
    sync::client::SyncEngine engine(tablet, randomOf(ctx));
    auto ran = engine.run();
    if (!ran || ran->error) {
        ctx.err << "demo: the sync after the online confirmation failed\n";
        return false;
    }
    report = *ran;
    return true;
}

void printAnswer(CliContext& ctx, const sync::store::CachedSnapshot& cached)
{
    const auto& snap = cached.snapshot;
    const auto copay = rules::eligibilityCopayLabel(snap, ctx.clock.todayJst());
    const bool valid = snap.qualificationValidity == model::QualificationValidity::Valid;
    ctx.out << "  資格確認結果 " << snap.name << "　保険者番号 " << snap.insurerNumber << " — "
            << (valid ? "資格有効 eligible" : "資格が有効ではありません not eligible");
    if (!copay.empty()) {
        ctx.out << "; 負担割合 " << copay;
    }
    ctx.out << "; " << base::labelOf(snap.source) << " (" << base::toCode(snap.source) << "), 照会日 "
            << (snap.qualificationConfirmationDate ? snap.qualificationConfirmationDate->toString() : "-")
            << ", 受信 received " << cached.receivedAt.toString() << "\n";
}

// Back in signal the gateway asked OQS about the card of the first visit and re-queried the
// revisit for its visit date (the simulated terminal answered both); the sync brings the answers,
// the re-query permission (R7) and any route task to the tablet.
bool showOnlineConfirmation(
    CliContext& ctx, sync::store::Store& tablet, DemoStack& gw, bool withCard, std::size_t expected)
{
    sync::client::SyncReport report;
    if (!awaitOqs(ctx, tablet, gw, report)) {
        return false;
    }
    ctx.out << "\n■ オンライン資格確認 Online confirmation (the gateway's OQS bridge, simulated 資格確認端末): "
            << gw.terminal().eligibilityAnswered() << " 件の照会 OQS requests answered for the " << expected
            << " visit(s) that ask OQS; " << report.feedItems << " feed item(s) back on the tablet\n";
    // (After a confirmed first visit the gateway also asks for her 薬剤・特定健診 information: not counted.)
    if (gw.terminal().eligibilityAnswered() != expected) {
        ctx.err << "demo: expected " << expected << " OQS requests, the terminal answered "
                << gw.terminal().eligibilityAnswered() << "\n";
        return false;
    }
    auto first = sync::store::SnapshotCache::latestFor(tablet.db(), "demo-first");
    if (withCard && (!first || !*first)) {
        ctx.err << "demo: the OQS result of the first visit did not reach the tablet\n";
        return false;
    }
    ctx.out << "  初回訪問 first visit:";
    if (first && *first) {
        ctx.out << "\n";
        printAnswer(ctx, **first);
    } else {
        ctx.out << " no card was read, so there was nothing to confirm online\n";
    }
    // The revisit's own answer (seed 004 再照会), asked for its visit date.
    auto cont = sync::store::SnapshotCache::latestFor(tablet.db(), "demo-cont");
    if (!cont || !*cont || (*cont)->snapshot.source != model::SnapshotSource::RequerySingle) {
        ctx.err << "demo: the revisit's re-query answer did not reach the tablet\n";
        return false;
    }
    ctx.out << "  再訪問の再照会 the revisit's own answer:\n";
    printAnswer(ctx, **cont);
    return true;
}

// Issue 33: the first visit's consent to 薬剤・特定健診 lets the nurse see the patient's medications on
// the tablet (from its cache, so also offline later) while the window is open; an 往診 consent older
// than 24 h shows nothing but the reason.
bool showMedicalInformation(CliContext& ctx, sync::store::Store& tablet)
{
    sync::client::SyncEngine engine(tablet, randomOf(ctx));
    auto answer = engine.medicalInfo("demo-first", "houmon_shinryo", "demo-nurse");
    if (!answer) {
        ctx.err << "demo: the medical information could not be fetched: " << answer.error().message << "\n";
        return false;
    }
    auto report = session::medicalInfoReport(tablet, "demo-first", std::nullopt);
    if (!report || !report->viewable) {
        ctx.err << "demo: no medical information reached the tablet (" << answer->reason << ": " << answer->reasonJa
                << ")\n";
        return false;
    }
    ctx.out
        << "\n■ お薬・健診 Medical information (初回訪問の同意に基づく, seed 004; zaitaku-cli medinfo shows the same)\n"
        << session::toText(*report, ctx.clock.nowJst(), 6);
    const auto now = ctx.clock.nowJst();
    auto oushin =
        rules::medicalInfoWindow({now.plus(std::chrono::hours(-25)), now, rules::VisitKind::Oushin, std::nullopt});
    ctx.out << "  往診の同意から25時間後 an 往診 consent 25 h old: "
            << (oushin && !oushin->allowed ? "閲覧期間外（同意情報登録後24時間, seed 003）" : "viewable (unexpected)")
            << "\n";
    return oushin && !oushin->allowed;
}

// Tomorrow's route, checked tonight: one bulk request for every patient with a re-query key.
bool showRoutePrecheck(CliContext& ctx, sync::store::Store& tablet, DemoStack& gw)
{
    sync::client::SyncEngine engine(tablet, randomOf(ctx));
    const auto answeredBefore = gw.terminal().eligibilityAnswered();
    auto route = engine.precheck(ctx.clock.todayJst().addDays(1), {"demo-first", "demo-cont"});
    if (!route) {
        ctx.err << "demo: the route pre-check failed: " << route.error().message << "\n";
        return false;
    }
    ctx.out << "\n■ 明日の訪問前確認 Tomorrow's route pre-check ("
            << gw.terminal().eligibilityAnswered() - answeredBefore << " 一括照会 files answered by the terminal):";
    for (const auto& r : *route) {
        ctx.out << " " << r.patientId << " " << nlohmann::json(r.flags).dump();
    }
    ctx.out << "\n";
    return true;
}

int visitsAtTheDoor(CliContext& ctx, bool withCard, const std::string& jpkiCa)
{
    namespace store = sync::store;
    base::SteadyClock monotonic;
    auto stack = DemoStack::start(jpkiCa, ctx.clock, monotonic, randomOf(ctx));
    if (!stack) {
        ctx.err << "demo: " << stack.error() << "\n";
        return kExitFailure;
    }
    DemoStack& demo = **stack;
    printEnrollment(ctx, demo);
    auto port = store::StoreVisitPort::open(demo.store(), randomOf(ctx));
    if (!port) {
        ctx.err << "demo: " << port.error().message << "\n";
        return kExitFailure;
    }
    std::unique_ptr<device::CardReader> reader;
    if (withCard) {
        auto backend = openReaderBackend(ctx);
        if (!backend) {
            ctx.err << "demo: " << backend.error().message << "\n";
            return kExitFailure;
        }
        reader = std::move(*backend);
    }
    const session::VisitRuntime runtime({reader.get(), "", "", "", {}, &demo.store()}, ctx.clock, monotonic,
                                        randomOf(ctx), *port);
    visit::VisitSettings settings;
    settings.deviceId = session::deviceIdOf(demo.store()); // enrolled by the demo stack
    settings.appVersion = ZAITAKU_VERSION;
    visit::VisitEngine engine = runtime.engine(settings);

    // At the door there is no signal (seed 004's 訪問診療等): the gateway is out of reach until the
    // nurse is back; every visit is recorded on the tablet.
    if (auto failed = demo.setGatewayOnline(false); !failed.empty()) {
        ctx.err << "demo: " << failed << "\n";
        return kExitFailure;
    }
    ctx.out << "\n■ 玄関で（圏外）: 初回訪問 At the door, no signal: a first visit (F1"
            << (withCard ? ", My Number Card over PC/SC)" : "; no card reader: the F6 ladder)") << "\n";
    visit::VisitScript script;
    script.pins.push_back(std::move(device::makeAuthPin("1234").value()));
    script.consentSpec = "all";
    script.prescription = "electronic";
    script.limit = "provide";
    script.fallbackKind = model::FallbackKind::ShikakuKakuninsho;
    // The 資格確認書 she holds on the visit date: from 70 it prints the ratio and its 発効期日 [seed 003].
    const base::Date birth = base::Date::fromYmd(1955, 6, 15).value();
    const bool seventy = ctx.clock.todayJst() >= rules::elderlyFrom(birth);
    script.fallbackFields =
        std::string(R"({"insurer_number":"138057","insured_symbol":"世田谷","insured_number":"4711",)"
                    R"("name":"在宅 花子","birthdate":"1955-06-15","valid_until":"2027-07-31")") +
        (seventy ? R"(,"valid_from":")" + rules::elderlyFrom(birth).toString() + R"(","copay_ratio":"2"})"
                 : std::string("}"));
    script.fallbackWhenNoCard = true;
    visit::ScriptedOperator firstOp(std::move(script));
    visit::VisitRequest request{"demo-first",
                                model::ServiceKind::HoumonShinryo,
                                withCard ? model::VisitFlow::FirstVisit : model::VisitFlow::Fallback,
                                "demo-nurse",
                                false,
                                std::nullopt,
                                withCard ? "" : "デモ: カードリーダーなし"};
    auto first = engine.run(request, firstOp);
    if (!first || first->state != visit::VisitState::Committed) {
        ctx.err << "demo: the first visit did not complete: " << (!first ? first.error().message : firstOp.gaveUp())
                << "\n";
        return kExitFailure;
    }
    for (const auto& m : firstOp.messages()) {
        ctx.out << "  [" << base::labelOf(m.state) << "] " << m.message << "\n";
    }
    printVisitOutcome(ctx, *first);

    // The nurse's weekly visit (seed 004: 「2回目以降の訪問においては…再照会機能を活用した資格確認を行う」):
    // with no signal it is recorded as "re-query pending", never as confirmed from the cache.
    ctx.out << "\n■ 再訪問（圏外）: 訪問看護 A nursing revisit, no signal (F2: re-query, no card, no PIN)\n";
    visit::ScriptedOperator revisitOp(visit::VisitScript{});
    auto revisit = engine.run(visit::VisitRequest{"demo-cont", model::ServiceKind::HoumonKango,
                                                  model::VisitFlow::Revisit, "demo-nurse", false, std::nullopt, ""},
                              revisitOp);
    if (!revisit || revisit->state != visit::VisitState::Committed) {
        ctx.err << "demo: the revisit did not complete\n";
        return kExitFailure;
    }
    printVisitOutcome(ctx, *revisit);

    if (auto failed = demo.setGatewayOnline(true); !failed.empty()) {
        ctx.err << "demo: " << failed << "\n";
        return kExitFailure;
    }
    if (!syncDemoVisits(ctx, demo.store(), demo) ||
        !showOnlineConfirmation(ctx, demo.store(), demo, withCard, withCard ? 2 : 1) ||
        (withCard && !showMedicalInformation(ctx, demo.store())) || !showRoutePrecheck(ctx, demo.store(), demo)) {
        return kExitFailure;
    }
    demo.stopGateway();

    auto stats = store::StoreStats::collect(demo.store());
    auto audit = sql::AuditLog::verify(demo.store().db());
    if (!stats || !audit) {
        ctx.err << "demo: " << (!stats ? stats.error().message : audit.error().message) << "\n";
        return kExitFailure;
    }
    ctx.out << "\n■ 記録 The record: " << stats->outbox.acked << " 件 acknowledged by the gateway; 監査ログ "
            << audit->rows << " 行 audit rows, chain " << (audit->ok() ? "verifies" : "is BROKEN") << "; "
            << stats->cipherVersion << ", " << stats->fileBytes << " bytes on disk, none readable without the key\n";
    return audit->ok() ? kExitOk : kExitFailure;
}

} // namespace

int runDemo(const Args& args, CliContext& ctx)
{
    const auto options = parseOptions(args, OptionSpec{{"--card"}, {"--jpki-ca"}}, "demo", ctx);
    if (!options) {
        return kExitBadInput;
    }
    if (options->help) {
        ctx.out << "usage: zaitaku-cli demo [--card] [--jpki-ca FILE]\n"
                   "Runs the embedded demo on the worked example of docs/design/DOMAIN.md §7 (born\n"
                   "1955-06-15, first visit 2025-06-10, certificate expiry 2025-08-20): the eligibility rules at\n"
                   "each visit, and real visits through the visit engine into a temporary encrypted store: a\n"
                   "first visit (with --card: the My Number Card over PC/SC, zaitaku-vcard persona 'valid',\n"
                   "which scripts/demo.sh starts; without: the fallback ladder) and a nursing revisit by\n"
                   "re-query. A zaitaku gateway runs on loopback with a simulated OQS terminal: the tablet\n"
                   "enrolls, fetches challenges, and sends its visits over mutual TLS; --jpki-ca names the\n"
                   "card CA the gateway checks signatures against (zaitaku-vcard --write-ca).\n";
        return kExitOk;
    }
    const bool withCard = options->has("--card");
    const std::string jpkiCa = options->value("jpki-ca");
    ctx.out << "zaitaku demo — 在宅 eligibility rules on one patient's visits\n"
               "(patient: born 1955-06-15, NHI; My Number Card certificate expires 2025-08-20)\n";
    if (const int code = visitsAtTheDoor(ctx, withCard, jpkiCa); code != kExitOk) {
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
