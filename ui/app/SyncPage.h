#pragma once

// Sync status: queued / sending / acknowledged / dead letters (with the gateway's reason and a
// retry), the last success, the clock skew (warned beyond 5 minutes) and "sync now" with progress
// and cancel. Cancel stops waiting; the run itself finishes within its network timeouts and
// leaves the outbox consistent either way (crash-safe by design).

#include "base/Timestamp.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace zaitaku::app
{

class AppSession;
class BackgroundWorker;
struct AppSettings;

class SyncPage : public QWidget
{
    Q_OBJECT
public:
    SyncPage(BackgroundWorker& worker, const AppSettings& settings, QWidget* parent = nullptr);
    void setSession(AppSession* session);
    void refresh();
    void syncNow();

Q_SIGNALS:
    void summaryChanged(QString summary);

public:
    // 「たった今」「5分前」「3時間前」「2日前」 (translated).
    static QString ago(const base::Timestamp& then, const base::Timestamp& now);

private:
    void retrySelected();
    void setBusy(bool busy);

    BackgroundWorker& m_worker;
    const AppSettings& m_settings;
    AppSession* m_session = nullptr;
    int m_generation = 0;
    QLabel* m_counts;
    QLabel* m_gateway;
    QLabel* m_lastSuccess;
    QLabel* m_skew;
    QLabel* m_message;
    QListWidget* m_dead;
    QProgressBar* m_busy;
    QPushButton* m_sync;
    QPushButton* m_cancel;
    QPushButton* m_retry;
};

} // namespace zaitaku::app
