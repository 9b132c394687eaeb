#pragma once

// The visit engine on a real encrypted store (StoreTest) with the roster in
// tests/data/visit-roster.json, the in-process virtual card behind a VirtualCardReader, a manual
// clock set to the real date (the virtual card's certificates are dated from the real clock), a
// manual monotonic clock and a seeded random source.

#include "support/StoreFixture.h"
#include "support/VirtualCardReader.h"
#include "support/VirtualCards.h"
#include "sync/store/StoreVisitPort.h"
#include "verify/consent/ConsentCatalog.h"
#include "verify/identity/FaceVerifier.h"
#include "verify/visit/ScriptedOperator.h"
#include "verify/visit/VisitEngine.h"

#include <memory>
#include <optional>

namespace zaitaku::testing
{

inline device::SecretDigits pin(const std::string& digits)
{
    return device::makeAuthPin(digits).value();
}

class VisitTest : public StoreTest
{
protected:
    void SetUp() override
    {
        clock.set(std::chrono::system_clock::now());
        StoreTest::SetUp();
        if (HasFatalFailure()) {
            return;
        }
        auto imported = sync::store::PatientRoster::import(
            *store, readAll(std::string(ZAITAKU_TEST_DATA_DIR) + "/visit-roster.json"), "operator");
        ASSERT_TRUE(imported) << imported.error().message;
        auto port = sync::store::StoreVisitPort::open(*store, random);
        ASSERT_TRUE(port) << port.error().message;
        m_port.emplace(std::move(*port));
    }
    void TearDown() override
    {
        m_port.reset();
        StoreTest::TearDown();
    }

    void presentCard(const hardware::Persona& persona)
    {
        card = test::makeVirtualCard(persona);
        reader.insert(card.get());
    }
    void presentCard(const std::string& persona) { presentCard(hardware::builtinPersona(persona).value()); }

    static visit::VisitRequest request(const std::string& patient,
                                       model::VisitFlow flow = model::VisitFlow::FirstVisit,
                                       model::ServiceKind kind = model::ServiceKind::HoumonShinryo)
    {
        visit::VisitRequest r;
        r.patientId = patient;
        r.flow = flow;
        r.serviceKind = kind;
        r.staffId = "nurse-7";
        return r;
    }

    Expected<visit::VisitOutcome, visit::Error> run(const visit::VisitRequest& r, visit::OperatorInput& op)
    {
        visit::VisitServices services{&reader,    "",      clock,   monotonic, random,
                                      *m_port,    *m_port, *m_port, *face,     consent::ConsentCatalog::builtin(),
                                      requeryPort};
        visit::VisitSettings settings;
        // As the app names the tablet (session::deviceIdOf): its enrolled id once it has one.
        auto enrolled = sync::sql::StoreMeta::get(store->db(), "gateway.device_id");
        settings.deviceId = enrolled && *enrolled ? **enrolled : "tablet-1";
        settings.appVersion = "test";
        settings.cardWait = std::chrono::milliseconds(10);
        return visit::VisitEngine(services, settings).run(r, op);
    }

    sync::store::StoreVisitPort& port() { return *m_port; }

    base::ManualMonotonicClock monotonic;
    identity::NoFaceVerifier noFace;
    identity::FaceVerifier* face = &noFace;    // a test may put a real verifier here
    visit::RequeryPort* requeryPort = nullptr; // none: no gateway link (every revisit is pending)
    std::unique_ptr<hardware::VirtualCard> card;
    VirtualCardReader reader{nullptr};

private:
    std::optional<sync::store::StoreVisitPort> m_port;
};

} // namespace zaitaku::testing
