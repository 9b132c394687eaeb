#pragma once

// The app under QTest, offscreen: a real encrypted store, a card reader (the in-process virtual
// card behind a VirtualCardReader, or pcscd with vpcd in the integration tests), scripted dialogs,
// and helpers that find widgets by object name, tap them and wait for the screen to change.

#include "support/StoreFixture.h"
#include "support/VirtualCardReader.h"
#include "support/VirtualCards.h"
#include "sync/store/PatientRoster.h"
#include "sync/store/StoreLifecycle.h"
#include "ui/app/AppSession.h"
#include "ui/app/BackgroundWorker.h"
#include "ui/app/Dialogs.h"
#include "ui/app/MainWindow.h"
#include "ui/app/RoutePage.h"
#include "ui/app/Style.h"

#include <QAbstractButton>
#include <QApplication>
#include <QLabel>
#include <QTest>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>

#include <gtest/gtest.h>

namespace zaitaku::testing
{

class ScriptedDialogs final : public app::Dialogs
{
public:
    bool confirm(QWidget* parent, const QString& title, const QString& text) override
    {
        asked << title;
        return real ? real->confirm(parent, title, text) : confirmAnswer;
    }
    void inform(QWidget*, const QString& title, const QString& text) override { informed << title + ": " + text; }

    bool confirmAnswer = true;
    app::Dialogs* real = nullptr; // set: the question is really shown (its nested event loop)
    QStringList asked;
    QStringList informed;
};

// Pumps the event loop until `done` or the time is up (the worker answers on the UI thread).
inline bool waitUntil(const std::function<bool()>& done, std::chrono::milliseconds limit = std::chrono::seconds(20))
{
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > end) {
            return false;
        }
        QTest::qWait(10);
    }
    return true;
}

template <typename W = QWidget> W* findIn(QWidget* root, const QString& name)
{
    return root->findChild<W*>(name);
}

// A visible, enabled widget with that name (the first one if panels share a name).
inline QWidget* visibleNamed(QWidget* root, const QString& name)
{
    for (auto* w : root->findChildren<QWidget*>(name)) {
        if (w->isVisible()) {
            return w;
        }
    }
    return nullptr;
}

inline bool tap(QWidget* root, const QString& name)
{
    QWidget* w = nullptr;
    if (!waitUntil([&] { return (w = visibleNamed(root, name)) != nullptr && w->isEnabled(); })) {
        ADD_FAILURE() << "no visible, enabled " << name.toStdString();
        return false;
    }
    QTest::mouseClick(w, Qt::LeftButton);
    return true;
}

inline QString textOf(QWidget* root, const QString& name)
{
    auto* label = visibleNamed(root, name);
    if (auto* l = qobject_cast<QLabel*>(label)) {
        return l->text();
    }
    if (auto* b = qobject_cast<QAbstractButton*>(label)) {
        return b->text();
    }
    return {};
}

// The main window on a store, with the reader the test chooses. Tests drive it through its widgets.
// Base: another fixture to build on (the PC/SC sandbox's).
template <typename Base = ::testing::Test> class AppFixtureOn : public Base
{
protected:
    void SetUp() override
    {
        Base::SetUp();
        if (!::testing::Test::IsSkipped()) {
            dir = makeTempDir("zaitaku-app").string();
        }
    }
    void TearDown() override
    {
        window.reset();
        session.reset();
        if (!dir.empty()) {
            std::filesystem::remove_all(dir);
        }
        Base::TearDown();
    }

    // The in-process virtual card reader (cards come with presentCard).
    app::ReaderFactory virtualReader()
    {
        auto reader =
            std::make_shared<std::unique_ptr<VirtualCardReader>>(std::make_unique<VirtualCardReader>(nullptr));
        m_reader = reader->get();
        return [reader]() -> Expected<std::unique_ptr<device::CardReader>, device::Error> {
            return std::unique_ptr<device::CardReader>(std::move(*reader));
        };
    }
    void presentCard(const std::string& persona) { presentCard(hardware::builtinPersona(persona).value()); }
    void presentCard(const hardware::Persona& persona)
    {
        m_card = test::makeVirtualCard(persona);
        m_reader->insert(m_card.get());
    }

    void openApp(std::unique_ptr<sync::store::Store> store, app::ReaderFactory openReader, app::AppSettings settings)
    {
        m_parts =
            std::make_unique<app::SessionParts>(app::SessionParts{clock, monotonic, random, std::move(openReader), {}});
        auto adopted = app::AppSession::adopt(std::move(store), *m_parts);
        ASSERT_TRUE(adopted) << adopted.error().message;
        session = std::move(*adopted);
        const QString staff = settings.staffId.isEmpty() ? QStringLiteral("nurse-7") : settings.staffId;
        // Runs the test did not ask for would race its taps: AutoSync's own test starts it.
        settings.autoSync = false;
        window = newWindow(settings);
        window->show();
        window->adopt(session, staff); // as the sign-in screen does after the passphrase
        ASSERT_TRUE(waitUntil([&] { return !window->routePage()->entries().empty(); }));
    }

    // A window on the same parts, not yet given the store (it shows the sign-in screen).
    std::unique_ptr<app::MainWindow> newWindow(const app::AppSettings& settings = {})
    {
        auto w = std::make_unique<app::MainWindow>(settings, QString::fromStdString(dir + "/settings.json"), *m_parts,
                                                   dialogs);
        w->resize(1280, 800);
        return w;
    }

    // A new encrypted store in the test's folder with this roster (JSON, as `store import-patients`).
    std::unique_ptr<sync::store::Store> newStore(const std::string& rosterJson)
    {
        sync::store::InitOptions options;
        options.scrypt = sync::protocol::ScryptParams{10, 8, 1}; // quick to unlock: the KDF has its own tests
        auto created = sync::store::initStore(dir + "/store.db", "a test passphrase", options, random, clock);
        auto imported = created ? sync::store::PatientRoster::import(created->store, rosterJson, "operator")
                                : Expected<sync::store::RosterImportResult, sync::Error>(Unexpected(created.error()));
        if (!imported) {
            ADD_FAILURE() << imported.error().message;
            return nullptr;
        }
        return std::make_unique<sync::store::Store>(std::move(created->store));
    }

    void startVisit(const char* button, const QString& patient)
    {
        window->routePage()->select(patient);
        ASSERT_TRUE(tap(window.get(), button));
    }

    // The visit ends on the result panel; returns its headline.
    QString finish()
    {
        EXPECT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "resultState") != nullptr; }));
        return textOf(window.get(), "resultState");
    }

    sync::client::SyncStatus syncStatus()
    {
        window->worker().drain(); // the store is the worker's: look only when it is idle
        return session->syncStatus().value();
    }

    base::SystemClock clock;
    base::SteadyClock monotonic;
    base::SeededRandom random{42};
    ScriptedDialogs dialogs;
    std::string dir; // the test's own folder, removed at the end
    std::shared_ptr<app::AppSession> session;
    std::unique_ptr<app::MainWindow> window;

private:
    std::unique_ptr<app::SessionParts> m_parts;
    VirtualCardReader* m_reader = nullptr;
    std::unique_ptr<hardware::VirtualCard> m_card;
};

using AppFixture = AppFixtureOn<>;

// The main() of each app test program: the QApplication offscreen with the app's style.
inline int runAppTests(int argc, char** argv, ::testing::Environment* environment = nullptr)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    app::applyStyle(app, app::TextSize::Standard);
    ::testing::InitGoogleTest(&argc, argv);
    if (environment != nullptr) {
        ::testing::AddGlobalTestEnvironment(environment);
    }
    return RUN_ALL_TESTS();
}

} // namespace zaitaku::testing
