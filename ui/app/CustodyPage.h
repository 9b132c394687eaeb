#pragma once

// The card custody ledger for facilities holding residents' cards (F8): where each card is now and
// who holds it, overdue check-outs marked "⚠ 返却期限超過" in bold, and deposit / check-out (who,
// purpose) / return, each recorded, audited and queued for the gateway.

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace zaitaku::app
{

class AppSession;
class BackgroundWorker;
struct AppSettings;

class CustodyPage : public QWidget
{
    Q_OBJECT
public:
    CustodyPage(BackgroundWorker& worker, const AppSettings& settings, QWidget* parent = nullptr);
    void setSession(AppSession* session);
    void refresh();

private:
    void record(int action);
    void saveCustodians();

    BackgroundWorker& m_worker;
    const AppSettings& m_settings;
    AppSession* m_session = nullptr;
    QTableWidget* m_table;
    QComboBox* m_patient;
    QLineEdit* m_staff;
    QLineEdit* m_purpose;
    QLineEdit* m_witness;
    QLineEdit* m_agreement;
    QLineEdit* m_location;
    QLineEdit* m_custodians;
    QLabel* m_message;
};

} // namespace zaitaku::app
