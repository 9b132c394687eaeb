#pragma once

// 「お薬・健診」 (issue 33): a patient's medications by date and facility, the warnings first
// (重複投薬の可能性, 用量変更), checkups by year with values outside the 保健指導判定値 marked (⚠ and
// the limit, never colour alone), when the data was fetched and until when it may be viewed. It
// reads the tablet's cache, so it works offline; 「最新を取得」 asks the gateway for the signed-in
// staff member. Closed window or withdrawn consent: the reason and nothing else.

#include "ui/session/MedicalInfoReport.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace zaitaku::app
{

class AppSession;
class BackgroundWorker;

class MedicalInfoPage : public QWidget
{
    Q_OBJECT
public:
    MedicalInfoPage(BackgroundWorker& worker, QWidget* parent = nullptr);
    void setSession(AppSession* session);
    // Shows what the cache holds for the patient now.
    void showPatient(const QString& patientId, const QString& name, const QString& serviceKind);
    // Asks the gateway (as `staffId`), then shows the cache again.
    void fetch(const QString& staffId);
    const session::MedicalInfoReport& report() const { return m_report; }

Q_SIGNALS:
    void back();

private:
    void show(const session::MedicalInfoReport& report, const QString& gatewayReason);

    BackgroundWorker& m_worker;
    AppSession* m_session = nullptr;
    QString m_patientId;
    QString m_serviceKind;
    QString m_staffId;
    session::MedicalInfoReport m_report;
    QLabel* m_title;
    QLabel* m_status;
    QLabel* m_warnings;
    QTableWidget* m_medications;
    QTableWidget* m_checkups;
    QPushButton* m_fetch;
    QPushButton* m_back;
};

} // namespace zaitaku::app
