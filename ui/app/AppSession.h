#pragma once

// What the app has once the store is unlocked: the store, the tablet's signing port, the card
// reader, the clocks and the randomness, and the operations the screens start. Every method runs on
// the BackgroundWorker's thread (the store, card, camera and network are used from there only);
// the same operations are the zaitaku-cli commands named beside them, on the same libraries.

#include "base/Clock.h"
#include "base/Random.h"
#include "device/reader/CardReader.h"
#include "sync/client/Enrollment.h"
#include "sync/client/SyncEngine.h"
#include "sync/store/CustodyLedger.h"
#include "sync/store/Store.h"
#include "sync/store/StoreVisitPort.h"
#include "ui/app/AppSettings.h"
#include "ui/session/MedicalInfoReport.h"
#include "ui/session/RouteView.h"
#include "verify/visit/VisitEngine.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zaitaku::app
{

class VisitBridge;

using ReaderFactory = std::function<Expected<std::unique_ptr<device::CardReader>, device::Error>()>;

struct SessionParts
{
    const base::Clock& clock;
    const base::MonotonicClock& monotonic;
    base::RandomSource& random;
    ReaderFactory openReader;
    std::string faceModelDir; // empty: the installed models
};

class AppSession
{
public:
    // Unlocks the store at `path` with the passphrase (`zaitaku-cli store unlock-check`).
    static Expected<std::unique_ptr<AppSession>, sync::Error>
    unlock(const std::string& path, std::string passphrase, SessionParts parts);
    static Expected<std::unique_ptr<AppSession>, sync::Error> adopt(std::unique_ptr<sync::store::Store> store,
                                                                    SessionParts parts);
    ~AppSession();

    // `zaitaku-cli route show`, with the flags of the last pre-check added.
    Expected<std::vector<session::RouteEntry>, sync::Error> route();
    // `zaitaku-cli precheck`: asks the gateway for today's results and flags.
    Expected<std::vector<session::RouteEntry>, sync::Error> precheckNow();
    // `zaitaku-cli visit first|revisit|fallback` (the face path with `--camera`).
    Expected<visit::VisitOutcome, visit::Error>
    runVisit(const visit::VisitRequest& request, VisitBridge& bridge, const AppSettings& settings);
    // A fallback form with the patient's data was printed: an audit row (who, which form, whom).
    Expected<void, sync::Error>
    recordFormPrinted(model::FallbackKind kind, const std::string& patientId, const std::string& staffId);
    // `zaitaku-cli sync`, `sync-status`, `sync-retry`.
    Expected<sync::client::SyncReport, sync::Error> syncNow();
    // The automatic run (issue 31, AutoSync): records waiting for their back-off wait, and the
    // network waits are short so that a visit started meanwhile waits seconds at most.
    Expected<sync::client::SyncReport, sync::Error> backgroundSync();
    Expected<sync::client::SyncStatus, sync::Error> syncStatus();
    Expected<bool, sync::Error> retryDeadLetter(std::int64_t seq, const std::string& staff);
    // `zaitaku-cli medinfo [--fetch]`: the お薬・健診 view from the cache; asking the gateway first.
    Expected<session::MedicalInfoReport, sync::Error> medicalInfo(const std::string& patientId);
    Expected<sync::protocol::MedicalInfoAnswer, sync::Error>
    fetchMedicalInfo(const std::string& patientId, const std::string& serviceKind, const std::string& staffId);
    // `zaitaku-cli enroll`.
    Expected<sync::client::EnrollmentResult, sync::Error>
    enroll(const std::string& gatewayUrl, const std::string& code, const std::string& label);
    // `zaitaku-cli custody deposit|checkout|return|list`.
    Expected<model::CustodyEvent, sync::Error> recordCustody(model::CustodyEvent event);
    Expected<std::vector<sync::store::CustodyStatus>, sync::Error> custody(int maxCheckoutHours);
    // `zaitaku-cli custody custodians [--set …]`.
    Expected<std::vector<std::string>, sync::Error> custodians();
    Expected<void, sync::Error> setCustodians(const std::vector<std::string>& staffIds, const std::string& actor);
    // The person signing in, against the staff accounts the gateway sent (none yet: accepted as
    // typed). Unauthorized when wrong, unknown, disabled or backing off (StaffDirectory).
    Expected<void, sync::Error> signInStaff(const std::string& staffId, std::string_view secret);
    // Whether this person may act in the role (StaffDirectory::hasRole: anyone, before the gateway
    // sent accounts).
    bool hasRole(const std::string& staffId, const std::string& role);
    // `zaitaku-cli card readers`.
    Expected<std::vector<device::ReaderState>, device::Error> readers();

    sync::store::Store& store() { return *m_store; }
    const base::Clock& clock() const { return m_parts.clock; }
    base::RandomSource& random() { return m_parts.random; }
    std::string deviceId();

private:
    AppSession(std::unique_ptr<sync::store::Store> store, sync::store::StoreVisitPort port, SessionParts parts);
    device::CardReader* reader();

    std::unique_ptr<sync::store::Store> m_store;
    sync::store::StoreVisitPort m_port;
    SessionParts m_parts;
    std::unique_ptr<device::CardReader> m_reader;
    std::map<std::string, std::vector<std::string>> m_gatewayFlags; // from the last pre-check
};

} // namespace zaitaku::app
