#include "ui/app/AppSession.h"

#include "sync/client/GatewayLink.h"
#include "sync/sql/AuditLog.h"
#include "sync/sql/Transaction.h"
#include "sync/store/StaffDirectory.h"
#include "sync/store/StoreKeys.h"
#include "sync/store/StoreLifecycle.h"
#include "ui/app/VisitBridge.h"
#include "ui/session/VisitRuntime.h"
#include "verify/consent/ConsentCatalog.h"

#include <algorithm>

#ifndef ZAITAKU_VERSION
#define ZAITAKU_VERSION "dev"
#endif

namespace zaitaku::app
{

Expected<std::unique_ptr<AppSession>, sync::Error>
AppSession::unlock(const std::string& path, std::string passphrase, SessionParts parts)
{
    auto opened = sync::store::unlockStore(path, sync::store::UnlockSecret::passphrase(passphrase), parts.clock);
    std::fill(passphrase.begin(), passphrase.end(), '\0');
    if (!opened) {
        return Unexpected(opened.error());
    }
    return adopt(std::make_unique<sync::store::Store>(std::move(*opened)), std::move(parts));
}

Expected<std::unique_ptr<AppSession>, sync::Error> AppSession::adopt(std::unique_ptr<sync::store::Store> store,
                                                                     SessionParts parts)
{
    auto port = sync::store::StoreVisitPort::open(*store, parts.random);
    if (!port) {
        return Unexpected(port.error());
    }
    return std::unique_ptr<AppSession>(new AppSession(std::move(store), std::move(*port), std::move(parts)));
}

AppSession::AppSession(std::unique_ptr<sync::store::Store> store, sync::store::StoreVisitPort port, SessionParts parts)
    : m_store(std::move(store))
    , m_port(std::move(port))
    , m_parts(std::move(parts))
{}

AppSession::~AppSession() = default;

device::CardReader* AppSession::reader()
{
    if (!m_reader && m_parts.openReader) {
        auto opened = m_parts.openReader();
        if (opened) {
            m_reader = std::move(*opened);
        }
    }
    return m_reader.get();
}

std::string AppSession::deviceId()
{
    return session::deviceIdOf(*m_store);
}

Expected<std::vector<session::RouteEntry>, sync::Error> AppSession::route()
{
    auto route = session::loadRoute(m_store->db(), m_parts.clock.nowJst());
    if (route) {
        for (auto& entry : *route) {
            if (auto it = m_gatewayFlags.find(entry.patient.id); it != m_gatewayFlags.end()) {
                session::addFlags(entry, it->second);
            }
        }
    }
    return route;
}

Expected<std::vector<session::RouteEntry>, sync::Error> AppSession::precheckNow()
{
    sync::client::SyncEngine engine(*m_store, m_parts.random);
    auto results = engine.precheck(m_parts.clock.todayJst(), {});
    if (!results) {
        return Unexpected(results.error());
    }
    for (const auto& r : *results) {
        m_gatewayFlags[r.patientId] = r.flags;
    }
    return route();
}

Expected<visit::VisitOutcome, visit::Error>
AppSession::runVisit(const visit::VisitRequest& request, VisitBridge& bridge, const AppSettings& settings)
{
    const session::VisitRuntime runtime({reader(), settings.readerId.toStdString(), settings.cameraSource.toStdString(),
                                         m_parts.faceModelDir, bridge.faceObserver(), m_store.get()},
                                        m_parts.clock, m_parts.monotonic, m_parts.random, m_port);
    visit::VisitSettings visitSettings;
    visitSettings.deviceId = deviceId();
    visitSettings.appVersion = ZAITAKU_VERSION;
    visitSettings.language = settings.language.toStdString();
    // Short waits, asked again: the screen stays live and a cancel is honoured within 2 s.
    visitSettings.cardWait = std::chrono::seconds(2);
    visitSettings.maxPrompts = 1000;
    return runtime.engine(visitSettings).run(request, bridge);
}

Expected<sync::client::SyncReport, sync::Error> AppSession::syncNow()
{
    return sync::client::SyncEngine(*m_store, m_parts.random).run();
}

Expected<sync::client::SyncReport, sync::Error> AppSession::backgroundSync()
{
    sync::client::SyncOptions options;
    options.userInitiated = false;
    options.timeouts.connect = std::chrono::seconds(3);
    options.timeouts.io = std::chrono::seconds(8);
    return sync::client::SyncEngine(*m_store, m_parts.random, options).run();
}

Expected<session::MedicalInfoReport, sync::Error> AppSession::medicalInfo(const std::string& patientId)
{
    return session::medicalInfoReport(*m_store, patientId, std::nullopt);
}

Expected<sync::protocol::MedicalInfoAnswer, sync::Error>
AppSession::fetchMedicalInfo(const std::string& patientId, const std::string& serviceKind, const std::string& staffId)
{
    return sync::client::SyncEngine(*m_store, m_parts.random).medicalInfo(patientId, serviceKind, staffId);
}

Expected<sync::client::SyncStatus, sync::Error> AppSession::syncStatus()
{
    return sync::client::SyncEngine::status(*m_store);
}

Expected<bool, sync::Error> AppSession::retryDeadLetter(std::int64_t seq, const std::string& staff)
{
    return sync::client::SyncEngine::retryDeadLetter(*m_store, seq, staff);
}

Expected<sync::client::EnrollmentResult, sync::Error>
AppSession::enroll(const std::string& gatewayUrl, const std::string& code, const std::string& label)
{
    return sync::client::enroll(*m_store, {gatewayUrl, code, label, ZAITAKU_VERSION, {}}, m_parts.random);
}

Expected<void, sync::Error>
AppSession::recordFormPrinted(model::FallbackKind kind, const std::string& patientId, const std::string& staffId)
{
    auto tx = sync::sql::Transaction::begin(m_store->db(), sync::sql::Durability::Full);
    if (!tx) {
        return Unexpected(tx.error());
    }
    const sync::sql::AuditEntry entry{
        staffId, "fallback.form_printed", patientId, {{"kind", std::string(base::toCode(kind))}}};
    if (auto done = sync::sql::AuditLog::append(m_store->db(), entry, m_parts.clock.nowJst()); !done) {
        return Unexpected(done.error());
    }
    return tx->commit();
}

Expected<model::CustodyEvent, sync::Error> AppSession::recordCustody(model::CustodyEvent event)
{
    event.id = base::makeUuid(m_parts.random);
    event.at = m_parts.clock.nowJst();
    if (auto done = sync::store::CustodyLedger::record(*m_store, event, event.staffId); !done) {
        return Unexpected(done.error());
    }
    return event;
}

Expected<std::vector<sync::store::CustodyStatus>, sync::Error> AppSession::custody(int maxCheckoutHours)
{
    return sync::store::CustodyLedger::current(m_store->db(), m_parts.clock.nowJst(),
                                               std::chrono::hours(maxCheckoutHours));
}

Expected<std::vector<std::string>, sync::Error> AppSession::custodians()
{
    return sync::store::CustodyLedger::custodians(m_store->db());
}

Expected<void, sync::Error> AppSession::signInStaff(const std::string& staffId, std::string_view secret)
{
    auto some = sync::store::StaffDirectory::any(*m_store);
    if (!some) {
        return Unexpected(some.error());
    }
    if (!*some) {
        return {};
    }
    auto account = sync::store::StaffDirectory::signIn(*m_store, staffId, secret);
    if (!account) {
        return Unexpected(account.error());
    }
    return {};
}

bool AppSession::hasRole(const std::string& staffId, const std::string& role)
{
    return sync::store::StaffDirectory::hasRole(*m_store, staffId, role).value_or(false);
}

Expected<void, sync::Error> AppSession::setCustodians(const std::vector<std::string>& staffIds,
                                                      const std::string& actor)
{
    return sync::store::CustodyLedger::setCustodians(*m_store, staffIds, actor);
}

Expected<std::vector<device::ReaderState>, device::Error> AppSession::readers()
{
    auto* r = reader();
    if (r == nullptr) {
        return Unexpected(device::Error{device::Errc::ServiceUnavailable, "no card reader service", "reader"});
    }
    return r->listReaders();
}

} // namespace zaitaku::app
