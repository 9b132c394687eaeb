// Screenshots of each main screen of the app in Japanese, as `zaitaku --demo` shows them, taken
// offscreen through the same widgets the flow tests drive. As a test it checks that every screen
// renders (a Japanese font is installed, the picture is not blank); scripts/screenshots.sh runs it
// with ZAITAKU_SCREENSHOT_DIR=docs/screenshots to refresh the pictures in the README.

#include "DemoAppFixture.h"
#include "ui/app/Style.h"

#include <QComboBox>
#include <QDir>
#include <QFontDatabase>
#include <QImage>
#include <QLineEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QSet>
#include <QTableWidget>
#include <QTextBrowser>

namespace zaitaku::testing
{
namespace
{

class AppScreenshots : public DemoAppFixture
{
protected:
    void SetUp() override
    {
        DemoAppFixture::SetUp();
        const QByteArray target = qgetenv("ZAITAKU_SCREENSHOT_DIR");
        m_out = target.isEmpty() ? QString::fromStdString(dir + "/screenshots") : QString::fromLocal8Bit(target);
        ASSERT_TRUE(QDir().mkpath(m_out));
    }

    // Saves the window as NN-name.png and checks it is a real picture of a screen.
    void shoot(const QString& name)
    {
        QTest::qWait(50); // let the last layout settle
        const QImage image = window->grab().toImage();
        const QString path = QStringLiteral("%1/%2-%3.png").arg(m_out).arg(++m_count, 2, 10, QChar('0')).arg(name);
        ASSERT_TRUE(image.save(path)) << path.toStdString();
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 8) {
            for (int x = 0; x < image.width(); x += 8) {
                colours.insert(image.pixel(x, y));
            }
        }
        EXPECT_GT(colours.size(), 8) << name.toStdString() << " looks blank";
        EXPECT_LE(window->height(), 800) << name.toStdString() << " does not fit a 1280x800 tablet screen";
        shots << name;
    }

    void cancelVisit()
    {
        ASSERT_TRUE(tap(window.get(), "visitCancel"));
        finish();
        ASSERT_TRUE(tap(window.get(), "resultDone"));
    }

    QStringList shots;

private:
    QString m_out;
    int m_count = 0;
};

// Issue 31: at 1280×800 and 1920×1200 with the default text size, each step of a first visit
// fits without scrolling and its primary action is on the screen, whole; the step indicator says
// where the patient is; no version tag reaches the screen.
class AppVisitFit : public DemoAppFixture, public ::testing::WithParamInterface<QSize>
{
protected:
    // The named button is shown whole (not clipped by a scroll area) and the page does not scroll.
    void expectFits(const char* step, const char* primary)
    {
        QTest::qWait(50);
        auto* button = visibleNamed(window.get(), primary);
        ASSERT_NE(button, nullptr) << step;
        const QRect inWindow(button->mapTo(window.get(), QPoint(0, 0)), button->size());
        EXPECT_TRUE(window->rect().contains(inWindow)) << step << ": " << primary << " outside the window";
        EXPECT_EQ(button->visibleRegion().boundingRect().size(), button->size())
            << step << ": " << primary << " is partly below the fold";
        for (auto* scroll : window->findChildren<QScrollArea*>()) {
            if (scroll->isVisible() && scroll->objectName() == QLatin1String("visitScroll")) {
                EXPECT_EQ(scroll->verticalScrollBar()->maximum(), 0) << step << " scrolls";
            }
        }
        EXPECT_TRUE(textOf(window.get(), "visitSteps").contains(QStringLiteral("▶"))) << step;
        for (auto* text : window->findChildren<QTextBrowser*>()) {
            if (text->isVisible()) {
                EXPECT_FALSE(text->toPlainText().contains(QStringLiteral("/ja/"))) << step;
            }
        }
        for (auto* label : window->findChildren<QLabel*>()) {
            if (label->isVisible()) {
                EXPECT_FALSE(label->text().contains(QStringLiteral("/ja/")))
                    << step << ": " << label->text().toStdString();
            }
        }
    }
};

TEST_P(AppVisitFit, EachStepOfAFirstVisitFitsTheScreen)
{
    window->resize(GetParam());
    startVisit("startFirstVisit", demo::kDemoFirstPatient);
    ASSERT_TRUE(waitUntil([&] { return !textOf(window.get(), "cardReason").isEmpty(); }));
    expectFits("card", "cardFallback");
    EXPECT_TRUE(textOf(window.get(), "visitSteps").contains(QStringLiteral("▶カード")));
    presentCard("valid");
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "method_pin") != nullptr; }));
    expectFits("method", "method_pin");
    EXPECT_TRUE(textOf(window.get(), "visitSteps").contains(QStringLiteral("▶本人確認")));
    ASSERT_TRUE(tap(window.get(), "method_pin"));
    for (const char* digit : {"pinDigit_1", "pinDigit_2", "pinDigit_3", "pinDigit_4"}) {
        ASSERT_TRUE(tap(window.get(), digit));
    }
    expectFits("pin", "pinOk");
    for (const char* staffOnly : {"navRoute", "navSync", "navSettings", "navLock", "syncSummary", "banner"}) {
        EXPECT_EQ(visibleNamed(window.get(), staffOnly), nullptr) << staffOnly << " shown to the patient";
    }
    ASSERT_TRUE(tap(window.get(), "pinOk"));
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "consentOk") != nullptr; }));
    ASSERT_TRUE(tap(window.get(), "consentPerItem")); // every item shown: the tallest the step gets
    expectFits("consent", "consentOk");
    EXPECT_TRUE(textOf(window.get(), "visitSteps").contains(QStringLiteral("▶同意")));
    for (const char* name : {"consentAll", "prescriptionElectronic", "limitDecline"}) {
        ASSERT_TRUE(tap(window.get(), name));
    }
    ASSERT_TRUE(tap(window.get(), "consentOk"));
    finish();
    expectFits("result", "resultDone");
    EXPECT_NE(visibleNamed(window.get(), "navRoute"), nullptr) << "staff act again";
    EXPECT_TRUE(textOf(window.get(), "visitSteps").contains(QStringLiteral("▶完了")));
    ASSERT_TRUE(tap(window.get(), "resultDone"));
}

// At 24 pt a step may scroll, but its main action is on the screen, whole.
TEST_F(AppScreenshots, AtTheLargestTextEachStepsMainActionStaysOnTheScreen)
{
    app::applyStyle(*qApp, app::TextSize::Largest);
    const auto visibleWhole = [&](const char* name) {
        QTest::qWait(50);
        auto* button = visibleNamed(window.get(), name);
        return button != nullptr && button->visibleRegion().boundingRect().size() == button->size();
    };
    startVisit("startFirstVisit", demo::kDemoFirstPatient);
    presentCard("valid");
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "method_pin") != nullptr; }));
    EXPECT_TRUE(visibleWhole("method_pin"));
    ASSERT_TRUE(tap(window.get(), "method_pin"));
    for (const char* digit : {"pinDigit_1", "pinDigit_2", "pinDigit_3", "pinDigit_4"}) {
        ASSERT_TRUE(tap(window.get(), digit));
    }
    EXPECT_TRUE(waitUntil([&] { return visibleWhole("pinOk"); })) << "決定 below the fold at 24 pt";
    ASSERT_TRUE(tap(window.get(), "pinOk"));
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "consentOk") != nullptr; }));
    EXPECT_TRUE(waitUntil([&] { return visibleWhole("consentOk"); }, std::chrono::seconds(2)))
        << "確定 below the fold at 24 pt";
    for (const char* name : {"consentAll", "prescriptionElectronic", "limitDecline", "consentOk"}) {
        ASSERT_TRUE(tap(window.get(), name));
    }
    finish();
    EXPECT_TRUE(waitUntil([&] { return visibleWhole("resultDone"); }));
    app::applyStyle(*qApp, app::TextSize::Standard);
}

INSTANTIATE_TEST_SUITE_P(TabletScreens,
                         AppVisitFit,
                         ::testing::Values(QSize(1280, 800), QSize(1920, 1200)),
                         [](const ::testing::TestParamInfo<QSize>& screen) {
                             return std::to_string(screen.param.width()) + "x" + std::to_string(screen.param.height());
                         });

TEST_F(AppScreenshots, EveryMainScreenInJapanese)
{
    ASSERT_FALSE(QFontDatabase::families(QFontDatabase::Japanese).isEmpty())
        << "no Japanese font (scripts/setup.sh installs fonts-noto-cjk)";

    // Sign-in: a window that has not been given the store yet.
    {
        auto locked = newWindow();
        locked->show();
        ASSERT_TRUE(waitUntil([&] { return visibleNamed(locked.get(), "passphrase") != nullptr; }));
        std::swap(window, locked);
        shoot("signin");
        std::swap(window, locked);
    }

    // First visit: the card, the ways to verify, the PIN pad, consent, the result.
    startVisit("startFirstVisit", demo::kDemoFirstPatient);
    ASSERT_TRUE(waitUntil([&] { return !textOf(window.get(), "cardReason").isEmpty(); }));
    shoot("visit-card");
    presentCard("valid");
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "method_pin") != nullptr; }));
    shoot("visit-method");
    ASSERT_TRUE(tap(window.get(), "method_pin"));
    ASSERT_TRUE(tap(window.get(), "pinDigit_1"));
    ASSERT_TRUE(tap(window.get(), "pinDigit_2"));
    shoot("visit-pin");
    ASSERT_TRUE(tap(window.get(), "pinDigit_3"));
    ASSERT_TRUE(tap(window.get(), "pinDigit_4"));
    ASSERT_TRUE(tap(window.get(), "pinOk"));
    ASSERT_TRUE(tap(window.get(), "consentAll"));
    ASSERT_TRUE(tap(window.get(), "prescriptionElectronic"));
    ASSERT_TRUE(tap(window.get(), "limitProvide"));
    shoot("visit-consent");
    ASSERT_TRUE(tap(window.get(), "consentOk"));
    finish();
    shoot("visit-result");
    ASSERT_TRUE(tap(window.get(), "resultDone"));

    // One PIN try left: the pad is replaced by the staff decision.
    presentCard("one-try-left");
    startVisit("startFirstVisit", demo::kDemoFirstPatient);
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "lastTryWarning") != nullptr; }));
    shoot("visit-last-try");
    cancelVisit();

    // Revisit in continuing care: re-query without the card, and its result.
    startVisit("startRevisit", demo::kDemoContinuingPatient);
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "revisitConfirm") != nullptr; }));
    shoot("revisit");
    ASSERT_TRUE(tap(window.get(), "revisitConfirm"));
    finish();
    ASSERT_TRUE(tap(window.get(), "resultDone"));

    // The fallback ladder and the 資格確認書 form.
    startVisit("startFallback", demo::kDemoFirstPatient);
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "fallback_shikaku_kakuninsho") != nullptr; }));
    shoot("fallback-ladder");
    ASSERT_TRUE(tap(window.get(), "fallback_shikaku_kakuninsho"));
    findIn<QLineEdit>(window.get(), "field_insurer_number")->setText(QStringLiteral("138057"));
    findIn<QLineEdit>(window.get(), "field_insured_number")->setText(QStringLiteral("4711"));
    findIn<QLineEdit>(window.get(), "field_name")->setText(QStringLiteral("在宅 花子"));
    findIn<QLineEdit>(window.get(), "field_birthdate")->setText(QStringLiteral("1955-06-15"));
    shoot("fallback-form");
    cancelVisit();

    // Sync status after sending the visits and receiving the terminal's answers.
    ASSERT_TRUE(tap(window.get(), "navSync"));
    syncThroughTheScreen();
    ASSERT_TRUE(stack->gateway().eligibility()->idle(std::chrono::seconds(30)));
    syncThroughTheScreen();
    shoot("sync");

    // Today's route after "pre-check now": each cached result's age and the flags in words.
    ASSERT_TRUE(tap(window.get(), "navRoute"));
    ASSERT_TRUE(tap(window.get(), "precheckNow"));
    ASSERT_TRUE(waitUntil([&] { return textOf(window.get(), "routeStatus").startsWith(QStringLiteral("✓")); },
                          std::chrono::seconds(60)));
    shoot("route");

    // Card custody: a resident's card deposited and checked out.
    ASSERT_TRUE(tap(window.get(), "navCustody"));
    auto* patient = findIn<QComboBox>(window.get(), "custodyPatient");
    ASSERT_TRUE(waitUntil([&] { return patient->count() == 2; }));
    patient->setCurrentIndex(patient->findData(demo::kDemoContinuingPatient));
    findIn<QLineEdit>(window.get(), "custodyAgreement")->setText(QStringLiteral("預かり証 2026-015"));
    findIn<QLineEdit>(window.get(), "custodyLocation")->setText(QStringLiteral("事務室の鍵付きロッカー"));
    ASSERT_TRUE(tap(window.get(), "custodyDeposit"));
    auto* table = findIn<QTableWidget>(window.get(), "custodyTable");
    ASSERT_TRUE(waitUntil([&] { return table->rowCount() == 1; }));
    findIn<QLineEdit>(window.get(), "custodyPurpose")->setText(QStringLiteral("通院（眼科）"));
    ASSERT_TRUE(tap(window.get(), "custodyCheckout"));
    ASSERT_TRUE(
        waitUntil([&] { return table->item(0, 2) && table->item(0, 2)->text() == QStringLiteral("demo-nurse"); }));
    shoot("custody");

    ASSERT_TRUE(tap(window.get(), "navSettings"));
    shoot("settings");

    // お薬・健診 of the first visit's patient: her consent let the gateway fetch it (issue 33).
    ASSERT_TRUE(tap(window.get(), "navRoute"));
    window->routePage()->select(QString::fromStdString(demo::kDemoFirstPatient));
    ASSERT_TRUE(tap(window.get(), "showMedicalInfo"));
    auto* medication = findIn<QTableWidget>(window.get(), "medicationTable");
    ASSERT_TRUE(waitUntil([&] { return medication->rowCount() > 0; }, std::chrono::seconds(60)))
        << textOf(window.get(), "medinfoStatus").toStdString();
    shoot("medinfo");
    EXPECT_EQ(shots.size(), 15);
}

} // namespace
} // namespace zaitaku::testing

int main(int argc, char** argv)
{
    return zaitaku::testing::runAppTests(argc, argv);
}
