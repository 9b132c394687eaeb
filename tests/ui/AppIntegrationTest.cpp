// The tablet app on the real parts a nurse has: the embedded demo stack (the gateway on loopback
// over real TLS, the simulated 資格確認端末) for an offline visit that is sent when the signal comes
// back; the camera path with the face models on a recorded video of the card holder; and the card
// through pcscd with vpcd and zaitaku-vcard (skipped without root, as the other PC/SC tests).

#include "DemoAppFixture.h"
#include "device/camera/ImageMat.h"
#include "device/camera/SyntheticFrameSource.h"
#include "device/mynacard/VerificationCodeB.h"
#include "hardware/readers/ReaderRegistry.h"
#include "support/FaceSamples.h"
#include "support/PcscSandbox.h"
#include "sync/store/PatientRoster.h"
#include "sync/store/StoreLifecycle.h"
#include "ui/app/AutoSync.h"
#include "verify/identity/face/FaceEngine.h"
#include "verify/identity/face/FaceModels.h"

#include <QComboBox>
#include <QLineEdit>
#include <QTableWidget>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

namespace zaitaku::testing
{
namespace
{

// The first visit's PIN, typed on the shuffled pad, and consent to everything.
void pinVisitThroughTheWidgets(QWidget* window)
{
    ASSERT_TRUE(tap(window, "method_pin"));
    for (const char* digit : {"pinDigit_1", "pinDigit_2", "pinDigit_3", "pinDigit_4"}) {
        ASSERT_TRUE(tap(window, digit));
    }
    ASSERT_TRUE(tap(window, "pinOk"));
    ASSERT_TRUE(tap(window, "consentAll"));
    ASSERT_TRUE(tap(window, "prescriptionElectronic"));
    ASSERT_TRUE(tap(window, "limitDecline"));
    ASSERT_TRUE(tap(window, "consentOk"));
}

// --- offline, then back in signal: the demo stack's gateway ---------------------------------------

class AppOnDemoStackTest : public DemoAppFixture
{
protected:
    // A PIN first visit of the demo's first patient through the widgets, back on the route.
    void pinFirstVisit()
    {
        presentCard("valid");
        startVisit("startFirstVisit", demo::kDemoFirstPatient);
        ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "method_pin") != nullptr; }));
        pinVisitThroughTheWidgets(window.get());
        EXPECT_TRUE(finish().contains(QStringLiteral("記録しました")));
        ASSERT_TRUE(tap(window.get(), "resultDone"));
    }
};

TEST_F(AppOnDemoStackTest, AVisitWithNoSignalIsQueuedAndSentWhenTheGatewayIsBack)
{
    ASSERT_EQ(stack->setGatewayOnline(false), "");
    presentCard("valid");
    startVisit("startFirstVisit", demo::kDemoFirstPatient);
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "method_pin") != nullptr; }));
    pinVisitThroughTheWidgets(window.get());
    EXPECT_TRUE(finish().contains(QStringLiteral("記録しました")));
    EXPECT_TRUE(textOf(window.get(), "resultEligibility").contains(QStringLiteral("送信待ち")));
    ASSERT_TRUE(tap(window.get(), "resultDone"));

    // No signal: the sync says so in words, and the visit stays queued.
    ASSERT_TRUE(tap(window.get(), "navSync"));
    EXPECT_TRUE(syncThroughTheScreen().startsWith(QStringLiteral("⚠")));
    EXPECT_EQ(syncStatus().queued, 1);
    // The counts line is refreshed by its own worker job after the sync's message: wait for it.
    EXPECT_TRUE(waitUntil([&] { return textOf(window.get(), "syncCounts").contains(QStringLiteral("送信待ち 1")); }))
        << textOf(window.get(), "syncCounts").toStdString();

    // Signal again: sent and acknowledged exactly once; the gateway asks OQS about the card.
    ASSERT_EQ(stack->setGatewayOnline(true), "");
    EXPECT_FALSE(syncThroughTheScreen().startsWith(QStringLiteral("⚠")));
    EXPECT_EQ(syncStatus().queued, 0);
    EXPECT_EQ(syncStatus().deadLetter, 0);
    EXPECT_TRUE(waitUntil([&] { return textOf(window.get(), "syncCounts").contains(QStringLiteral("送信待ち 0")); }))
        << textOf(window.get(), "syncCounts").toStdString();
    ASSERT_TRUE(stack->gateway().eligibility()->idle(std::chrono::seconds(30)));

    // The next sync brings the terminal's answer: the route shows a result and its age.
    syncThroughTheScreen();
    ASSERT_TRUE(tap(window.get(), "navRoute"));
    auto* table = findIn<QTableWidget>(window.get(), "routeTable");
    auto resultOfFirst = [&] {
        for (int row = 0; row < table->rowCount(); ++row) {
            if (table->item(row, 0)->data(Qt::UserRole).toString() == QLatin1String(demo::kDemoFirstPatient)) {
                return table->item(row, 2)->text();
            }
        }
        return QString();
    };
    ASSERT_TRUE(waitUntil([&] { return resultOfFirst().contains(QStringLiteral("取得")); }))
        << resultOfFirst().toStdString() << " / sync: " << textOf(window.get(), "syncMessage").toStdString();

    // With the qualification confirmed online, a later revisit may rest on the patient's word.
    startVisit("startRevisit", demo::kDemoFirstPatient);
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "revisitVerdict") != nullptr; }));
    ASSERT_TRUE(tap(window.get(), "revisitFallback"));
    ASSERT_TRUE(tap(window.get(), "fallback_verbal_revisit"));
    findIn<QComboBox>(window.get(), "field_patient_confirms_no_change")->setCurrentIndex(1);
    findIn<QLineEdit>(window.get(), "field_confirmed_with")->setText(QStringLiteral("本人"));
    ASSERT_TRUE(tap(window.get(), "fallbackRecord"));
    EXPECT_TRUE(finish().contains(QStringLiteral("記録しました")))
        << textOf(window.get(), "fallbackError").toStdString();
    EXPECT_TRUE(textOf(window.get(), "resultIdentity").contains(QStringLiteral("口頭")));
    ASSERT_TRUE(tap(window.get(), "resultDone"));

    // Pre-check now: the gateway's bulk request to the terminal, with progress, then the flags.
    ASSERT_TRUE(tap(window.get(), "precheckNow"));
    ASSERT_TRUE(waitUntil([&] { return textOf(window.get(), "routeStatus").startsWith(QStringLiteral("✓")); },
                          std::chrono::seconds(60)))
        << textOf(window.get(), "routeStatus").toStdString();
}

// Issue 31: no tap. A visit recorded with signal reaches the gateway on its own, and one recorded
// while the link is down goes once it is back (the schedule's back-off), the header saying so.
TEST_F(AppOnDemoStackTest, VisitsReachTheGatewayWithoutATapAcrossADroppedLink)
{
    window->autoSync().start(session.get());
    auto records = [&] { return stack->gateway().storage().counts().value().records; };
    using Steady = std::chrono::steady_clock;
    const auto seconds = [](Steady::duration d) { return std::chrono::duration<double>(d).count(); };

    // With signal.
    const auto initial = records();
    pinFirstVisit();
    const auto committed = Steady::now();
    ASSERT_TRUE(waitUntil([&] { return records() > initial; }, std::chrono::seconds(30)));
    const double withSignal = seconds(Steady::now() - committed);

    // The link drops before the next visit and comes back 4 s after it.
    const auto second = records();
    ASSERT_EQ(stack->setGatewayOnline(false), "");
    pinFirstVisit();
    const auto offlineCommit = Steady::now();
    waitUntil([] { return false; }, std::chrono::seconds(4));
    EXPECT_TRUE(waitUntil([&] { return textOf(window.get(), "syncSummary").contains(QStringLiteral("送信待ち 1")); }))
        << textOf(window.get(), "syncSummary").toStdString();
    ASSERT_EQ(stack->setGatewayOnline(true), "");
    const auto back = Steady::now();
    ASSERT_TRUE(waitUntil([&] { return records() > second; }, std::chrono::seconds(30)));
    const double afterReturn = seconds(Steady::now() - back);
    std::cout << "[ measured ] commit → gateway with signal " << withSignal << " s; link back → gateway " << afterReturn
              << " s (commit → gateway " << seconds(Steady::now() - offlineCommit) << " s)\n";
    EXPECT_TRUE(waitUntil([&] { return textOf(window.get(), "syncSummary").contains(QStringLiteral("送信待ち 0")); }))
        << textOf(window.get(), "syncSummary").toStdString();
    EXPECT_TRUE(textOf(window.get(), "syncSummary").contains(QStringLiteral("最終送信")));
}

// Issue 31: the idle lock closes the store, so what was recorded goes first (once, bounded).
TEST_F(AppOnDemoStackTest, TheIdleLockSendsWhatWasRecordedBeforeItClosesTheStore)
{
    sync::client::AutoSyncPolicy slow; // no run of its own during the test
    slow.afterCommit = std::chrono::hours(1);
    slow.whileQueued = std::chrono::hours(1);
    slow.idle = std::chrono::hours(1);
    int runs = 0;
    QObject::connect(&window->autoSync(), &app::AutoSync::ran, [&runs](bool, QString) { ++runs; });
    window->autoSync().start(session.get(), slow);
    ASSERT_TRUE(waitUntil([&] { return runs == 1; })) << "the run at sign-in";
    const auto before = stack->gateway().storage().counts().value().records;
    pinFirstVisit();
    waitUntil([] { return false; }, std::chrono::seconds(3));
    ASSERT_EQ(stack->gateway().storage().counts().value().records, before) << "not sent on its own (slow policy)";
    window->lock(QStringLiteral("idle"));
    EXPECT_EQ(stack->gateway().storage().counts().value().records, before + 1);
}

// --- the face path: the models on a recorded video of the card holder ------------------------------

class AppFaceTest : public AppFixture
{};

TEST_F(AppFaceTest, AFirstVisitByFaceShowsThePreviewAndIsRecorded)
{
    ASSERT_FALSE(test::faceSamplesDir().empty()) << "the face_samples fixture did not run";
    auto engine = identity::face::FaceEngine::load(identity::face::defaultModelDir());
    ASSERT_TRUE(engine) << engine.error().message;
    const auto portraits = test::usablePortraits(**engine);
    ASSERT_FALSE(portraits.empty());
    const test::Portrait& holder = portraits.front();

    // The card carries the holder's photo; the camera is a short video of the same person moving.
    const std::string photo = dir + "/holder.png";
    ASSERT_TRUE(cv::imwrite(photo, camera::asMat(holder.frame)));
    hardware::Persona persona = hardware::builtinPersona("valid").value();
    persona.photoPath = photo;
    persona.birthdate = base::Date::parse("1955-06-15").value(); // p-face's: the 券面 is checked against the roster
    const std::string video = dir + "/camera.avi";
    {
        cv::VideoWriter writer(video, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 15.0, {480, 640});
        ASSERT_TRUE(writer.isOpened());
        camera::SyntheticFrameSource frames(holder.frame, {}, random);
        for (int i = 0; i < 60; ++i) {
            writer.write(camera::asMat(*frames.nextFrame(std::chrono::milliseconds(10))));
        }
    }

    auto store =
        newStore(R"([{"id":"p-face","name":"顔 認子","name_kana":"カオ ニンコ","birthdate":"1955-06-15",)"
                 R"("insurer_number":"138057","insured_symbol":"","insured_number":"4711","insured_branch":"00",)"
                 R"("care":{"service_kind":"houmon_shinryo"}}])");
    ASSERT_TRUE(store);
    app::AppSettings settings;
    settings.cameraSource = QString::fromStdString(video);
    openApp(std::move(store), virtualReader(), settings);

    presentCard(persona);
    startVisit("startFirstVisit", "p-face");
    ASSERT_TRUE(tap(window.get(), "method_face"));
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "codeB") != nullptr; }));
    const std::string codeB =
        device::eraYymmdd(persona.birthdate).value() + std::to_string(persona.cardExpiry.year()) + persona.securityCode;
    findIn<QLineEdit>(window.get(), "codeB")->setText(QString::fromStdString(codeB));
    ASSERT_TRUE(tap(window.get(), "codeBOk"));

    // The preview shows the camera's frames while the engine decides (a picture, never stored).
    bool sawPreview = false;
    ASSERT_TRUE(waitUntil(
        [&] {
            if (auto* picture = qobject_cast<QLabel*>(visibleNamed(window.get(), "facePicture"))) {
                sawPreview = sawPreview || !picture->pixmap().isNull();
            }
            return visibleNamed(window.get(), "consentAll") != nullptr;
        },
        std::chrono::seconds(60)))
        << textOf(window.get(), "faceGuidance").toStdString();
    EXPECT_TRUE(sawPreview);
    ASSERT_TRUE(tap(window.get(), "consentAll"));
    ASSERT_TRUE(tap(window.get(), "prescriptionPaper"));
    ASSERT_TRUE(tap(window.get(), "limitProvide"));
    ASSERT_TRUE(tap(window.get(), "consentOk"));
    EXPECT_TRUE(finish().contains(QStringLiteral("記録しました")));
    EXPECT_TRUE(textOf(window.get(), "resultIdentity").contains(QStringLiteral("顔認証")))
        << textOf(window.get(), "resultIdentity").toStdString();
    auto& db = session->store().db();
    window->worker().drain();
    EXPECT_EQ(db.queryInt("SELECT COUNT(*) FROM evidence WHERE method = 'face_match'").value(), 1);
}

// --- the card through pcscd + vpcd ---------------------------------------------------------------

class AppPcscTest : public AppFixtureOn<test::PcscCardTest>
{};

TEST_F(AppPcscTest, AFirstVisitByPinOverPcscdIsRecorded)
{
    insertCard("valid");
    auto store =
        newStore(R"([{"id":"p-pcsc","name":"在宅 花子","name_kana":"ザイタク ハナコ","birthdate":"1955-06-15",)"
                 R"("insurer_number":"138057","insured_symbol":"","insured_number":"4711","insured_branch":"00",)"
                 R"("care":{"service_kind":"houmon_shinryo"}}])");
    ASSERT_TRUE(store);
    app::AppSettings settings;
    settings.readerId = QStringLiteral("pcsc:0"); // the sandbox's one reader, as a nurse would pick it
    openApp(
        std::move(store),
        []() -> Expected<std::unique_ptr<device::CardReader>, device::Error> {
            return std::unique_ptr<device::CardReader>(hardware::openReaderRegistry());
        },
        settings);
    startVisit("startFirstVisit", "p-pcsc");
    ASSERT_TRUE(
        waitUntil([&] { return visibleNamed(window.get(), "method_pin") != nullptr; }, std::chrono::seconds(60)));
    EXPECT_TRUE(textOf(window.get(), "pinTries").contains(QStringLiteral("3 回")));
    pinVisitThroughTheWidgets(window.get());
    EXPECT_TRUE(finish().contains(QStringLiteral("記録しました")));
    EXPECT_TRUE(textOf(window.get(), "resultIdentity").contains(QStringLiteral("暗証番号")));
    EXPECT_EQ(syncStatus().queued, 1);
}

} // namespace
} // namespace zaitaku::testing

int main(int argc, char** argv)
{
    zaitaku::test::g_sandbox = new zaitaku::test::Sandbox();
    return zaitaku::testing::runAppTests(argc, argv, zaitaku::test::g_sandbox);
}
