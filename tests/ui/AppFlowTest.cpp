// The tablet app's flows driven through its widgets (offscreen): first visits by PIN, by visual
// check at one PIN try left, the fallback ladder with its printable PDF, revisits allowed and
// refused, a visit cancelled, card custody, and the sync screen after an offline visit.

#include "AppTestSupport.h"
#include "support/StoreFixture.h"
#include "sync/protocol/MedicalInfoMessages.h"
#include "sync/sql/Transaction.h"
#include "sync/store/MedicalInfoCache.h"
#include "sync/store/PatientRoster.h"
#include "sync/store/SnapshotCache.h"
#include "sync/store/StaffDirectory.h"
#include "sync/store/StoreLifecycle.h"
#include "sync/store/VisitLedger.h"
#include "ui/app/BackgroundWorker.h"
#include "ui/app/CustodyPage.h"
#include "ui/app/MedicalInfoPage.h"
#include "ui/app/RoutePage.h"
#include "ui/app/SessionLock.h"
#include "ui/app/Style.h"
#include "ui/app/SyncPage.h"
#include "ui/app/VisitPage.h"
#include "ui/app/visit/FallbackPanel.h"
#include "ui/app/visit/FallbackPdf.h"
#include "ui/app/visit/PinPadPanel.h"
#include "ui/app/visit/ResultSummary.h"
#include "verify/visit/FallbackForms.h"

#include <QComboBox>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QFile>
#include <QLineEdit>
#include <QProcess>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTranslator>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace zaitaku::testing
{
namespace
{

std::string readFile(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class AppFlowTest : public AppFixture
{
protected:
    void SetUp() override
    {
        AppFixture::SetUp();
        auto store = newStore(readFile(std::string(ZAITAKU_TEST_DATA_DIR) + "/visit-roster.json"));
        ASSERT_TRUE(store);
        app::AppSettings settings;
        settings.staffId = "nurse-7";
        settings.facilityId = "facility-1";
        // A printer that records what it was given (CUPS is not part of the test machine).
        std::filesystem::create_directories(dir + "/printer");
        const std::string printer = dir + "/printer/lp";
        std::ofstream(printer) << "#!/bin/sh\nout=$(dirname \"$0\")\n"
                                  "stat -c %a \"$1\" > \"$out/mode\"\n"
                                  "stat -c %a \"$(dirname \"$1\")\" > \"$out/dirmode\"\n"
                                  "stat -f -c %T \"$1\" > \"$out/fs\"\n"
                                  "echo \"$1\" > \"$out/path\"\n"
                                  "cp \"$1\" \"$out/printed.pdf\"\n";
        std::filesystem::permissions(printer, std::filesystem::perms::owner_all);
        settings.printCommand = QStringList{QString::fromStdString(printer)};
        openApp(std::move(store), virtualReader(), settings);
    }
};

TEST_F(AppFlowTest, RouteShowsEveryPatientWithAgeAndFlagsInWords)
{
    auto* table = findIn<QTableWidget>(window.get(), "routeTable");
    ASSERT_NE(table, nullptr);
    EXPECT_EQ(table->rowCount(), 7);
    // No cached result yet: the flag is said in words, with the warning sign, not by colour.
    EXPECT_TRUE(table->item(0, 3)->text().contains(QStringLiteral("⚠ 資格確認結果なし")));
    EXPECT_TRUE(table->item(0, 0)->text().contains(QStringLiteral("歳）")));
    EXPECT_TRUE(table->item(0, 2)->text().contains(QStringLiteral("結果なし")));
}

TEST_F(AppFlowTest, FirstVisitByPinOnAShuffledPadIsRecordedAndQueued)
{
    presentCard("valid");
    startVisit("startFirstVisit", "p-first");
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "method_pin") != nullptr; }));
    EXPECT_TRUE(textOf(window.get(), "pinTries").contains(QStringLiteral("3 回"))); // shown before any input
    EXPECT_EQ(textOf(window.get(), "visitProgress"), QString());                    // "place the card" is over
    // Seed 004 Q1: family may place the card; recorded with the visit.
    auto* assisted = findIn<QComboBox>(window.get(), "assistedBy");
    ASSERT_NE(assisted, nullptr);
    assisted->setCurrentIndex(assisted->findText(QStringLiteral("家族")));
    ASSERT_TRUE(tap(window.get(), "method_pin"));
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "pinDots") != nullptr; }));
    // Only the patient or the 法定代理人 enters the PIN (seed 004).
    EXPECT_TRUE(textOf(window.get(), "pinWhoEnters").contains(QStringLiteral("ご本人または法定代理人")));
    EXPECT_TRUE(textOf(window.get(), "pinTriesLeft").contains(QStringLiteral("3 回")));
    const QString order = window->visitPage()->pinPad()->layoutOrder();
    EXPECT_EQ(std::set<QChar>(order.begin(), order.end()).size(), 10u) << order.toStdString();
    for (const char* digit : {"pinDigit_1", "pinDigit_2", "pinDigit_3", "pinDigit_4"}) {
        ASSERT_TRUE(tap(window.get(), digit));
    }
    EXPECT_EQ(textOf(window.get(), "pinDots"), QStringLiteral("● ● ● ●")); // dots only, never digits
    ASSERT_TRUE(tap(window.get(), "pinOk"));
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "consentAll") != nullptr; }));
    EXPECT_TRUE(textOf(window.get(), "consentVersion").contains(QStringLiteral("同意文書の版")));
    // Issue 28, item 6: the question itself is on the screen before anything is answered (it used to
    // sit behind 「同意文書を表示」 while the record claimed it was shown); per item, each item's text.
    auto* consentText = visibleNamed(window.get(), "consentText");
    ASSERT_NE(consentText, nullptr) << "the consent text is not on the screen";
    const auto shownText = [&] { return findIn<QTextBrowser>(window.get(), "consentText")->toPlainText(); };
    EXPECT_TRUE(shownText().contains(QStringLiteral("同意しますか"))) << shownText().toStdString();
    EXPECT_TRUE(shownText().contains(QStringLiteral("診察や健康管理のために使用します")));
    ASSERT_TRUE(tap(window.get(), "consentPerItem"));
    EXPECT_TRUE(shownText().contains(QStringLiteral("【薬剤情報】"))) << shownText().toStdString();
    ASSERT_TRUE(tap(window.get(), "consentOk")); // nothing chosen: refused with a reason
    EXPECT_TRUE(visibleNamed(window.get(), "consentAll") != nullptr);
    ASSERT_TRUE(tap(window.get(), "consentAll"));
    ASSERT_TRUE(tap(window.get(), "prescriptionElectronic"));
    // 「限度額情報を提供しますか」 is its own question and must be answered (seed 001).
    ASSERT_TRUE(tap(window.get(), "consentOk"));
    EXPECT_TRUE(visibleNamed(window.get(), "limitProvide") != nullptr);
    ASSERT_TRUE(tap(window.get(), "limitProvide"));
    ASSERT_TRUE(tap(window.get(), "consentOk"));
    EXPECT_TRUE(finish().contains(QStringLiteral("記録しました")));
    EXPECT_TRUE(textOf(window.get(), "resultIdentity").contains(QStringLiteral("暗証番号")));
    EXPECT_EQ(
        session->store().db().queryInt("SELECT count(*) FROM consent WHERE kind = 'limit' AND given = 1").value_or(0),
        1);
    EXPECT_EQ(session->store().db().queryText("SELECT assisted_by FROM visit").value_or(""), "family");
    EXPECT_TRUE(textOf(window.get(), "resultEligibility").contains(QStringLiteral("送信待ち")));
    EXPECT_EQ(syncStatus().queued, 1);
    ASSERT_TRUE(tap(window.get(), "resultDone"));
    EXPECT_EQ(window->currentPage(), window->routePage());
}

TEST_F(AppFlowTest, AtOnePinTryLeftThePadIsReplacedByTheStaffDecision)
{
    presentCard("one-try-left");
    startVisit("startFirstVisit", "p-first");
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "lastTryWarning") != nullptr; }));
    EXPECT_EQ(visibleNamed(window.get(), "method_pin"), nullptr); // no PIN from here at one try left
    ASSERT_TRUE(tap(window.get(), "method_visual"));
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "visualAttest") != nullptr; }));
    EXPECT_EQ(findIn<QLineEdit>(window.get(), "visualStaff")->text(), QStringLiteral("nurse-7"));
    ASSERT_TRUE(tap(window.get(), "visualAttest"));
    ASSERT_TRUE(tap(window.get(), "consentNone"));
    ASSERT_TRUE(tap(window.get(), "prescriptionPaper"));
    ASSERT_TRUE(tap(window.get(), "limitDecline"));
    ASSERT_TRUE(tap(window.get(), "consentOk"));
    EXPECT_TRUE(finish().contains(QStringLiteral("記録しました")));
    EXPECT_TRUE(textOf(window.get(), "resultIdentity").contains(QStringLiteral("目視")));
}

// Issue 31: touch-only input. Numbers and dates take the app's large keypad (and tell a system
// keyboard what they want); names go to the system's Japanese input method.
TEST_F(AppFlowTest, NumberFieldsTakeTheKeypadAndNamesTheInputMethod)
{
    startVisit("startFallback", "p-first");
    ASSERT_TRUE(tap(window.get(), "fallback_shikaku_kakuninsho"));
    auto* insurer = findIn<QLineEdit>(window.get(), "field_insurer_number");
    auto* birthdate = findIn<QLineEdit>(window.get(), "field_birthdate");
    auto* name = findIn<QLineEdit>(window.get(), "field_name");
    ASSERT_TRUE(insurer && birthdate && name);
    EXPECT_TRUE(insurer->inputMethodHints().testFlag(Qt::ImhDigitsOnly));
    EXPECT_TRUE(birthdate->inputMethodHints().testFlag(Qt::ImhDate));
    EXPECT_EQ(name->inputMethodHints(), Qt::ImhNone);
    // The roster knows her name, kana and birthdate: staff confirm instead of typing kanji.
    EXPECT_EQ(name->text(), QStringLiteral("初回 花子"));
    EXPECT_EQ(birthdate->text(), QStringLiteral("1950-03-10"));
    EXPECT_TRUE(insurer->text().isEmpty()) << "numbers are copied from the document itself";
    EXPECT_TRUE(name->testAttribute(Qt::WA_InputMethodEnabled)) << "kanji through IBus + Mozc";
    window->activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(window.get()));
    name->setFocus();
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "numericKeypad") == nullptr; }))
        << "hidden while a name is typed";
    insurer->setFocus();
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "numericKeypad") != nullptr; }));
    for (const char* key : {"keypad_1", "keypad_3", "keypad_8", "keypad_0", "keypad_5", "keypad_7", "keypad_7"}) {
        ASSERT_TRUE(tap(window.get(), key));
    }
    ASSERT_TRUE(tap(window.get(), "keypad_erase"));
    EXPECT_EQ(insurer->text(), QStringLiteral("138057"));
    EXPECT_TRUE(insurer->hasFocus()) << "the keys never take the focus";
    name->setFocus();
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "numericKeypad") == nullptr; }));
    ASSERT_TRUE(tap(window.get(), "visitCancel"));
}

TEST_F(AppFlowTest, FallbackFormIsCheckedPrintedAsPdfAndRecorded)
{
    startVisit("startFallback", "p-first");
    ASSERT_TRUE(tap(window.get(), "fallback_shikaku_kakuninsho"));
    ASSERT_TRUE(tap(window.get(), "fallbackRecord")); // required fields empty: refused, named
    EXPECT_FALSE(textOf(window.get(), "fallbackError").isEmpty());
    for (const auto& field : visit::fallbackForm(model::FallbackKind::ShikakuKakuninsho).fields) {
        auto* edit = findIn<QLineEdit>(window.get(), QStringLiteral("field_") + QString::fromStdString(field.key));
        if (edit && field.required) {
            const std::string value = field.key == "birthdate" ? "1950-03-10" // p-first's own
                                      : field.key.find("date") != std::string::npos || field.key == "valid_until"
                                          ? "2027-07-31"
                                          : "4711";
            edit->setText(QString::fromStdString(value));
        }
    }
    // Issue 21, item 6: the form reaches the printer from a 0600 file in a private 0700 tmpfs
    // folder that is gone once the print command returns; nothing lands in ~/Documents.
    ASSERT_TRUE(tap(window.get(), "fallbackPrint"));
    ASSERT_TRUE(waitUntil([&] {
        return textOf(window.get(), "fallbackError").contains(QStringLiteral("印刷しました"));
    })) << textOf(window.get(), "fallbackError").toStdString();
    const auto printed = readFile(dir + "/printer/printed.pdf");
    EXPECT_EQ(printed.rfind("%PDF-", 0), 0U);
    EXPECT_EQ(readFile(dir + "/printer/mode"), "600\n");
    EXPECT_EQ(readFile(dir + "/printer/dirmode"), "700\n");
    const auto spooled = readFile(dir + "/printer/path");
    ASSERT_FALSE(spooled.empty());
    EXPECT_FALSE(std::filesystem::exists(spooled.substr(0, spooled.size() - 1))) << "deleted after printing";
    EXPECT_EQ(readFile(dir + "/printer/fs"), "tmpfs\n");
    // p-first is 76: a document that is not 後期高齢者医療 ended the day before the 75th birthday,
    // and an expired one is refused too — each with its reason, staying on the form (seed 004, 003).
    ASSERT_TRUE(tap(window.get(), "fallbackRecord"));
    EXPECT_TRUE(textOf(window.get(), "fallbackError").contains(QStringLiteral("75歳")))
        << textOf(window.get(), "fallbackError").toStdString();
    findIn<QLineEdit>(window.get(), "field_insurer_number")->setText(QStringLiteral("39131015"));
    findIn<QLineEdit>(window.get(), "field_valid_until")->setText(QStringLiteral("2020-03-31"));
    ASSERT_TRUE(tap(window.get(), "fallbackRecord"));
    EXPECT_TRUE(textOf(window.get(), "fallbackError").contains(QStringLiteral("有効期限")));
    findIn<QLineEdit>(window.get(), "field_valid_until")->setText(QStringLiteral("2099-07-31"));
    ASSERT_TRUE(tap(window.get(), "fallbackRecord"));
    EXPECT_TRUE(finish().contains(QStringLiteral("記録しました")))
        << textOf(window.get(), "fallbackError").toStdString();
    EXPECT_TRUE(textOf(window.get(), "resultIdentity").contains(QStringLiteral("資格確認書")));
    EXPECT_TRUE(textOf(window.get(), "resultWarnings").contains(QStringLiteral("10割ではありません")));
    // Issue 28, item 4: the copay to ask, and no promise of an automatic confirmation (nothing of a
    // visit without the card is sent to OQS).
    EXPECT_TRUE(textOf(window.get(), "resultEligibility").contains(QStringLiteral("1〜3割（所得区分による）")))
        << textOf(window.get(), "resultEligibility").toStdString();
    EXPECT_FALSE(textOf(window.get(), "resultEligibility").contains(QStringLiteral("電波が戻る")));
    window->worker().drain(); // the audit row is queued behind the visit
    auto audit = session->store().db().prepare(
        "SELECT actor, subject, detail FROM audit_log WHERE action = 'fallback.form_printed'");
    ASSERT_TRUE(audit && audit->step().value_or(false)) << "the print is audited";
    EXPECT_EQ(audit->text(0), "nurse-7");
    EXPECT_EQ(audit->text(1), "p-first");
    EXPECT_NE(audit->text(2).find("shikaku_kakuninsho"), std::string::npos);
}

TEST_F(AppFlowTest, RevisitWithoutAnEarlierOnlineConfirmationIsRefusedWithReasons)
{
    startVisit("startRevisit", "p-first");
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "revisitVerdict") != nullptr; }));
    EXPECT_TRUE(textOf(window.get(), "revisitVerdict").contains(QStringLiteral("できません")));
    EXPECT_FALSE(textOf(window.get(), "revisitReasons").isEmpty());
    EXPECT_EQ(visibleNamed(window.get(), "revisitConfirm"), nullptr);
    ASSERT_TRUE(tap(window.get(), "visitCancel"));
    EXPECT_TRUE(finish().contains(QStringLiteral("中止")));
    EXPECT_EQ(syncStatus().queued, 0); // nothing recorded
}

// Issue 28 (seed 004 再照会): with no gateway to ask, the revisit is recorded as "re-query pending" in
// plain words; it used to say "再照会できます" and record today's confirmation from the cache.
TEST_F(AppFlowTest, RevisitInContinuingCareWithNoSignalIsRecordedAsPending)
{
    startVisit("startRevisit", "p-cont");
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "revisitVerdict") != nullptr; }));
    EXPECT_TRUE(textOf(window.get(), "revisitVerdict").contains(QStringLiteral("再照会待ち")))
        << textOf(window.get(), "revisitVerdict").toStdString();
    EXPECT_TRUE(textOf(window.get(), "revisitVerdict").contains(QStringLiteral("まだ確認されていません")));
    ASSERT_TRUE(tap(window.get(), "revisitConfirm"));
    EXPECT_TRUE(finish().contains(QStringLiteral("記録しました")));
    EXPECT_TRUE(textOf(window.get(), "resultEligibility").contains(QStringLiteral("再照会待ち")))
        << textOf(window.get(), "resultEligibility").toStdString();
    EXPECT_EQ(syncStatus().queued, 1);
}

TEST_F(AppFlowTest, CancellingWhileWaitingForTheCardRecordsNothing)
{
    startVisit("startFirstVisit", "p-first"); // no card on the reader
    ASSERT_TRUE(waitUntil([&] { return !textOf(window.get(), "cardReason").isEmpty(); }));
    ASSERT_TRUE(tap(window.get(), "visitCancel"));
    EXPECT_TRUE(finish().contains(QStringLiteral("中止")));
    EXPECT_EQ(dialogs.asked.size(), 1);
    EXPECT_EQ(syncStatus().queued, 0);
}

TEST_F(AppFlowTest, CustodyCheckoutNeedsADepositAndOverdueIsSaidInWords)
{
    ASSERT_TRUE(tap(window.get(), "navCustody"));
    auto* patient = findIn<QComboBox>(window.get(), "custodyPatient");
    ASSERT_TRUE(waitUntil([&] { return patient->count() == 7; }));
    patient->setCurrentIndex(patient->findData("p-facility"));
    findIn<QLineEdit>(window.get(), "custodyPurpose")->setText(QStringLiteral("通院"));
    ASSERT_TRUE(tap(window.get(), "custodyCheckout")); // not deposited yet: refused
    ASSERT_TRUE(waitUntil([&] { return textOf(window.get(), "custodyMessage").startsWith(QStringLiteral("⚠")); }));
    ASSERT_TRUE(tap(window.get(), "custodyDeposit")); // no agreement, no storage: refused (seed 004)
    ASSERT_TRUE(
        waitUntil([&] { return textOf(window.get(), "custodyMessage").contains(QStringLiteral("agreement")); }));
    findIn<QLineEdit>(window.get(), "custodyAgreement")->setText(QStringLiteral("預かり証 2026-015"));
    findIn<QLineEdit>(window.get(), "custodyLocation")->setText(QStringLiteral("事務室の鍵付きロッカー"));
    findIn<QLineEdit>(window.get(), "custodians")->setText(QStringLiteral("nurse-7, nurse-8"));
    ASSERT_TRUE(tap(window.get(), "custodiansSave"));
    ASSERT_TRUE(
        waitUntil([&] { return textOf(window.get(), "custodyMessage").contains(QStringLiteral("保存しました")); }));
    ASSERT_TRUE(tap(window.get(), "custodyDeposit"));
    auto* table = findIn<QTableWidget>(window.get(), "custodyTable");
    ASSERT_TRUE(waitUntil([&] { return table->rowCount() == 1; }));
    // The card is in storage: a first visit is refused until it is checked out, in the app too.
    ASSERT_TRUE(tap(window.get(), "navRoute"));
    startVisit("startFirstVisit", "p-facility");
    EXPECT_TRUE(finish().contains(QStringLiteral("続けられませんでした")));
    EXPECT_TRUE(textOf(window.get(), "resultIdentity").contains(QStringLiteral("施設で預かり中")));
    ASSERT_TRUE(tap(window.get(), "resultDone"));
    ASSERT_TRUE(tap(window.get(), "navCustody"));
    patient->setCurrentIndex(patient->findData("p-facility"));
    findIn<QLineEdit>(window.get(), "custodyPurpose")->setText(QStringLiteral("通院"));
    ASSERT_TRUE(tap(window.get(), "custodyCheckout"));
    ASSERT_TRUE(waitUntil([&] { return table->item(0, 2) && table->item(0, 2)->text() == QStringLiteral("nurse-7"); }));
    EXPECT_TRUE(table->item(0, 3)->text().contains(QStringLiteral("通院")));
    EXPECT_EQ(table->item(0, 4)->text(), QStringLiteral("期限内"));
    ASSERT_TRUE(tap(window.get(), "custodyReturn"));
    ASSERT_TRUE(waitUntil([&] { return table->item(0, 2)->text() == QStringLiteral("facility-1"); }));
    EXPECT_EQ(syncStatus().queued, 3); // each event is queued for the gateway
    ASSERT_TRUE(tap(window.get(), "custodyLost"));
    ASSERT_TRUE(
        waitUntil([&] { return textOf(window.get(), "custodyMessage").contains(QStringLiteral("一時利用停止")); }));
}

TEST_F(AppFlowTest, AnOfflineFirstVisitOqsDidNotConfirmPutsATaskOnTheRoute)
{
    // A first visit recorded offline, then OQS answers 該当資格なし (through the feed).
    ASSERT_TRUE(sync::store::VisitLedger::commit(
        session->store(), makeVisit("v-offline", "p-first", clock.nowJst().plus(std::chrono::hours(-5))), "nurse-7"));
    auto answer = confirmedSnapshot("s-none", "p-first");
    answer.qualificationValidity = model::QualificationValidity::NoQualification;
    answer.source = model::SnapshotSource::CardPin; // the card query of that first visit
    {
        auto tx = sync::sql::Transaction::begin(session->store().db(), sync::sql::Durability::Normal);
        ASSERT_TRUE(tx);
        ASSERT_TRUE(sync::store::SnapshotCache::add(session->store().db(), answer, clock.nowJst()));
        ASSERT_TRUE(tx->commit());
    }
    window->routePage()->refresh();
    auto* table = findIn<QTableWidget>(window.get(), "routeTable");
    ASSERT_TRUE(waitUntil([&] {
        for (int row = 0; row < table->rowCount(); ++row) {
            if (table->item(row, 3) && table->item(row, 3)->text().contains(QStringLiteral("申立書"))) {
                return true;
            }
        }
        return false;
    }));
}

TEST_F(AppFlowTest, TheMoushitateshoOffersTheFormerNumbersOfAnInvalidResult)
{
    // OQS answered 資格（無効） earlier: its numbers are offered as ② (seed 003), for staff to confirm.
    auto lost = confirmedSnapshot("s-lost", "p-first");
    lost.qualificationValidity = model::QualificationValidity::Invalid;
    lost.insurerNumber = "06131234";
    lost.insuredIdentificationNumber = "20000002";
    {
        auto tx = sync::sql::Transaction::begin(session->store().db(), sync::sql::Durability::Normal);
        ASSERT_TRUE(tx);
        ASSERT_TRUE(sync::store::SnapshotCache::add(session->store().db(), lost, clock.nowJst()));
        ASSERT_TRUE(tx->commit());
    }
    startVisit("startFallback", "p-first");
    ASSERT_TRUE(tap(window.get(), "fallback_moushitatesho"));
    auto* former = findIn<QLineEdit>(window.get(), "field_former_insured_number");
    ASSERT_NE(former, nullptr);
    EXPECT_EQ(former->text(), QStringLiteral("20000002"));
    EXPECT_EQ(findIn<QLineEdit>(window.get(), "field_former_insurer_number")->text(), QStringLiteral("06131234"));
    EXPECT_TRUE(findIn<QLineEdit>(window.get(), "field_current_insured_number")->text().isEmpty());
}

TEST_F(AppFlowTest, InTheGracePeriodTheConsentScreenGivesRenewalAdvice)
{
    presentCard("expired-cert"); // expired 40 days ago: qualification only, renew at the municipality
    startVisit("startFirstVisit", "p-first");
    ASSERT_TRUE(tap(window.get(), "method_pin"));
    for (const char* digit : {"pinDigit_1", "pinDigit_2", "pinDigit_3", "pinDigit_4"}) {
        ASSERT_TRUE(tap(window.get(), digit));
    }
    ASSERT_TRUE(tap(window.get(), "pinOk"));
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "consentNotes") != nullptr; }));
    EXPECT_TRUE(textOf(window.get(), "consentNotes").contains(QStringLiteral("市区町村の窓口")));
    EXPECT_TRUE(visibleNamed(window.get(), "limitProvide") != nullptr) << "限度額 is asked in the grace period too";
}

TEST_F(AppFlowTest, TheResultSaysWhereTheCopayComesFromAndWhenRegistrationIsMissing)
{
    visit::CachedResult result;
    result.snapshot.qualificationValidity = model::QualificationValidity::Valid;
    result.snapshot.birthdate = base::Date::parse("1980-02-17").value();
    QString summary = app::eligibilitySummary(result, std::chrono::minutes(5), clock.todayJst());
    EXPECT_TRUE(summary.contains(QStringLiteral("3割"))) << summary.toStdString();
    EXPECT_TRUE(summary.contains(QStringLiteral("年齢から算出"))) << "not sent by OQS: marked as derived";
    result.snapshot.insuredPartialContributionRatioPercent = 10; // OQS says 1割 for a 46-year-old
    summary = app::eligibilitySummary(result, std::chrono::minutes(5), clock.todayJst());
    EXPECT_FALSE(summary.contains(QStringLiteral("年齢から算出")));
    EXPECT_TRUE(summary.contains(QStringLiteral("異なります"))) << summary.toStdString();
    result.snapshot.errorMessage = "マイナンバーカードの健康保険証利用登録がされていません";
    summary = app::eligibilitySummary(result, std::chrono::minutes(5), clock.todayJst());
    EXPECT_TRUE(summary.contains(QStringLiteral("利用登録は"))) << summary.toStdString();
    // Issue 28, item 4: no ratio from OQS and the income unknown: 70–74 and 後期 show their band,
    // never 一般's 2割 / 1割 as if it were known.
    visit::CachedResult elderly;
    elderly.snapshot.qualificationValidity = model::QualificationValidity::Valid;
    elderly.snapshot.birthdate = clock.todayJst().addDays(-72 * 366);
    summary = app::eligibilitySummary(elderly, std::chrono::minutes(5), clock.todayJst());
    EXPECT_TRUE(summary.contains(QStringLiteral("2割または3割（所得区分による）"))) << summary.toStdString();
    elderly.snapshot.insurerNumber = "39131015";
    summary = app::eligibilitySummary(elderly, std::chrono::minutes(5), clock.todayJst());
    EXPECT_TRUE(summary.contains(QStringLiteral("1〜3割（所得区分による）"))) << summary.toStdString();
}

TEST_F(AppFlowTest, SyncScreenShowsTheQueueAndSaysWhyItCannotSend)
{
    ASSERT_TRUE(tap(window.get(), "navSync"));
    ASSERT_TRUE(waitUntil([&] { return textOf(window.get(), "syncCounts").contains(QStringLiteral("送信待ち 0")); }));
    EXPECT_TRUE(textOf(window.get(), "syncGateway").contains(QStringLiteral("未登録")));
    ASSERT_TRUE(tap(window.get(), "syncNow"));
    ASSERT_TRUE(waitUntil([&] { return textOf(window.get(), "syncMessage").startsWith(QStringLiteral("⚠")); }));
}

// Fills the form's required fields as staff would: dates where a date goes (p-first's own 生年月日),
// the first choice of a list, and digits elsewhere; and on a 申立書 the ratio p-first (76) must give
// and the 事業所名 社保 asks for (seed 003 ※1, ※2).
void fillRequired(QWidget* window, model::FallbackKind kind)
{
    for (const auto& field : visit::fallbackForm(kind).fields) {
        if (!field.required && field.key != "copay_ratio" && field.key != "employer") {
            continue;
        }
        const QString name = QStringLiteral("field_") + QString::fromStdString(field.key);
        if (auto* combo = findIn<QComboBox>(window, name)) {
            combo->setCurrentIndex(1); // index 0 asks staff to choose
            continue;
        }
        auto* edit = findIn<QLineEdit>(window, name);
        ASSERT_NE(edit, nullptr) << field.key;
        const bool date = field.key == "valid_until" || field.key == "signed_on";
        edit->setText(field.key == "birthdate" ? QStringLiteral("1950-03-10")
                      : date                   ? QStringLiteral("2027-07-31")
                                               : QStringLiteral("4711"));
    }
}

TEST_F(AppFlowTest, EachFallbackOfTheLadderIsRecordedWithItsOwnForm)
{
    for (const auto kind : {model::FallbackKind::MynaportalScreen, model::FallbackKind::MynaportalPdf,
                            model::FallbackKind::OshirasePlusCard, model::FallbackKind::Moushitatesho}) {
        const QString code = QString::fromStdString(std::string(base::toCode(kind)));
        SCOPED_TRACE(code.toStdString());
        startVisit("startFallback", "p-first");
        // The paper 健康保険証 expired on 2025-12-01 at the latest: shown, not offered.
        ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "fallback_paper_card") != nullptr; }));
        EXPECT_FALSE(visibleNamed(window.get(), "fallback_paper_card")->isEnabled());
        EXPECT_FALSE(visibleNamed(window.get(), "fallback_verbal_revisit")->isEnabled()); // not a revisit
        ASSERT_TRUE(tap(window.get(), QStringLiteral("fallback_") + code));
        auto* firstChoice = findIn<QComboBox>(window.get(), "field_has_valid_qualification");
        if (kind == model::FallbackKind::Moushitatesho) { // an attestation is never pre-ticked
            ASSERT_NE(firstChoice, nullptr);
            EXPECT_TRUE(firstChoice->currentData().toString().isEmpty());
            EXPECT_EQ(firstChoice->itemText(1), QStringLiteral("はい"));
        }
        ASSERT_TRUE(tap(window.get(), "fallbackRecord"));
        EXPECT_TRUE(textOf(window.get(), "fallbackError").contains(QStringLiteral("確認してください")));
        fillRequired(window.get(), kind);
        ASSERT_TRUE(tap(window.get(), "fallbackRecord"));
        EXPECT_TRUE(finish().contains(QStringLiteral("記録しました")))
            << textOf(window.get(), "fallbackError").toStdString();
        EXPECT_TRUE(
            textOf(window.get(), "resultIdentity").contains(QString::fromStdString(std::string(base::labelOf(kind)))));
        ASSERT_TRUE(tap(window.get(), "resultDone"));
    }
    EXPECT_EQ(syncStatus().queued, 4);
}

TEST_F(AppFlowTest, VerbalConfirmationNeedsAnEarlierConfirmedQualification)
{
    startVisit("startRevisit", "p-cont"); // in continuing care, but no result is on file yet
    ASSERT_TRUE(tap(window.get(), "revisitFallback"));
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "fallback_verbal_revisit") != nullptr; }));
    EXPECT_FALSE(visibleNamed(window.get(), "fallback_verbal_revisit")->isEnabled());
    bool explained = false;
    for (auto* label : window->findChildren<QLabel*>()) {
        explained = explained || (label->isVisible() && label->text().contains(QStringLiteral("再診でのみ")));
    }
    EXPECT_TRUE(explained);
}

TEST_F(AppFlowTest, AFaceAuthenticationOnlyCardIsNeverOfferedThePinPad)
{
    presentCard("face-auth-only");
    startVisit("startFirstVisit", "p-first");
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "method_visual") != nullptr; }));
    EXPECT_TRUE(textOf(window.get(), "cardClass").contains(QStringLiteral("顔認証")))
        << textOf(window.get(), "cardClass").toStdString();
    EXPECT_EQ(visibleNamed(window.get(), "method_pin"), nullptr);
    EXPECT_EQ(visibleNamed(window.get(), "pinTries"), nullptr);
}

TEST_F(AppFlowTest, LanguageAndTextSizeChangeAtOnceFromTheSettingsScreen)
{
    const int before = QApplication::font().pointSize();
    ASSERT_TRUE(tap(window.get(), "navSettings"));
    auto* language = findIn<QComboBox>(window.get(), "settingsLanguage");
    language->setCurrentIndex(language->findData(QStringLiteral("en")));
    auto* size = findIn<QComboBox>(window.get(), "settingsTextSize");
    size->setCurrentIndex(2);
    ASSERT_TRUE(tap(window.get(), "settingsSave"));
    ASSERT_TRUE(waitUntil([&] { return textOf(window.get(), "navRoute") == QStringLiteral("Route"); }))
        << textOf(window.get(), "navRoute").toStdString();
    EXPECT_EQ(QApplication::font().pointSize(), 24);
    EXPECT_GT(QApplication::font().pointSize(), before);
    ASSERT_TRUE(tap(window.get(), "navRoute"));
    EXPECT_EQ(textOf(window.get(), "startFirstVisit"), QStringLiteral("First visit (card)"));
    // Back to Japanese and the standard size, and the file keeps what was chosen.
    ASSERT_TRUE(tap(window.get(), "navSettings"));
    language = findIn<QComboBox>(window.get(), "settingsLanguage");
    language->setCurrentIndex(language->findData(QStringLiteral("ja")));
    findIn<QComboBox>(window.get(), "settingsTextSize")->setCurrentIndex(0);
    ASSERT_TRUE(tap(window.get(), "settingsSave"));
    ASSERT_TRUE(waitUntil([&] { return textOf(window.get(), "navRoute") == QStringLiteral("訪問予定"); }))
        << textOf(window.get(), "navRoute").toStdString();
    EXPECT_EQ(QApplication::font().pointSize(), 16);
    QString problem;
    const auto saved = app::AppSettings::load(QString::fromStdString(dir + "/settings.json"), &problem);
    EXPECT_TRUE(problem.isEmpty()) << problem.toStdString();
    EXPECT_EQ(saved.language, QStringLiteral("ja"));
    EXPECT_TRUE(saved.staffId.isEmpty()) << "who is signed in is never saved";
    EXPECT_EQ(window->settings().staffId, QStringLiteral("nurse-7")) << "saving settings signs nobody out";
}

// Issue 28, item 7: the printed 申立書 carries the seed's declaration, its use-and-discard promise and
// the 説明書's requests (seed 003, 別紙様式); the clinic's ①/② claim rows stay off the patient's form,
// and the signature line allows for someone writing for the patient.
TEST(FallbackSheetTest, TheMoushitateshoCarriesTheSeedsWordsAndNotTheClinicsClaimRows)
{
    app::FallbackPrintout form{
        model::FallbackKind::Moushitatesho,
        QStringLiteral("在宅 花子"),
        QStringLiteral("2026-12-06"),
        {{QStringLiteral("氏名"), QStringLiteral("在宅 花子")},
         {QStringLiteral("①現在の保険者番号（聞き取り・過去の受診歴）"), QStringLiteral("06131234")},
         {QStringLiteral("②過去の被保険者番号"), QStringLiteral("20000002")}}};
    QString text;
    for (const auto& line : app::fallbackSheet(form)) {
        text += line.label + QStringLiteral("|") + line.value + QStringLiteral("\n");
    }
    for (const char* words :
         {"下記の通り申し立てます", "必要範囲でのみ使用し", "速やかに廃棄します", "わかり次第", "差額を請求", "代筆"}) {
        EXPECT_TRUE(text.contains(QString::fromUtf8(words))) << words << "\n" << text.toStdString();
    }
    EXPECT_FALSE(text.contains(QStringLiteral("06131234"))) << text.toStdString();
    EXPECT_FALSE(text.contains(QStringLiteral("②過去"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("在宅 花子")));
    form.kind = model::FallbackKind::ShikakuKakuninsho;
    QString other;
    for (const auto& line : app::fallbackSheet(form)) {
        other += line.label + line.value;
    }
    EXPECT_FALSE(other.contains(QStringLiteral("速やかに廃棄します")));
    EXPECT_TRUE(other.contains(QStringLiteral("確認した職員")));
}

// Issue 33: お薬・健診 from the tablet's copy — offline, the gateway's refusal said beside it.
TEST_F(AppFlowTest, MedicalInformationShowsTheCopyWithItsWarningsAndWhyTheGatewayWasNotAsked)
{
    const auto now = clock.nowJst();
    model::MedicationHistory medication;
    medication.subject.name = "初回　花子";
    for (const auto& [prescriber, date, name] :
         {std::tuple{"A", "2026-11-01", "アムロジピン錠5mg"}, std::tuple{"B", "2026-11-10", "ノルバスク錠5mg"}}) {
        model::DrugEvent e;
        e.source = model::DrugSource::Dispensing;
        e.facilityName = std::string(prescriber) + "薬局";
        e.prescriberCode = prescriber;
        e.prescriberName = std::string(prescriber) + "医院";
        e.date = base::Date::parse(date).value();
        e.drugs.push_back({"c", name, "アムロジピンベシル酸塩", "1", "錠", "1日1回朝食後", "", "28", ""});
        medication.events.push_back(e);
    }
    model::CheckupHistory checkups;
    checkups.subject.sexCode = "2";
    checkups.checkups.push_back(
        {base::Date::parse("2026-11-06").value(), {{"", "収縮期血圧", "PQ", "142", "mmHg", "", ""}}});
    window->worker().drain();
    for (auto kind : {model::ConsentKind::Pharmacy, model::ConsentKind::Checkup}) {
        sync::protocol::MedicalInfoItem item{
            kind, now, now.plus(std::chrono::hours(20)), "consent_plus_24h", std::nullopt, std::nullopt};
        if (kind == model::ConsentKind::Pharmacy) {
            item.medication = medication;
        } else {
            item.checkups = checkups;
        }
        const auto text = sync::protocol::toJson(item).dump();
        ASSERT_TRUE(sync::store::MedicalInfoCache::put(session->store().db(),
                                                       {std::string("mi-") + std::string(base::toCode(kind)), "p-first",
                                                        kind, std::vector<std::uint8_t>(text.begin(), text.end()), now,
                                                        item.viewUntil},
                                                       now));
    }
    startVisit("showMedicalInfo", QStringLiteral("p-first"));
    auto* drugs = findIn<QTableWidget>(window.get(), "medicationTable");
    ASSERT_NE(drugs, nullptr);
    ASSERT_TRUE(waitUntil([&] { return drugs->rowCount() == 2; }));
    EXPECT_EQ(drugs->item(0, 1)->text(), QStringLiteral("ノルバスク錠5mg")) << "newest first";
    EXPECT_TRUE(textOf(window.get(), "medinfoWarnings").contains(QStringLiteral("⚠ 重複投薬の可能性")));
    auto* checks = findIn<QTableWidget>(window.get(), "checkupTable");
    ASSERT_EQ(checks->rowCount(), 1);
    EXPECT_TRUE(checks->item(0, 3)->text().contains(QStringLiteral("⚠ 基準外（≥130 mmHg）")));
    // Not enrolled: the gateway cannot be asked; the copy stays on screen with the reason.
    ASSERT_TRUE(
        waitUntil([&] { return textOf(window.get(), "medinfoStatus").contains(QStringLiteral("ゲートウェイ")); }));
    EXPECT_TRUE(textOf(window.get(), "medinfoStatus").contains(QStringLiteral("閲覧可能")));
    EXPECT_EQ(drugs->rowCount(), 2);
    // Another patient has nothing viewable: the reason, no rows.
    ASSERT_TRUE(tap(window.get(), "medinfoBack"));
    startVisit("showMedicalInfo", QStringLiteral("p-cont"));
    ASSERT_TRUE(waitUntil([&] { return textOf(window.get(), "medinfoStatus").startsWith(QStringLiteral("⚠")); }));
    EXPECT_EQ(drugs->rowCount(), 0);
}

TEST_F(AppFlowTest, EnglishIsBuiltInAndCoversEveryScreenContext)
{
    QTranslator* translator = nullptr;
    app::installLanguage(QStringLiteral("en"), translator);
    ASSERT_NE(translator, nullptr) << "the English .qm is not in the binary";
    EXPECT_EQ(QCoreApplication::translate("RoutePage", "本日の訪問予定"), QStringLiteral("Today's route"));
    EXPECT_EQ(QCoreApplication::translate("FallbackPdf", "日付"), QStringLiteral("Date"));
    visit::CachedResult result;
    result.snapshot.qualificationValidity = model::QualificationValidity::Valid;
    const QString summary = app::eligibilitySummary(result, std::chrono::minutes(5), clock.todayJst());
    EXPECT_TRUE(summary.contains(QStringLiteral("Eligibility: valid"))) << summary.toStdString();
    app::installLanguage(QStringLiteral("ja"), translator);
    EXPECT_EQ(translator, nullptr);
    EXPECT_EQ(QCoreApplication::translate("RoutePage", "本日の訪問予定"), QStringLiteral("本日の訪問予定"));
}

TEST_F(AppFlowTest, IdleTimeLocksTheStoreAndSignInNamesTheStaffAgain)
{
    // Issue 21, item 5: a tablet put down at a patient's home closes its store by itself.
    window->sessionLock().setIdle(std::chrono::milliseconds(300));
    ASSERT_TRUE(waitUntil([&] { return window->session() == nullptr; }, std::chrono::seconds(10)));
    EXPECT_EQ(session.use_count(), 1) << "the window let go of the store";
    session.reset(); // the fixture's own handle: now the store is closed
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "passphrase") != nullptr; }));
    EXPECT_TRUE(window->settings().staffId.isEmpty());
    EXPECT_TRUE(window->routePage()->entries().empty()) << "no patient stays on a screen";
    EXPECT_FALSE(findIn<QAbstractButton>(window.get(), "navRoute")->isEnabled());

    // Signing in again needs a staff id: no default identity.
    findIn<QLineEdit>(window.get(), "storePath")->setText(QString::fromStdString(dir + "/store.db"));
    findIn<QLineEdit>(window.get(), "signInStaff")->clear();
    findIn<QLineEdit>(window.get(), "passphrase")->setText(QStringLiteral("a test passphrase"));
    ASSERT_TRUE(tap(window.get(), "unlock"));
    ASSERT_TRUE(waitUntil([&] { return textOf(window.get(), "unlockMessage").contains(QStringLiteral("職員ID")); }));
    EXPECT_EQ(window->session(), nullptr);
    EXPECT_TRUE(findIn<QLineEdit>(window.get(), "passphrase")->text().isEmpty()) << "the passphrase is not kept";
    findIn<QLineEdit>(window.get(), "signInStaff")->setText(QStringLiteral("nurse-9"));
    findIn<QLineEdit>(window.get(), "passphrase")->setText(QStringLiteral("a test passphrase"));
    ASSERT_TRUE(tap(window.get(), "unlock"));
    ASSERT_TRUE(waitUntil([&] { return window->session() != nullptr; }));
    EXPECT_EQ(window->settings().staffId, QStringLiteral("nurse-9"));
    ASSERT_TRUE(tap(window.get(), "navCustody"));
    auto* staff = findIn<QLineEdit>(window.get(), "custodyStaff");
    EXPECT_EQ(staff->text(), QStringLiteral("nurse-9"));
    EXPECT_TRUE(staff->isReadOnly()) << "the card is handled by who signed in, not by a typed name";
}

// Issue 31: sign-in never asks to type a file path; 新しく作成する only while no store exists.
TEST_F(AppFlowTest, SignInTakesTheStoreFromTheSettingsAndOffersCreationOnlyBeforeThereIsOne)
{
    window->worker().drain();
    app::AppSettings provisioned;
    provisioned.storePath = QString::fromStdString(dir + "/store.db"); // the fixture's store
    auto locked = newWindow(provisioned);
    locked->show();
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(locked.get(), "passphrase") != nullptr; }));
    EXPECT_EQ(visibleNamed(locked.get(), "storePath"), nullptr) << "no path to type";
    EXPECT_EQ(findIn<QLineEdit>(locked.get(), "storePath")->text(), provisioned.storePath);
    EXPECT_EQ(visibleNamed(locked.get(), "createStore"), nullptr) << "the tablet has its store";
    EXPECT_EQ(visibleNamed(locked.get(), "passphraseRepeat"), nullptr);
    // The staff PIN takes the app's keypad.
    locked->activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(locked.get()));
    findIn<QLineEdit>(locked.get(), "staffSecret")->setFocus();
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(locked.get(), "numericKeypad") != nullptr; }));
    for (const char* key : {"keypad_4", "keypad_8", "keypad_2", "keypad_1"}) {
        ASSERT_TRUE(tap(locked.get(), key));
    }
    EXPECT_EQ(findIn<QLineEdit>(locked.get(), "staffSecret")->text(), QStringLiteral("4821"));

    app::AppSettings fresh;
    fresh.storePath = QString::fromStdString(dir + "/not-yet/store.db");
    auto setup = newWindow(fresh);
    setup->show();
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(setup.get(), "passphrase") != nullptr; }));
    EXPECT_NE(visibleNamed(setup.get(), "createStore"), nullptr) << "being set up: a store can be made";
    EXPECT_EQ(visibleNamed(setup.get(), "storePath"), nullptr);
}

// Issue 31: `zaitaku --kiosk` — full screen without decorations; closing is refused, and only a
// signed-in manager gets 終了.
TEST_F(AppFlowTest, TheKioskClosesOnlyForAManager)
{
    // The gateway's accounts are on the tablet (before them, the store passphrase is the only
    // identity and its holder may leave, as StaffDirectory::hasRole says).
    window->worker().drain();
    base::SeededRandom seeded(3);
    for (const auto& [id, role] : {std::pair{"nurse-7", "nurse"}, std::pair{"mgr-1", "manager"}}) {
        sync::protocol::StaffAccount account{
            id,   "", role, sync::protocol::makeStaffCredential("a long passphrase", seeded, {10, 8, 1}).value(),
            true, 1};
        ASSERT_TRUE(sync::store::StaffDirectory::apply(session->store(), account));
    }
    window->setKiosk(true);
    EXPECT_TRUE(window->windowFlags().testFlag(Qt::FramelessWindowHint));
    EXPECT_TRUE(window->isFullScreen());
    window->worker().drain();
    QTest::qWait(20);
    EXPECT_EQ(visibleNamed(window.get(), "navQuit"), nullptr) << "nurse-7 is no manager";
    EXPECT_FALSE(window->close()) << "Alt+F4 or a close request does nothing";
    EXPECT_TRUE(window->isVisible());
    window->adopt(session, QStringLiteral("mgr-1"));
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "navQuit") != nullptr; }));
    dialogs.confirmAnswer = false;
    ASSERT_TRUE(tap(window.get(), "navQuit"));
    EXPECT_TRUE(window->isVisible()) << "answered no";
    dialogs.confirmAnswer = true;
    ASSERT_TRUE(tap(window.get(), "navQuit"));
    EXPECT_FALSE(window->isVisible()) << "the manager closed the kiosk";
}

TEST_F(AppFlowTest, EachPersonSignsInWithTheirOwnPinOnceTheGatewaySentAccounts)
{
    // Security review H3: the staff ID was typed freely beside the tablet's shared passphrase.
    // With the gateway's accounts in the store, the person's own PIN decides who signs in.
    window->worker().drain();
    base::SeededRandom seeded(3);
    for (const auto& [id, role, secret] :
         {std::tuple{"nurse-7", "nurse", "4821"}, std::tuple{"mgr-1", "manager", "a long passphrase"}}) {
        sync::protocol::StaffAccount account{
            id, "", role, sync::protocol::makeStaffCredential(secret, seeded, {10, 8, 1}).value(), true, 1};
        ASSERT_TRUE(sync::store::StaffDirectory::apply(session->store(), account));
    }
    ASSERT_TRUE(tap(window.get(), "navLock"));
    ASSERT_TRUE(waitUntil([&] { return window->session() == nullptr; }));
    session.reset();
    const auto signIn = [&](const char* staff, const char* secret) {
        ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "passphrase") != nullptr; }));
        findIn<QLineEdit>(window.get(), "storePath")->setText(QString::fromStdString(dir + "/store.db"));
        findIn<QLineEdit>(window.get(), "signInStaff")->setText(QString::fromUtf8(staff));
        findIn<QLineEdit>(window.get(), "passphrase")->setText(QStringLiteral("a test passphrase"));
        findIn<QLineEdit>(window.get(), "staffSecret")->setText(QString::fromUtf8(secret));
        ASSERT_TRUE(tap(window.get(), "unlock"));
    };
    signIn("nurse-7", "0000");
    ASSERT_TRUE(waitUntil([&] { return textOf(window.get(), "unlockMessage").contains(QStringLiteral("職員ID")); }))
        << textOf(window.get(), "unlockMessage").toStdString();
    EXPECT_EQ(window->session(), nullptr) << "the store was opened, and closed again";
    EXPECT_TRUE(findIn<QLineEdit>(window.get(), "staffSecret")->text().isEmpty()) << "the PIN is not kept";
    signIn("custodian-01", "4821");
    ASSERT_TRUE(waitUntil([&] { return textOf(window.get(), "unlockMessage").contains(QStringLiteral("職員ID")); }));
    EXPECT_EQ(window->session(), nullptr) << "a typed name is no identity";
    signIn("nurse-7", "4821");
    ASSERT_TRUE(waitUntil([&] { return window->session() != nullptr; }));
    EXPECT_EQ(window->settings().staffId, QStringLiteral("nurse-7"));
}

TEST_F(AppFlowTest, AnIdleLockWithTheCancelQuestionOpenClosesItAndLocks)
{
    // Security review L1: the idle lock fired inside 「訪問の中止」's own event loop, rebuilt the
    // screens and deleted the page that owned the (stack) message box: a double free.
    app::QtDialogs real;
    dialogs.real = &real;
    presentCard("valid");
    startVisit("startFirstVisit", "p-first");
    ASSERT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "visitCancel") != nullptr; }));
    window->sessionLock().setIdle(std::chrono::milliseconds(500));
    ASSERT_TRUE(tap(window.get(), "visitCancel")); // returns once the question is gone
    EXPECT_EQ(dialogs.asked.value(0), QStringLiteral("訪問の中止"));
    ASSERT_TRUE(waitUntil([&] { return window->session() == nullptr; }, std::chrono::seconds(10)));
    EXPECT_EQ(QApplication::activeModalWidget(), nullptr) << "the question was closed with the lock";
    EXPECT_TRUE(waitUntil([&] { return visibleNamed(window.get(), "passphrase") != nullptr; }));
    EXPECT_TRUE(window->routePage()->entries().empty());
}

TEST_F(AppFlowTest, ResumingFromSuspendLocksTheStore)
{
    // The boot clock runs through a suspend, the monotonic clock does not: their gap jumps.
    auto suspended = std::make_shared<std::chrono::nanoseconds>(std::chrono::seconds(5));
    window->sessionLock().setSuspendedTime([suspended] { return *suspended; });
    window->sessionLock().setSuspendPollInterval(std::chrono::milliseconds(20));
    QTest::qWait(200);
    ASSERT_NE(window->session(), nullptr) << "no suspend yet";
    *suspended += std::chrono::minutes(40); // the tablet slept in the car
    ASSERT_TRUE(waitUntil([&] { return window->session() == nullptr; }, std::chrono::seconds(5)));
    EXPECT_TRUE(waitUntil([&] { return textOf(window.get(), "banner").contains(QStringLiteral("スリープ")); }))
        << textOf(window.get(), "banner").toStdString();
}

TEST_F(AppFlowTest, LogindAnnouncingASleepLocksBeforeTheTabletSleeps)
{
    // Security review L1: a resume was seen only by a 1 s poll, so the last screen showed after a
    // wake. A private bus stands in for the system bus; a connection owning logind's name sends
    // what logind sends before a suspend. The suspended-time poll never jumps here.
    QProcess bus;
    bus.start(QStringLiteral("dbus-daemon"),
              {QStringLiteral("--session"), QStringLiteral("--nofork"), QStringLiteral("--print-address=1")});
    ASSERT_TRUE(bus.waitForStarted(5000)) << "dbus-daemon (scripts/setup.sh installs it)";
    ASSERT_TRUE(waitUntil([&] { return bus.canReadLine() || bus.waitForReadyRead(100); }, std::chrono::seconds(5)));
    const QString address = QString::fromUtf8(bus.readLine()).trimmed();
    {
        auto logind = QDBusConnection::connectToBus(address, QStringLiteral("zaitaku-test-logind"));
        ASSERT_TRUE(logind.isConnected()) << address.toStdString();
        ASSERT_TRUE(logind.registerService(QStringLiteral("org.freedesktop.login1")));
        window->sessionLock().setSuspendedTime([] { return std::chrono::nanoseconds(0); });
        window->sessionLock().watchSleep(QDBusConnection::connectToBus(address, QStringLiteral("zaitaku-test-app")));
        ASSERT_TRUE(window->sessionLock().watchesSleep());
        QTest::qWait(100);
        ASSERT_NE(window->session(), nullptr);
        auto signal = QDBusMessage::createSignal(QStringLiteral("/org/freedesktop/login1"),
                                                 QStringLiteral("org.freedesktop.login1.Manager"),
                                                 QStringLiteral("PrepareForSleep"));
        signal << true;
        ASSERT_TRUE(logind.send(signal));
        EXPECT_TRUE(waitUntil([&] { return window->session() == nullptr; }, std::chrono::seconds(5)));
        EXPECT_TRUE(waitUntil([&] { return textOf(window.get(), "banner").contains(QStringLiteral("スリープ")); }));
        EXPECT_TRUE(window->routePage()->entries().empty()) << "cleared before the sleep";
    }
    window->sessionLock().watchSleep(QDBusConnection(QStringLiteral("none")));
    QDBusConnection::disconnectFromBus(QStringLiteral("zaitaku-test-logind"));
    QDBusConnection::disconnectFromBus(QStringLiteral("zaitaku-test-app"));
    bus.kill();
    bus.waitForFinished(5000);
}

} // namespace
} // namespace zaitaku::testing

int main(int argc, char** argv)
{
    return zaitaku::testing::runAppTests(argc, argv);
}
