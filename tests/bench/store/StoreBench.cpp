// The store's own workload on SQLCipher 4.6 (encrypted, as shipped) and on stock SQLite 3.40 (the
// named baseline, same process, same store code through the SqliteApi table), and the unlock cost.
//
//   store_bench [VISITS] [PATIENTS] [REPEATS]
//
// Phases: import the roster; commit visits (visit + evidence + consent + outbox + audit, one
// durable transaction each); cache eligibility snapshots; look up the latest snapshot of random
// patients (warm, then cold after reopening); drain the outbox in batches of 100.

#include "sync/protocol/Scrypt.h"
#include "sync/sql/Transaction.h"
#include "sync/store/ChallengePool.h"
#include "sync/store/Outbox.h"
#include "sync/store/PatientRoster.h"
#include "sync/store/SnapshotCache.h"
#include "sync/store/StoreLifecycle.h"
#include "sync/store/VisitLedger.h"
#include "tests/bench/store/PlainSqliteApi.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace
{

using namespace zaitaku;
using namespace zaitaku::sync::store;
namespace protocol = sync::protocol;
namespace sql = sync::sql;
using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void check(bool ok, const char* what)
{
    if (!ok) {
        std::fprintf(stderr, "store_bench: %s failed\n", what);
        std::exit(1);
    }
}

std::string roster(int patients)
{
    std::string json = "[";
    for (int i = 0; i < patients; ++i) {
        char entry[512];
        std::snprintf(
            entry, sizeof entry,
            R"(%s{"id":"p-%05d","name":"山田 太郎","name_kana":"ヤマダ タロウ","birthdate":"1948-04-02",)"
            R"("insurer_number":"39131015","insured_symbol":"","insured_number":"%08d","insured_branch":"00"})",
            i == 0 ? "" : ",", i, i);
        json += entry;
    }
    return json + "]";
}

model::VisitRecord visit(int n, int patients, const base::Timestamp& at)
{
    model::VisitRecord r;
    char id[32];
    std::snprintf(id, sizeof id, "v-%06d", n);
    char patient[16];
    std::snprintf(patient, sizeof patient, "p-%05d", n % patients);
    r.visit.id = id;
    r.visit.patientId = patient;
    r.visit.state = "completed";
    r.visit.scheduledFor = at.localDate();
    r.visit.staffId = "nurse-7";
    r.visit.deviceId = "tablet-1";
    model::Evidence e;
    e.id = r.visit.id + "-e";
    e.visitId = r.visit.id;
    e.method = model::EvidenceMethod::PinSignature;
    e.capturedAt = at;
    e.authCertificateDer = std::vector<std::uint8_t>(1200, 0x30); // a JPKI user-auth certificate's size
    e.signature = std::vector<std::uint8_t>(256, 0x5a);
    r.evidence.push_back(e);
    model::Consent c;
    c.id = r.visit.id + "-c";
    c.patientId = patient;
    c.kind = model::ConsentKind::Diagnosis;
    c.given = true;
    c.textVersion = "consent-ja-2026-04";
    c.textSha256 = std::string(64, 'a');
    r.consents.push_back(c);
    return r;
}

model::EligibilitySnapshot snapshot(int n, int patients)
{
    model::EligibilitySnapshot s;
    s.id = "s-" + std::to_string(n);
    char patient[16];
    std::snprintf(patient, sizeof patient, "p-%05d", n % patients);
    s.patientId = patient;
    s.segmentOfResult = model::SegmentOfResult::Normal;
    s.processingResultStatus = model::ProcessingResultStatus::Normal;
    s.qualificationValidity = model::QualificationValidity::Valid;
    s.insurerNumber = "39131015";
    s.insuredIdentificationNumber = "12345678";
    s.insuredBranchNumber = "00";
    s.name = "山田 太郎";
    s.birthdate = base::Date::parse("1948-04-02").value();
    s.rawXml = std::string(3500, 'x'); // a result file's typical size
    s.rawEncoding = "UTF-8";
    return s;
}

using Phases = std::map<std::string, double>;

Phases runWorkload(const sql::SqliteApi& api, const std::filesystem::path& dir, int visits, int patients)
{
    const std::string path = (dir / (std::string(api.name) + ".db")).string();
    for (const char* suffix : {"", "-wal", "-shm", ".keys"}) {
        std::filesystem::remove(path + suffix);
    }
    base::ManualClock clock(base::Timestamp::parse("2026-11-21T10:00:00+09:00").value());
    base::SeededRandom random(9);
    StoreOptions options;
    options.api = &api;
    const base::SecureBytes key = makeDataKey(random);
    Phases t;
    {
        auto store = Store::create(path, key, "bench", clock, options);
        check(store.has_value(), "create");
        auto start = Clock::now();
        check(PatientRoster::import(*store, roster(patients), "bench").has_value(), "import");
        t["import_roster"] = msSince(start);

        start = Clock::now();
        for (int i = 0; i < visits; ++i) {
            check(VisitLedger::commit(*store, visit(i, patients, clock.nowJst()), "nurse-7").has_value(), "commit");
        }
        t["commit_visits"] = msSince(start);

        start = Clock::now();
        for (int batch = 0; batch < 3; ++batch) { // three route pre-checks
            auto tx = sql::Transaction::begin(store->db(), sql::Durability::Normal);
            check(tx.has_value(), "begin");
            for (int i = 0; i < patients; ++i) {
                clock.advance(std::chrono::seconds(1));
                check(SnapshotCache::add(store->db(), snapshot(batch * patients + i, patients), clock.nowJst())
                          .has_value(),
                      "snapshot");
            }
            check(tx->commit().has_value(), "commit snapshots");
        }
        t["cache_snapshots"] = msSince(start);

        std::mt19937 rng(5);
        std::uniform_int_distribution<int> pick(0, patients - 1);
        start = Clock::now();
        for (int i = 0; i < 5000; ++i) {
            char patient[16];
            std::snprintf(patient, sizeof patient, "p-%05d", pick(rng));
            check(SnapshotCache::latestFor(store->db(), patient).has_value(), "lookup");
        }
        t["lookup_warm"] = msSince(start);
    }
    {
        auto store = Store::open(path, key, "bench", clock, options);
        check(store.has_value(), "reopen");
        std::mt19937 rng(6);
        std::uniform_int_distribution<int> pick(0, patients - 1);
        auto start = Clock::now();
        for (int i = 0; i < 5000; ++i) {
            char patient[16];
            std::snprintf(patient, sizeof patient, "p-%05d", pick(rng));
            check(SnapshotCache::latestFor(store->db(), patient).has_value(), "lookup");
        }
        t["lookup_cold"] = msSince(start);

        start = Clock::now();
        for (;;) {
            auto batch = Outbox::nextBatch(store->db(), 100, clock.nowJst());
            check(batch.has_value(), "batch");
            if (batch->empty()) {
                break;
            }
            std::vector<std::int64_t> seqs;
            for (const auto& item : *batch) {
                seqs.push_back(item.seq);
            }
            check(Outbox::markSending(store->db(), seqs).has_value(), "sending");
            auto tx = sql::Transaction::begin(store->db(), sql::Durability::Full);
            check(tx.has_value(), "begin");
            check(Outbox::acknowledge(store->db(), seqs, "receipt", clock.nowJst()).has_value(), "ack");
            check(tx->commit().has_value(), "commit ack");
        }
        t["drain_outbox"] = msSince(start);
    }
    double total = 0;
    for (const auto& [phase, ms] : t) {
        total += ms;
    }
    t["total"] = total;
    return t;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    const int visits = argc > 1 ? std::atoi(argv[1]) : 2000;
    const int patients = argc > 2 ? std::atoi(argv[2]) : 200;
    const int repeats = argc > 3 ? std::atoi(argv[3]) : 3;
    auto plain = zaitaku::bench::loadPlainSqlite();
    check(plain.has_value(), "loading libsqlite3.so.0 (the baseline)");
    const auto dir = std::filesystem::temp_directory_path() / "zaitaku-store-bench";
    std::filesystem::create_directories(dir);

    std::map<std::string, std::vector<double>> cipher;
    std::map<std::string, std::vector<double>> baseline;
    for (int r = 0; r < repeats; ++r) { // interleaved so drift hits both engines alike
        for (const auto& [phase, ms] : runWorkload(sql::sqlcipherApi(), dir, visits, patients)) {
            cipher[phase].push_back(ms);
        }
        for (const auto& [phase, ms] : runWorkload(*plain, dir, visits, patients)) {
            baseline[phase].push_back(ms);
        }
    }
    std::printf("store workload: %d visits, %d patients, median of %d runs; SQLCipher %s vs baseline stock SQLite %s\n",
                visits, patients, repeats, sql::sqlcipherApi().libversion(), plain->libversion());
    std::printf("%-16s %12s %12s %8s\n", "phase", "sqlcipher ms", "sqlite ms", "ratio");
    for (const auto& [phase, values] : cipher) {
        const double c = median(values);
        const double b = median(baseline[phase]);
        std::printf("%-16s %12.1f %12.1f %8.2f\n", phase.c_str(), c, b, c / b);
    }

    // Unlock: scrypt at the shipped parameters, then open + checks with the raw key.
    base::SystemClock clock;
    base::SystemRandom random;
    const std::string path = (dir / "unlock.db").string();
    for (const char* suffix : {"", "-wal", "-shm", ".keys"}) {
        std::filesystem::remove(path + suffix);
    }
    InitOptions init;
    check(initStore(path, "benchmark passphrase", init, random, clock).has_value(), "init");
    std::vector<double> unlock;
    for (int i = 0; i < 5; ++i) {
        const auto start = Clock::now();
        check(unlockStore(path, UnlockSecret::passphrase("benchmark passphrase"), clock).has_value(), "unlock");
        unlock.push_back(msSince(start));
    }
    const protocol::ScryptParams shipped;
    std::printf("unlock (scrypt logN=%u r=%u p=%u + open checks): median %.0f ms over 5\n", shipped.logN, shipped.r,
                shipped.p, median(unlock));
    std::filesystem::remove_all(dir);
    return 0;
}
