#pragma once

// Today's route: every patient with their age, service, the age of the cached eligibility result
// and the pre-check flags in words (⚠ + text, never colour alone). The visit buttons act on the
// selected patient; "pre-check now" asks the gateway (progress, cancel).

#include "ui/session/RouteView.h"

#include <QWidget>
#include <vector>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace zaitaku::app
{

class AppSession;
class BackgroundWorker;

class RoutePage : public QWidget
{
    Q_OBJECT
public:
    RoutePage(BackgroundWorker& worker, QWidget* parent = nullptr);
    void setSession(AppSession* session);
    void refresh();
    void precheckNow();
    void select(const QString& patientId);
    const std::vector<session::RouteEntry>& entries() const { return m_entries; }

Q_SIGNALS:
    void firstVisit(QString patientId, QString name, QString serviceKind);
    void revisit(QString patientId, QString name, QString serviceKind);
    void fallback(QString patientId, QString name, QString serviceKind);
    void medicalInfo(QString patientId, QString name, QString serviceKind);

private:
    void show(const std::vector<session::RouteEntry>& entries);
    const session::RouteEntry* selected() const;
    void emitFor(void (RoutePage::*signal)(QString, QString, QString));
    void setBusy(bool busy, const QString& text);

    BackgroundWorker& m_worker;
    AppSession* m_session = nullptr;
    std::vector<session::RouteEntry> m_entries;
    int m_generation = 0; // a cancelled pre-check's answer is ignored
    QLabel* m_date;
    QTableWidget* m_table;
    QLabel* m_status;
    QProgressBar* m_busy;
    QPushButton* m_precheck;
    QPushButton* m_cancel;
    QPushButton* m_first;
    QPushButton* m_revisit;
    QPushButton* m_fallback;
    QPushButton* m_medinfo;
};

QString serviceLabel(model::ServiceKind kind);

} // namespace zaitaku::app
