#pragma once

// The embedded demo's moving parts, shared by `zaitaku-cli demo` and the app's demo mode
// (`zaitaku --demo`): in a fresh temporary folder, the facility's gateway on loopback (real TLS,
// its own SQLite data) with its OQS bridge on a simulated 資格確認端末 (zaitaku-oqs-sim's engine on a
// thread, answering from a population made for the demo roster), and the tablet's encrypted store
// with the demo roster, enrolled with the gateway by a one-time code and synced once (challenges
// for the route). Everything is stopped and the folder removed when the stack is destroyed.

#include "base/Clock.h"
#include "base/Random.h"
#include "sync/store/Store.h"

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <thread>

namespace zaitaku::sync::gateway
{
class GatewayServer;
struct GatewayConfig;
} // namespace zaitaku::sync::gateway
namespace zaitaku::sync::oqs
{
class OqsSimulator;
}

namespace zaitaku::demo
{

// The demo store's passphrase (the app's demo shows it on its unlock screen).
inline constexpr const char* kDemoPassphrase = "demo passphrase";
// The roster: 在宅 花子 (demo-first, whose card the virtual card persona 'valid' is) for a first
// visit, 継続 太郎 (demo-cont) in continuing home nursing (re-query allowed).
inline constexpr const char* kDemoFirstPatient = "demo-first";
inline constexpr const char* kDemoContinuingPatient = "demo-cont";

struct DemoEnrollment
{
    std::string code;
    std::string tlsVersion;
    std::string deviceId;
    std::string caFingerprint;
    std::int64_t challengesAdded = 0;
};

class DemoStack
{
public:
    // jpkiCa: the card CA the gateway checks signatures against (zaitaku-vcard --write-ca); empty
    // without a card. Errors are one line for the operator.
    static Expected<std::unique_ptr<DemoStack>, std::string> start(const std::string& jpkiCa,
                                                                   const base::Clock& clock,
                                                                   const base::MonotonicClock& monotonic,
                                                                   base::RandomSource& random);
    ~DemoStack();
    DemoStack(const DemoStack&) = delete;
    DemoStack& operator=(const DemoStack&) = delete;

    sync::store::Store& store() { return *m_store; }
    const std::string& storePath() const { return m_storePath; }
    sync::gateway::GatewayServer& gateway() { return *m_server; }
    sync::oqs::OqsSimulator& terminal() { return *m_terminal; }
    const std::string& url() const { return m_url; }
    const DemoEnrollment& enrollment() const { return m_enrollment; }
    void stopGateway();
    // The facility's network going away and coming back (the app's demo and its tests): the
    // gateway stops, and starts again on the same port with the same data. "" or why it did not.
    // While it is offline there is no gateway() to ask.
    std::string setGatewayOnline(bool online);
    // Hands the tablet store to the app (which closes it before the stack is destroyed).
    std::unique_ptr<sync::store::Store> takeStore() { return std::move(m_store); }

private:
    DemoStack() = default;
    std::string startGateway(const std::string& jpkiCa,
                             const base::Clock& clock,
                             const base::MonotonicClock& monotonic,
                             base::RandomSource& random);
    std::string enrollTablet(const base::Clock& clock, base::RandomSource& random);
    std::string listen();

    struct GatewayParts
    {
        const base::Clock* clock = nullptr;
        const base::MonotonicClock* monotonic = nullptr;
        base::RandomSource* random = nullptr;
    };

    std::string m_dir;
    std::string m_storePath;
    std::unique_ptr<std::ostringstream> m_log; // the gateway logs into it until it is destroyed
    std::unique_ptr<sync::oqs::OqsSimulator> m_terminal;
    std::unique_ptr<std::thread> m_terminalThread;
    std::unique_ptr<sync::gateway::GatewayConfig> m_config;
    GatewayParts m_gatewayParts;
    std::unique_ptr<sync::gateway::GatewayServer> m_server;
    std::unique_ptr<sync::store::Store> m_store;
    std::string m_url;
    DemoEnrollment m_enrollment;
};

} // namespace zaitaku::demo
