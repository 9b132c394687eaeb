#pragma once

// Sync without a tap (issue 31): while someone is signed in, the outbox goes to the gateway and
// the feed comes back soon after each visit, when the network returns (NetworkManager through Qt's
// QNetworkInformation, where it runs), on a timer with back-off (sync/client/SyncSchedule), and
// once, bounded, before the idle lock closes the store. A run uses short network waits and never
// starts while a visit is under way; a failure is shown, never blocks anything.

#include "base/Random.h"
#include "sync/client/SyncSchedule.h"

#include <QObject>
#include <QTimer>
#include <functional>
#include <optional>

namespace zaitaku::app
{

class AppSession;
class BackgroundWorker;

class AutoSync : public QObject
{
    Q_OBJECT
public:
    // `mayStart`: false while a visit runs (the worker would hold the visit behind the sync).
    AutoSync(BackgroundWorker& worker, std::function<bool()> mayStart, QObject* parent = nullptr);

    void start(AppSession* session, sync::client::AutoSyncPolicy policy = {});
    void stop();
    void visitCommitted();
    void networkBack();
    // Before the idle lock: one run on the worker (the caller drains it before closing the store).
    void flushBeforeLock();
    bool active() const { return m_session != nullptr; }

Q_SIGNALS:
    // A run ended: the sync page and the header refresh; `ok` false names why in `problem`.
    void ran(bool ok, QString problem);

private:
    void tick();
    void runNow();

    BackgroundWorker& m_worker;
    std::function<bool()> m_mayStart;
    AppSession* m_session = nullptr;
    base::SystemRandom m_random;
    std::optional<sync::client::SyncSchedule> m_schedule;
    QTimer m_timer;
    int m_generation = 0; // a run that ends after stop() (or a new sign-in) is ignored
};

} // namespace zaitaku::app
