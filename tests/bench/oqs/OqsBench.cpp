// The route pre-check of a day through OQS: a tablet asks its gateway about N patients
// (POST /v1/precheck); the gateway writes ONE bulk request (一括照会) into the simulated terminal's
// req/ folder, polls res/ through the upload receipt and one 処理中 answer, stores N results and
// answers the tablet; the tablet caches them. All real parts (TLS, SQLCipher, libxml2 + iconv
// Shift_JIS, the folder bridge, zaitaku-oqs-sim's engine on a thread) in this process.
//   baseline  the same pre-check again for the same date: answered from the gateway's stored
//             results, no OQS request (what a second tablet on the route sees)
//   route     a new date each round: everything goes through OQS
//   codec     building and parsing the N-unit bulk result alone (Shift_JIS), no I/O
//   medinfo   a 3-year 薬剤情報 history of ~200 dispensings: parsed, sent as JSON, read, reviewed
// Prints medians over ROUNDS and the ratio to the baseline.
//   oqs_bench [PATIENTS] [ROUNDS] [TERMINAL_POLL_MS]

#include "base/CanonicalJson.h"
#include "base/Sha256.h"
#include "support/StoreFixture.h"
#include "sync/client/Enrollment.h"
#include "sync/client/SyncEngine.h"
#include "sync/gateway/GatewayServer.h"
#include "sync/oqs/MedicalInfoResults.h"
#include "sync/oqs/OqsSimulator.h"
#include "sync/oqs/SyntheticMedicalHistory.h"
#include "sync/protocol/EnrollmentCode.h"
#include "sync/protocol/MedicalInfoMessages.h"
#include "sync/store/PatientRoster.h"
#include "verify/rules/MedicationReview.h"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <thread>

using namespace zaitaku;
using SteadyClock = std::chrono::steady_clock;
using nlohmann::json;

namespace
{

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

template <typename F> double timedMs(F&& f)
{
    const auto start = SteadyClock::now();
    f();
    return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

// The value, or the error printed and the bench ended (never an unexplained abort).
template <typename T> auto must(T&& expected, const char* what)
{
    if (!expected) {
        std::fprintf(stderr, "oqs bench: %s failed: %s\n", what, expected.error().message.c_str());
        std::exit(1);
    }
    return std::move(*expected);
}

std::string idOf(int i)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "r-%03d", i);
    return buf;
}

json personResult(int i)
{
    return {{"qualification_validity", "1"},
            {"insured_card_classification", "01"},
            {"insurer_number", "39131234"},
            {"insured_identification_number", std::to_string(71000000 + i)},
            {"insured_branch_number", ""},
            {"name", "訪問　" + std::to_string(i) + "郎"},
            {"name_kana", "ﾎｳﾓﾝ ﾀﾛｳ"},
            {"birthdate", "19" + std::to_string(30 + i % 20) + "0412"},
            {"sex1", "1"},
            {"insurer_name", "東京都後期高齢者医療広域連合"},
            {"insured_partial_contribution_ratio", i % 3 == 0 ? "030" : (i % 3 == 1 ? "020" : "010")}};
}

} // namespace

int main(int argc, char** argv)
{
    const int patients = argc > 1 ? std::atoi(argv[1]) : 200;
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
    const int terminalPollMs = argc > 3 ? std::atoi(argv[3]) : 10;
    // A day passes between rounds: the gateway pre-checks only today's and tomorrow's routes, and
    // each round must ask OQS afresh (tomorrow as seen from the new day).
    base::ManualClock clock{std::chrono::system_clock::now()};
    base::SteadyClock steady;
    base::SystemRandom random;
    const auto root = zaitaku::testing::makeTempDir("zaitaku-oqs-bench");
    const auto req = root / "terminal" / "req";
    const auto res = root / "terminal" / "res";
    std::filesystem::create_directories(req);
    std::filesystem::create_directories(res);

    json people = json::array();
    for (int i = 0; i < patients; ++i) {
        people.push_back({{"id", idOf(i)}, {"result", personResult(i)}});
    }
    auto population =
        sync::oqs::parsePopulation(
            {{"medical_institution_code", "1312345678"}, {"bulk_processing_polls", 1}, {"people", people}})
            .value();
    sync::oqs::OqsSimulator terminal(population, req, res, clock);
    std::thread terminalThread([&] { terminal.run(std::chrono::milliseconds(terminalPollMs)); });

    std::ostringstream log;
    sync::gateway::GatewayConfig config;
    config.dataDir = (root / "gateway").string();
    config.port = 0;
    config.oqsRequestDir = req.string();
    config.oqsResultDir = res.string();
    config.medicalInstitutionCode = "1312345678";
    // A pre-check costs a token per patient: one tablet asking about 200 patients three times a
    // round is past a real gateway's per-device budget, which this bench does not measure.
    config.ratePerSecond = 100000;
    config.rateBurst = 100000;
    auto gateway = must(sync::gateway::GatewayServer::start(config, clock, steady, random, log), "the gateway");
    const std::string url = "https://127.0.0.1:" + std::to_string(gateway->port());

    // The route's patients, each confirmed online before (a re-query key on file).
    std::vector<std::string> ids;
    for (int i = 0; i < patients; ++i) {
        const auto r = personResult(i);
        ids.push_back(idOf(i));
        auto stored =
            gateway->storage().setRequeryKey({ids.back(),
                                              {{"insurer_number", r["insurer_number"]},
                                               {"insured_identification_number", r["insured_identification_number"]},
                                               {"birthdate", r["birthdate"]}},
                                              std::nullopt,
                                              clock.nowJst()});
        if (!stored) {
            std::printf("error: %s\n", stored.error().message.c_str());
            return 1;
        }
    }
    sync::store::InitOptions options;
    options.scrypt = zaitaku::testing::fastScrypt();
    auto tablet = std::move(
        sync::store::initStore((root / "tablet.db").string(), zaitaku::testing::kTestPassphrase, options, random, clock)
            .value()
            .store);
    json roster = json::array();
    for (const auto& id : ids) {
        roster.push_back(json::parse(zaitaku::testing::rosterJson(id))[0]);
    }
    (void)must(sync::store::PatientRoster::import(tablet, roster.dump(), "bench"), "the roster import");
    auto code = sync::protocol::EnrollmentCode::generate(random, gateway->caFingerprint());
    (void)gateway->storage().addEnrollmentCode(base::sha256Hex(code.secret), clock.nowJst(),
                                               clock.nowJst().plus(std::chrono::hours(1)));
    const auto enrolled =
        must(sync::client::enroll(tablet, {url, code.toString(), "bench", "bench", {}}, random), "enrollment");
    (void)must(gateway->storage().changeAssignments(enrolled.deviceId, ids, true, clock.nowJst()), "the roster");
    sync::client::SyncEngine engine(tablet, random);

    std::printf("oqs bench: %d patients a route, %d rounds, terminal polls every %d ms, bridge first poll %lld ms, "
                "1 処理中 answer a bulk request (Shift_JIS)\n",
                patients, rounds, terminalPollMs, static_cast<long long>(config.oqsPollFirst.count()));
    std::vector<double> route;
    std::vector<double> baseline;
    std::size_t files = 0;
    int cached = 0;
    for (int round = 0; round < rounds; ++round) {
        if (round > 0) {
            clock.advance(std::chrono::hours(24));
        }
        const auto date = clock.nowJst().localDate().addDays(1);
        const auto before = terminal.answered();
        std::vector<sync::client::PrecheckResult> results;
        route.push_back(timedMs([&] { results = must(engine.precheck(date, ids), "the pre-check"); }));
        files += terminal.answered() - before;
        cached += static_cast<int>(std::count_if(results.begin(), results.end(), [](const auto& r) {
            return r.cached && std::find(r.flags.begin(), r.flags.end(), "no_result") == r.flags.end();
        }));
        const auto again = terminal.answered();
        baseline.push_back(timedMs([&] { (void)must(engine.precheck(date, ids), "the cached pre-check"); }));
        if (terminal.answered() != again) {
            std::printf("error: the baseline reached OQS\n");
            return 1;
        }
    }

    // The codec alone: the N-unit bulk result as the terminal writes it, built and parsed.
    sync::oqs::ResultFile file;
    file.bulk = true;
    file.header.segmentOfResult = model::SegmentOfResult::Normal;
    std::vector<std::string> warnings;
    for (int i = 0; i < patients; ++i) {
        file.units.push_back(sync::oqs::unitFromTagJson(personResult(i), warnings).value());
    }
    std::vector<double> build;
    std::vector<double> parse;
    for (int round = 0; round < rounds; ++round) {
        std::string bytes;
        build.push_back(
            timedMs([&] { bytes = sync::oqs::buildResult(file, sync::oqs::TextEncoding::ShiftJis).value(); }));
        parse.push_back(timedMs([&] { (void)sync::oqs::parseResult(bytes).value(); }));
    }

    // Issue 33: a 3-year 薬剤情報 history of about 200 dispensings, as the terminal writes it
    // (Shift_JIS): parsed at the gateway, sent as typed JSON, read on the tablet and reviewed
    // (重複投薬, 用量変更) for the お薬・健診 view.
    sync::oqs::MedicalInfoFile history;
    history.resultCode = "1";
    const auto today = base::Date::parse("2026-12-06").value();
    history.medication = sync::oqs::synthesizeMedication(
        sync::oqs::benchMedical(200, 3), base::Date::fromSysDays(today.sysDays() - std::chrono::days(1095)), today);
    const std::string drugXml = sync::oqs::buildMedicalInfoResult(history, sync::oqs::TextEncoding::ShiftJis).value();
    std::vector<double> medParse;
    std::vector<double> medWire;
    std::vector<double> medReview;
    std::size_t overlaps = 0;
    for (int round = 0; round < rounds; ++round) {
        sync::oqs::MedicalInfoFile parsed;
        medParse.push_back(timedMs(
            [&] { parsed = sync::oqs::parseMedicalInfoResult(drugXml, sync::oqs::MedicalInfoKind::Drugs).value(); }));
        sync::protocol::MedicalInfoItem item;
        medWire.push_back(timedMs([&] {
            sync::protocol::MedicalInfoItem sent{model::ConsentKind::Pharmacy,
                                                 base::Timestamp::parse("2026-12-06T10:00:00+09:00").value(),
                                                 base::Timestamp::parse("2026-12-07T10:00:00+09:00").value(),
                                                 "consent_plus_24h",
                                                 parsed.medication,
                                                 std::nullopt};
            item = sync::protocol::parseMedicalInfoItem(nlohmann::json::parse(sync::protocol::toJson(sent).dump()))
                       .value();
        }));
        medReview.push_back(
            timedMs([&] { overlaps = rules::reviewMedication(*item.medication, today).overlaps.size(); }));
    }

    const double r = median(route);
    const double b = median(baseline);
    std::printf("baseline  %8.1f ms  cached pre-check of %d patients (no OQS request)\n", b, patients);
    std::printf("route     %8.1f ms  through OQS: %.2f ms a patient, %.1f files answered a round, %d/%d cached "
                "(%.1fx the baseline)\n",
                r, r / patients, static_cast<double>(files) / rounds, cached / rounds, patients, b > 0 ? r / b : 0.0);
    std::printf("codec     %8.1f ms  build + %.1f ms parse of the %d-unit bulk result (%.1f%% of the route)\n",
                median(build), median(parse), patients, r > 0 ? 100.0 * (median(build) + median(parse)) / r : 0.0);
    const double medTotal = median(medParse) + median(medWire) + median(medReview);
    std::printf(
        "medinfo   %8.1f ms  %zu dispensings over 3 years (%zu KB Shift_JIS): parse %.1f, wire %.1f, review %.2f "
        "ms (%zu overlap); %.2fx the %d-unit bulk parse\n",
        medTotal, history.medication.events.size(), drugXml.size() / 1024, median(medParse), median(medWire),
        median(medReview), overlaps, median(parse) > 0 ? medTotal / median(parse) : 0.0, patients);
    terminal.stop();
    terminalThread.join();
    gateway->stop();
    std::filesystem::remove_all(root);
    return cached / rounds == patients ? 0 : 1;
}
