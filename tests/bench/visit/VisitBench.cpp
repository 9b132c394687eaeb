// Machine time of a visit, operator input excluded (the engine measures the time spent waiting for
// people and subtracts it), on the in-process virtual card and a real encrypted store on disk.
//   first visit: card read + PIN + signature + consent + commit (+ every transition audited)
//   revisit:     re-query permission + cached result + commit
// Baseline, run in the same process: "commit only" = VisitLedger::commit of the same first-visit
// record, no card, no engine. The ratio is what the card, the state machine, the audit of each
// transition and the challenge cost on top of the one transaction that must happen anyway.
//   visit_bench [VISITS]

#include "hardware/vcard/CardImage.h"
#include "hardware/vcard/TestPki.h"
#include "support/VirtualCardReader.h"
#include "sync/store/PatientRoster.h"
#include "sync/store/StoreLifecycle.h"
#include "sync/store/StoreVisitPort.h"
#include "sync/store/VisitLedger.h"
#include "verify/identity/FaceVerifier.h"
#include "verify/visit/ScriptedOperator.h"
#include "verify/visit/VisitEngine.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

using namespace zaitaku;
using Clock = std::chrono::steady_clock;

namespace
{

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

std::string readFile(const std::string& path)
{
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

int main(int argc, char** argv)
{
    const int visits = argc > 1 ? std::atoi(argv[1]) : 200;
    char pattern[] = "/tmp/zaitaku-visit-bench-XXXXXX";
    const std::string dir = mkdtemp(pattern);
    base::SystemClock clock;
    base::SteadyClock monotonic;
    base::SystemRandom random;
    sync::store::InitOptions options;
    options.scrypt = sync::protocol::ScryptParams{10, 8, 1};
    auto created = sync::store::initStore(dir + "/store.db", "bench passphrase", options, random, clock);
    if (!created) {
        std::fprintf(stderr, "init: %s\n", created.error().message.c_str());
        return 1;
    }
    sync::store::Store& store = created->store;
    if (!sync::store::PatientRoster::import(store, readFile(std::string(ZAITAKU_TEST_DATA_DIR) + "/visit-roster.json"),
                                            "bench")) {
        return 1;
    }
    auto port = sync::store::StoreVisitPort::open(store, random);
    auto pki = hardware::TestPki::open(dir + "/pki", clock.nowJst());
    auto image = pki ? hardware::buildCardImage(hardware::builtinPersona("valid").value(), *pki, clock.nowJst())
                     : Expected<hardware::CardImage, device::Error>(Unexpected(pki.error()));
    if (!port || !image) {
        std::fprintf(stderr, "setup failed\n");
        return 1;
    }
    hardware::VirtualCard card(std::move(*image));
    testing::VirtualCardReader reader(&card);
    identity::NoFaceVerifier face;
    visit::VisitServices services{&reader, "",    clock, monotonic, random,
                                  *port,   *port, *port, face,      consent::ConsentCatalog::builtin()};
    visit::VisitSettings settings;
    settings.appVersion = "bench";
    visit::VisitEngine engine(services, settings);

    std::vector<double> first, revisit, commitOnly, operatorShare;
    std::vector<model::VisitRecord> replay;
    for (int i = 0; i < visits; ++i) {
        visit::VisitScript script;
        script.pins.push_back(device::makeAuthPin("1234").value());
        visit::ScriptedOperator op(std::move(script));
        visit::VisitRequest request{
            "p-first", model::ServiceKind::HoumonShinryo, model::VisitFlow::FirstVisit, "nurse-7", false, std::nullopt,
            ""};
        auto out = engine.run(request, op);
        if (!out || out->state != visit::VisitState::Committed) {
            std::fprintf(stderr, "first visit failed\n");
            return 1;
        }
        first.push_back(std::chrono::duration<double, std::milli>(out->machineTime).count());
        operatorShare.push_back(std::chrono::duration<double, std::milli>(out->operatorTime).count());

        visit::ScriptedOperator again(visit::VisitScript{});
        request.patientId = "p-cont";
        request.flow = model::VisitFlow::Revisit;
        auto re = engine.run(request, again);
        if (!re || re->state != visit::VisitState::Committed) {
            std::fprintf(stderr, "revisit failed\n");
            return 1;
        }
        revisit.push_back(std::chrono::duration<double, std::milli>(re->machineTime).count());
    }
    // Baseline: the same kind of record through VisitLedger::commit alone.
    for (int i = 0; i < visits; ++i) {
        model::VisitRecord record;
        record.visit.id = base::makeUuid(random);
        record.visit.patientId = "p-first";
        record.visit.scheduledFor = clock.nowJst().localDate();
        record.visit.staffId = "nurse-7";
        record.visit.deviceId = "tablet";
        model::Evidence e;
        e.id = base::makeUuid(random);
        e.visitId = record.visit.id;
        e.method = model::EvidenceMethod::PinSignature;
        e.capturedAt = clock.nowJst();
        e.authCertificateDer = std::vector<std::uint8_t>(1200, 0x30);
        e.signature = std::vector<std::uint8_t>(256, 0x5a);
        record.evidence.push_back(e);
        for (auto kind : {model::ConsentKind::Diagnosis, model::ConsentKind::Pharmacy, model::ConsentKind::Operation,
                          model::ConsentKind::Checkup}) {
            model::Consent c;
            c.id = base::makeUuid(random);
            c.patientId = "p-first";
            c.kind = kind;
            c.given = true;
            c.textVersion = "2026-11/ja/all";
            c.textSha256 = std::string(64, 'a');
            c.consentTime = clock.nowJst();
            record.consents.push_back(c);
        }
        const auto start = Clock::now();
        if (!sync::store::VisitLedger::commit(store, record, "nurse-7", &port->signingKey())) {
            return 1;
        }
        commitOnly.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    const double base = median(commitOnly);
    std::printf("visit bench: %d visits each, in-process virtual card, SQLCipher store on %s, medians\n", visits,
                dir.c_str());
    std::printf("%-44s %10s %8s\n", "flow", "ms", "ratio");
    std::printf("%-44s %10.3f %8.2f\n", "commit only (baseline: VisitLedger::commit)", base, 1.0);
    std::printf("%-44s %10.3f %8.2f\n", "first visit (card+PIN+sign+consent+commit)", median(first),
                median(first) / base);
    std::printf("%-44s %10.3f %8.2f\n", "revisit (permission+cached result+commit)", median(revisit),
                median(revisit) / base);
    std::printf("operator time excluded (scripted operator): median %.4f ms\n", median(operatorShare));
    std::filesystem::remove_all(dir);
    return 0;
}
