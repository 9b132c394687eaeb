#pragma once

// logind's PrepareForSleep on D-Bus (security review L1): the app locks *before* the tablet
// sleeps, so a resume never shows the last patient's screen — not even for the second the
// suspended-time poll (SessionLock) needs. While watching, it holds a "delay" sleep inhibitor,
// as screen lockers do, and lets go of it once the lock is done; where logind is absent (a
// container, a test) the poll still catches the resume.

#include <QDBusConnection>
#include <QDBusUnixFileDescriptor>
#include <QObject>

namespace zaitaku::app
{

class SleepWatcher : public QObject
{
    Q_OBJECT
public:
    // Watches logind on `bus` (the system bus in the app; a private bus in tests).
    explicit SleepWatcher(const QDBusConnection& bus, QObject* parent = nullptr);

    bool isWatching() const { return m_watching; }

Q_SIGNALS:
    // Emitted on PrepareForSleep(true); the sleep waits (up to logind's InhibitDelayMaxSec)
    // until the receivers return.
    void goingToSleep();

private Q_SLOTS:
    void onPrepareForSleep(bool start);

private:
    void takeInhibitor();

    QDBusConnection m_bus;
    QDBusUnixFileDescriptor m_inhibitor;
    bool m_watching = false;
};

} // namespace zaitaku::app
