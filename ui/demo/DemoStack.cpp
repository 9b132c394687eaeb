#include "ui/demo/DemoStack.h"

#include "base/Bytes.h"
#include "base/CanonicalJson.h"
#include "base/Sha256.h"
#include "hardware/vcard/TestPki.h"
#include "sync/client/Enrollment.h"
#include "sync/client/SyncEngine.h"
#include "sync/gateway/GatewayServer.h"
#include "sync/oqs/OqsSimulator.h"
#include "sync/protocol/EnrollmentCode.h"
#include "sync/protocol/StaffAccount.h"
#include "sync/store/PatientRoster.h"
#include "sync/store/StoreLifecycle.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdlib.h>

namespace zaitaku::demo
{
namespace protocol = sync::protocol;

namespace
{

constexpr const char* kDemoRoster =
    R"([{"id":"demo-first","name":"在宅 花子","name_kana":"ザイタク ハナコ","birthdate":"1955-06-15",)"
    R"("insurer_number":"138057","insured_symbol":"世田谷","insured_number":"4711","insured_branch":"00",)"
    R"("care":{"service_kind":"houmon_shinryo"}},)"
    R"({"id":"demo-cont","name":"継続 太郎","name_kana":"ケイゾク タロウ","birthdate":"1948-04-02",)"
    R"("insurer_number":"39131015","insured_symbol":"","insured_number":"12345678","insured_branch":"00",)"
    R"("care":{"service_kind":"houmon_kango","first_online_confirm_at":"2025-06-10","first_confirm_method":"pin"}}])";

// The virtual card of persona 'valid' belongs to 在宅 花子: the terminal matches it by its
// certificate's serial and issuer, as a real terminal matches a card.
nlohmann::json demoPopulation()
{
    std::string serialHex = base::toHex(hardware::testSerialFor(hardware::authCertificateCommonName("valid")));
    std::transform(serialHex.begin(), serialHex.end(), serialHex.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c)); // the simulator keys serials in lower-case hex
    });
    return {{"medical_institution_code", "1312345678"},
            {"issuer", "CN=zaitaku test JPKI user-authentication CA,O=zaitaku test JPKI (not J-LIS),C=JP"},
            {"bulk_processing_polls", 1},
            {"people",
             {{{"id", "demo-first"},
               {"certificate_serial", serialHex},
               {"result",
                {{"qualification_validity", "1"},
                 {"insured_card_classification", "01"},
                 {"insurer_number", "00138057"},
                 {"insured_card_symbol", "世田谷"},
                 {"insured_identification_number", "4711"},
                 {"insured_branch_number", "00"},
                 {"name", "在宅　花子"},
                 {"name_kana", "ｻﾞｲﾀｸ ﾊﾅｺ"},
                 {"birthdate", "19550615"},
                 {"sex1", "2"},
                 {"insurer_name", "世田谷区国民健康保険"},
                 {"elderly_recipient_valid_start_date", "20250701"},
                 {"elderly_recipient_valid_end_date", "20300630"},
                 {"elderly_recipient_contribution_ratio", "020"}}},
               {"medical", "demo"}}, // her 薬剤・特定健診 history (SyntheticMedicalHistory)
              // 継続 太郎 has no card here: the terminal finds him by the numbers of his re-query key.
              {{"id", "demo-cont"},
               {"result",
                {{"qualification_validity", "1"},
                 {"insured_card_classification", "39"},
                 {"insurer_number", "39131015"},
                 {"insured_identification_number", "12345678"},
                 {"insured_branch_number", "00"},
                 {"name", "継続　太郎"},
                 {"name_kana", "ｹｲｿﾞｸ ﾀﾛｳ"},
                 {"birthdate", "19480402"},
                 {"sex1", "1"},
                 {"insurer_name", "東京都後期高齢者医療広域連合"},
                 {"insured_partial_contribution_ratio", "010"}}}}}}};
}

// The gateway learns what the facility knew before it was installed (`zaitaku-gateway care import`):
// 継続 太郎's 訪問看護 has been confirmed online since 2025-06-10, so his revisits are re-queried.
sync::gateway::CareImport demoContinuingCare()
{
    sync::gateway::CareImport care;
    care.patientId = "demo-cont";
    care.serviceKind = "houmon_kango";
    care.firstVisitAt = base::Timestamp::parse("2025-06-10T10:00:00+09:00").value();
    care.firstOnlineConfirmAt = base::Timestamp::parse("2025-06-10T10:30:00+09:00").value();
    care.search = {
        {"insurer_number", "39131015"},  {"insured_card_symbol", ""}, {"insured_identification_number", "12345678"},
        {"insured_branch_number", "00"}, {"birthdate", "19480402"},   {"limit_consent", "0"}};
    return care;
}

} // namespace

Expected<std::unique_ptr<DemoStack>, std::string> DemoStack::start(const std::string& jpkiCa,
                                                                   const base::Clock& clock,
                                                                   const base::MonotonicClock& monotonic,
                                                                   base::RandomSource& random)
{
    namespace store = sync::store;
    std::unique_ptr<DemoStack> stack(new DemoStack());
    stack->m_dir = (std::filesystem::temp_directory_path() / "zaitaku-demo-XXXXXX").string();
    if (mkdtemp(stack->m_dir.data()) == nullptr) {
        stack->m_dir.clear();
        return Unexpected(std::string("cannot create a temporary directory"));
    }
    stack->m_storePath = stack->m_dir + "/store.db";
    store::InitOptions options;
    options.scrypt = protocol::ScryptParams{14, 8, 1}; // the demo's own store: quick to unlock
    auto created = store::initStore(stack->m_storePath, kDemoPassphrase, options, random, clock);
    auto imported = created ? store::PatientRoster::import(created->store, kDemoRoster, "demo-clerk")
                            : Expected<store::RosterImportResult, sync::Error>(Unexpected(created.error()));
    if (!imported) {
        return Unexpected(imported.error().message);
    }
    stack->m_store = std::make_unique<store::Store>(std::move(created->store));
    if (auto failed = stack->startGateway(jpkiCa, clock, monotonic, random); !failed.empty()) {
        return Unexpected(failed);
    }
    if (auto failed = stack->enrollTablet(clock, random); !failed.empty()) {
        return Unexpected(failed);
    }
    return stack;
}

std::string DemoStack::startGateway(const std::string& jpkiCa,
                                    const base::Clock& clock,
                                    const base::MonotonicClock& monotonic,
                                    base::RandomSource& random)
{
    sync::gateway::GatewayConfig config;
    config.dataDir = m_dir + "/gateway";
    config.port = 0;
    if (!jpkiCa.empty()) {
        config.jpkiCaFiles = {jpkiCa};
    }
    config.oqsRequestDir = m_dir + "/terminal/req";
    config.oqsResultDir = m_dir + "/terminal/res";
    config.medicalInstitutionCode = "1312345678";
    std::filesystem::create_directories(config.oqsRequestDir);
    std::filesystem::create_directories(config.oqsResultDir);
    auto population = sync::oqs::parsePopulation(demoPopulation());
    if (!population) {
        return population.error().message;
    }
    m_terminal = std::make_unique<sync::oqs::OqsSimulator>(std::move(*population), config.oqsRequestDir,
                                                           config.oqsResultDir, clock);
    m_terminalThread = std::make_unique<std::thread>([t = m_terminal.get()] { t->run(std::chrono::milliseconds(10)); });
    m_log = std::make_unique<std::ostringstream>();
    m_config = std::make_unique<sync::gateway::GatewayConfig>(std::move(config));
    m_gatewayParts = {&clock, &monotonic, &random};
    if (auto failed = listen(); !failed.empty()) {
        return failed;
    }
    m_url = "https://127.0.0.1:" + std::to_string(m_server->port());
    if (auto imported = m_server->storage().importCare(demoContinuingCare(), "operator:demo", clock.nowJst());
        !imported) {
        return "the demo's continuing care cannot be imported: " + imported.error().message;
    }
    // The nurse of the demo's visits, known to the gateway: medical information is read by name
    // (issue 33). Her sign-in secret is random: the demo never signs in with it.
    auto credential = sync::protocol::makeStaffCredential(base::makeUuid(random), random);
    if (!credential) {
        return "the demo's staff account cannot be made: " + credential.error().message;
    }
    sync::protocol::StaffAccount nurse{"demo-nurse", "デモ 看護師", "nurse", std::move(*credential), true, 0};
    if (auto put = m_server->storage().putStaff(nurse, clock.nowJst()); !put) {
        return "the demo's staff account cannot be stored: " + put.error().message;
    }
    return {};
}

std::string DemoStack::listen()
{
    auto server = sync::gateway::GatewayServer::start(*m_config, *m_gatewayParts.clock, *m_gatewayParts.monotonic,
                                                      *m_gatewayParts.random, *m_log);
    if (!server) {
        return "the gateway did not start: " + server.error().message;
    }
    m_server = std::move(*server);
    m_config->port = m_server->port(); // a restart keeps the address the tablet enrolled with
    return {};
}

std::string DemoStack::enrollTablet(const base::Clock& clock, base::RandomSource& random)
{
    const auto code = sync::protocol::EnrollmentCode::generate(random, m_server->caFingerprint());
    const auto now = clock.nowJst();
    auto added =
        m_server->storage().addEnrollmentCode(base::sha256Hex(code.secret), now, now.plus(std::chrono::hours(1)));
    auto enrolled =
        added ? sync::client::enroll(*m_store, {m_url, code.toString(), "demo-tablet", ZAITAKU_VERSION, {}}, random)
              : Expected<sync::client::EnrollmentResult, sync::Error>(Unexpected(added.error()));
    if (!enrolled) {
        return "enrollment failed: " + enrolled.error().message;
    }
    // The operator's `zaitaku-gateway roster assign`: this tablet reads its route's patients.
    auto patients = sync::store::PatientRoster::list(m_store->db());
    if (!patients) {
        return "the demo roster cannot be read: " + patients.error().message;
    }
    std::vector<std::string> ids;
    for (const auto& p : *patients) {
        ids.push_back(p.id);
    }
    if (auto done = m_server->storage().changeAssignments(enrolled->deviceId, ids, true, now); !done) {
        return "the demo roster cannot be assigned: " + done.error().message;
    }
    sync::client::SyncEngine engine(*m_store, random);
    auto report = engine.run();
    if (!report || report->error) {
        return "the first sync failed";
    }
    m_enrollment = {code.toString(), enrolled->tlsVersion, enrolled->deviceId, enrolled->caFingerprint,
                    report->challengesAdded};
    return {};
}

void DemoStack::stopGateway()
{
    if (m_server) {
        m_server->stop();
    }
}

std::string DemoStack::setGatewayOnline(bool online)
{
    if (!online) {
        m_server.reset();
        return {};
    }
    return m_server ? std::string() : listen();
}

DemoStack::~DemoStack()
{
    m_store.reset();
    m_server.reset();
    if (m_terminal) {
        m_terminal->stop();
        m_terminalThread->join();
    }
    if (!m_dir.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(m_dir, ignored);
    }
}

} // namespace zaitaku::demo
