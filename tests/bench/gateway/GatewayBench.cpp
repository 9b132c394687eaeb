// The gateway under concurrent tablets on loopback: real TLS 1.3 with client certificates, the
// real service and its SQLCipher storage (synchronous=FULL), all in this process.
//   baseline  POST /v1/challenges {count:1}  the floor: TLS record, HTTP, mTLS device lookup, routing
//   precheck  POST /v1/precheck     20 patients a request, each with a stored result
//   intake    POST /v1/records      one visit a request, each committed before its answer
//   drain     one tablet's 10,000 queued visits through SyncEngine::run (batches of 50)
// Prints requests/s and p50/p99 per workload, the ratio to the baseline, and the drain time.
//   gateway_bench [CLIENTS] [SECONDS] [DRAIN_VISITS] [SERVER_THREADS]

#include "base/CanonicalJson.h"
#include "base/Sha256.h"
#include "support/StoreFixture.h"
#include "sync/client/Enrollment.h"
#include "sync/client/GatewayConnection.h"
#include "sync/client/SyncEngine.h"
#include "sync/gateway/GatewayServer.h"
#include "sync/protocol/EnrollmentCode.h"
#include "sync/protocol/Messages.h"
#include "sync/protocol/ModelJson.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <sstream>
#include <thread>
#include <unistd.h>

using namespace zaitaku;
using SteadyClock = std::chrono::steady_clock;

namespace
{

struct Tablet
{
    std::filesystem::path dir;
    std::optional<sync::store::Store> store;
    std::vector<std::string> uploads; // one POST /v1/records body per queued visit
};

struct Result
{
    double rps = 0;
    double p50 = 0;
    double p99 = 0;
    std::size_t errors = 0;
};

double percentile(std::vector<double>& v, double p)
{
    if (v.empty()) {
        return 0;
    }
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

template <typename MakeRequest> Result drive(std::vector<Tablet>& tablets, double seconds, MakeRequest make)
{
    std::vector<std::vector<double>> latencies(tablets.size());
    std::atomic<std::size_t> errors{0};
    const auto until = SteadyClock::now() + std::chrono::duration<double>(seconds);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < tablets.size(); ++t) {
        threads.emplace_back([&, t] {
            auto link = sync::client::GatewayLink::load(tablets[t].store->db()).value().value();
            auto gw = sync::client::GatewayConnection::open(link, {}).value();
            for (std::size_t i = 0; SteadyClock::now() < until; ++i) {
                auto [target, body] = make(t, i);
                const auto start = SteadyClock::now();
                auto response = gw.post(target, body);
                latencies[t].push_back(std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count());
                if (!response) {
                    ++errors;
                }
            }
        });
    }
    for (auto& th : threads) {
        th.join();
    }
    std::vector<double> all;
    for (auto& l : latencies) {
        all.insert(all.end(), l.begin(), l.end());
    }
    Result r;
    r.rps = static_cast<double>(all.size()) / seconds;
    r.p50 = percentile(all, 0.50);
    r.p99 = percentile(all, 0.99);
    r.errors = errors;
    return r;
}

void print(const char* name, const Result& r, const Result& baseline)
{
    std::printf("%-9s %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %zu  (%.2fx the baseline's req/s)\n", name, r.rps,
                r.p50, r.p99, r.errors, baseline.rps > 0 ? r.rps / baseline.rps : 0.0);
}

} // namespace

int main(int argc, char** argv)
{
    const int clients = argc > 1 ? std::atoi(argv[1]) : 8;
    const double seconds = argc > 2 ? std::atof(argv[2]) : 5.0;
    const int drainVisits = argc > 3 ? std::atoi(argv[3]) : 10000;
    const int serverThreads = argc > 4 ? std::atoi(argv[4]) : sync::gateway::GatewayConfig{}.threads;
    // Set ZAITAKU_BENCH_PAUSE to wait for Enter before the workloads (to attach a profiler).
    const bool pause = std::getenv("ZAITAKU_BENCH_PAUSE") != nullptr;
    base::SystemClock clock;
    base::SteadyClock steady;
    base::SystemRandom random;
    const auto root = zaitaku::testing::makeTempDir("zaitaku-gateway-bench");
    std::ostringstream log;

    sync::gateway::GatewayConfig config;
    config.dataDir = (root / "gateway").string();
    config.port = 0;
    config.threads = serverThreads;
    config.ratePerSecond = 1e6; // the bench measures throughput, not the limiter
    config.rateBurst = 1e6;
    config.enrollBurst = 1e6; // eight tablets enroll from one address
    auto gateway = sync::gateway::GatewayServer::start(config, clock, steady, random, log).value();
    const std::string url = "https://127.0.0.1:" + std::to_string(gateway->port());

    auto enrollTablet = [&](Tablet& t) {
        t.dir = root / ("tablet-" + std::to_string(reinterpret_cast<std::uintptr_t>(&t)));
        std::filesystem::create_directories(t.dir);
        sync::store::InitOptions options;
        options.scrypt = zaitaku::testing::fastScrypt();
        auto created = sync::store::initStore((t.dir / "store.db").string(), zaitaku::testing::kTestPassphrase, options,
                                              random, clock);
        t.store.emplace(std::move(created.value().store));
        (void)sync::store::PatientRoster::import(*t.store, zaitaku::testing::rosterJson("p-001"), "operator").value();
        auto code = sync::protocol::EnrollmentCode::generate(random, gateway->caFingerprint());
        (void)gateway->storage().addEnrollmentCode(base::sha256Hex(code.secret), clock.nowJst(),
                                                   clock.nowJst().plus(std::chrono::hours(1)));
        const auto enrolled =
            sync::client::enroll(*t.store, {url, code.toString(), "bench", "bench", {}}, random).value();
        std::vector<std::string> ids{"p-001"};
        for (int i = 0; i < 20; ++i) {
            ids.push_back("bp-" + std::to_string(i));
        }
        (void)gateway->storage().changeAssignments(enrolled.deviceId, ids, true, clock.nowJst()).value();
    };

    std::vector<Tablet> tablets(static_cast<std::size_t>(clients));
    for (auto& t : tablets) {
        enrollTablet(t);
    }
    // Results for the pre-check: 20 patients.
    std::vector<std::string> patients;
    for (int i = 0; i < 20; ++i) {
        auto s = zaitaku::testing::confirmedSnapshot("bench-" + std::to_string(i), "bp-" + std::to_string(i));
        s.birthdate = base::Date::parse("1955-06-15").value();
        s.name = "訪問 花子";
        (void)gateway->storage().addSnapshot(s.patientId, sync::protocol::snapshotToJson(s), clock.nowJst());
        patients.push_back(s.patientId);
    }
    const std::string precheckBody =
        sync::protocol::dump(sync::protocol::toJson(sync::protocol::PrecheckRequest{clock.todayJst(), patients}));

    // Visits to upload, sealed by each tablet (enough for the intake run).
    const int perTablet = 4000;
    for (std::size_t t = 0; t < tablets.size(); ++t) {
        for (int i = 0; i < perTablet; ++i) {
            (void)zaitaku::testing::commitVisualVisit(*tablets[t].store, random,
                                                      "bv-" + std::to_string(t) + "-" + std::to_string(i), "p-001")
                .value();
        }
        auto s = tablets[t].store->db().prepare("SELECT payload, record_id FROM outbox ORDER BY seq").value();
        while (s.step().value_or(false)) {
            const std::string payload = s.text(0);
            const std::string id = s.text(1);
            sync::protocol::RecordsRequest req;
            req.deviceTime = clock.nowJst();
            req.records.push_back({id, "visit", id, payload, base::sha256Hex(payload), req.deviceTime});
            tablets[t].uploads.push_back(sync::protocol::dump(sync::protocol::toJson(req)));
        }
    }

    if (pause) {
        std::printf("ready (pid %d): press Enter\n", static_cast<int>(getpid()));
        std::fflush(stdout);
        std::getchar();
    }
    std::printf("gateway bench: %d clients, %.0f s a workload, %d server threads, TLS 1.3 + client certificates\n",
                clients, seconds, serverThreads);
    // Baseline: the cheapest authenticated POST (one stateless challenge), same connections.
    const auto floor = drive(tablets, seconds, [](std::size_t, std::size_t) {
        return std::pair<std::string, std::string>{"/v1/challenges", R"({"count":1})"};
    });
    const auto precheck = drive(tablets, seconds, [&](std::size_t, std::size_t) {
        return std::pair<std::string, std::string>{"/v1/precheck", precheckBody};
    });
    const auto intake = drive(tablets, seconds, [&](std::size_t t, std::size_t i) {
        return std::pair<std::string, std::string>{"/v1/records", tablets[t].uploads[i % tablets[t].uploads.size()]};
    });
    print("baseline", floor, floor);
    print("precheck", precheck, floor);
    print("intake", intake, floor);

    // Drain: one tablet with DRAIN_VISITS queued visits, sent by the sync engine.
    Tablet drainer;
    enrollTablet(drainer);
    for (int i = 0; i < drainVisits; ++i) {
        (void)zaitaku::testing::commitVisualVisit(*drainer.store, random, "dv-" + std::to_string(i), "p-001").value();
    }
    const auto start = SteadyClock::now();
    sync::client::SyncEngine engine(*drainer.store, random);
    auto report = engine.run().value();
    const double drainSeconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
    std::printf("drain     %d queued visits in %.2f s (%lld stored, %lld dead-lettered, %s)\n", drainVisits,
                drainSeconds, static_cast<long long>(report.stored), static_cast<long long>(report.deadLettered),
                report.error ? report.error->message.c_str() : "complete");
    gateway->stop();
    std::filesystem::remove_all(root);
    return 0;
}
