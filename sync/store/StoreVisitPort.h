#pragma once

// The encrypted store behind the visit engine's ports (verify/visit/VisitPorts.h):
//   - VisitRepository: the patient's roster entry, care relationship, newest cached result and the
//     card's custody state; the commit through VisitLedger (one transaction, device-signed
//     evidence, outbox row, audit row);
//   - VisitJournal: every state transition as an audit row ("visit.transition"), each in its own
//     short transaction (synchronous=NORMAL: a power cut may lose the newest transition rows but
//     never breaks the chain; the commit itself is FULL);
//   - ChallengeSource: the gateway-issued pool, each challenge consumed (burned) when taken; when
//     the pool is empty, a local challenge.

#include "base/Random.h"
#include "sync/store/DeviceSigningKey.h"
#include "sync/store/Store.h"
#include "verify/visit/ChallengeSource.h"
#include "verify/visit/VisitPorts.h"

#include <optional>

namespace zaitaku::sync::store
{

class StoreVisitPort final : public visit::VisitRepository, public visit::VisitJournal, public visit::ChallengeSource
{
public:
    // Loads (or creates) the tablet's signing key.
    static Expected<StoreVisitPort, Error> open(Store& store, base::RandomSource& random);

    Expected<visit::PatientContext, visit::Error> load(const std::string& patientId, model::ServiceKind kind) override;
    Expected<visit::CommitReceipt, visit::Error> commit(const model::VisitRecord& record,
                                                        const std::string& actor) override;
    Expected<void, visit::Error> record(const visit::TransitionRecord& transition) override;
    Expected<visit::Challenge, visit::Error> take(const std::string& visitId, const base::Timestamp& now) override;

    const DeviceSigningKey& signingKey() const { return m_key; }

private:
    StoreVisitPort(Store& store, base::RandomSource& random, DeviceSigningKey key)
        : m_store(&store)
        , m_local(random)
        , m_key(std::move(key))
    {}

    Store* m_store;
    visit::LocalChallengeSource m_local;
    DeviceSigningKey m_key;
};

// A store error as the engine reports it (the message and field kept).
visit::Error toVisitError(const Error& error);

} // namespace zaitaku::sync::store
