#pragma once

// The app as `zaitaku --demo` opens it: the embedded demo stack (the gateway on loopback over real
// TLS with the simulated 資格確認端末, the enrolled tablet store with the demo roster), the
// in-process virtual card signed by the test PKI the gateway trusts.

#include "AppTestSupport.h"
#include "base/AtomicFile.h"
#include "hardware/vcard/TestPki.h"
#include "sync/gateway/EligibilityService.h"
#include "sync/gateway/GatewayServer.h"
#include "ui/demo/DemoStack.h"

namespace zaitaku::testing
{

class DemoAppFixture : public AppFixture
{
protected:
    void SetUp() override
    {
        AppFixture::SetUp();
        auto pki = hardware::TestPki::open(ZAITAKU_TEST_PKI_DIR, clock.nowJst());
        ASSERT_TRUE(pki);
        const std::string ca = dir + "/jpki-ca.pem";
        ASSERT_TRUE(base::writeFileAtomically(ca, pki->caCertificatePem(), 0600));
        auto started = demo::DemoStack::start(ca, clock, monotonic, random);
        ASSERT_TRUE(started) << started.error();
        stack = std::move(*started);
        app::AppSettings settings;
        settings.staffId = QStringLiteral("demo-nurse");
        settings.facilityId = QStringLiteral("demo-facility");
        openApp(stack->takeStore(), virtualReader(), settings);
    }
    void TearDown() override
    {
        AppFixture::TearDown(); // the app closes its store before the gateway goes
        stack.reset();
    }

    // Taps 今すぐ同期 on the sync screen and waits for the page to say how it went.
    QString syncThroughTheScreen()
    {
        EXPECT_TRUE(tap(window.get(), "syncNow")); // the page says 送信しています… at once
        EXPECT_TRUE(waitUntil([&] { return !textOf(window.get(), "syncMessage").contains(QStringLiteral("…")); }));
        return textOf(window.get(), "syncMessage");
    }

    std::unique_ptr<demo::DemoStack> stack;
};

} // namespace zaitaku::testing
