#pragma once

// When the unlocked store must be locked again without anyone asking: after `idle` with no touch,
// click or key anywhere in the app, and when the tablet goes to sleep (a tablet left in a car or a
// patient's home must not open on patient data). logind's PrepareForSleep locks before the sleep
// (SleepWatcher); without logind a resume is seen by a poll: the boot clock runs through a
// suspend, the monotonic clock does not, so their difference jumps.

#include <QDBusConnection>
#include <QObject>
#include <QTimer>
#include <chrono>
#include <functional>

namespace zaitaku::app
{

// Time the system spent suspended since boot (CLOCK_BOOTTIME − CLOCK_MONOTONIC); injectable.
using SuspendedTime = std::function<std::chrono::nanoseconds()>;
std::chrono::nanoseconds suspendedSinceBoot();

class SleepWatcher;

class SessionLock : public QObject
{
    Q_OBJECT
public:
    SessionLock(std::chrono::milliseconds idle,
                SuspendedTime suspended = suspendedSinceBoot,
                QObject* parent = nullptr);
    ~SessionLock() override;

    // Watches from now (after sign-in); stop() when the store is closed.
    void start();
    void stop();
    void setIdle(std::chrono::milliseconds idle);
    // Where the suspended time comes from (tests inject a clock that jumps).
    void setSuspendedTime(SuspendedTime suspended)
    {
        m_suspended = std::move(suspended);
        m_lastSuspended = m_suspended();
    }
    // Locks when logind announces a sleep, before it happens (SleepWatcher): the app watches the
    // system bus, tests a private one.
    void watchSleep(const QDBusConnection& bus);
    bool watchesSleep() const;
    // How often the suspend check runs (tests shorten it).
    void setSuspendPollInterval(std::chrono::milliseconds interval) { m_suspendPoll.setInterval(interval); }

Q_SIGNALS:
    void lockRequested(QString reason);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void checkSuspend();

    SuspendedTime m_suspended;
    SleepWatcher* m_sleep = nullptr;
    QTimer m_idle;
    QTimer m_suspendPoll;
    std::chrono::nanoseconds m_lastSuspended{0};
    bool m_running = false;
};

} // namespace zaitaku::app
