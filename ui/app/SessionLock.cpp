#include "ui/app/SessionLock.h"

#include "ui/app/SleepWatcher.h"

#include <QCoreApplication>
#include <QEvent>
#include <ctime>

namespace zaitaku::app
{

namespace
{

std::chrono::nanoseconds clockNow(clockid_t id)
{
    timespec ts{};
    ::clock_gettime(id, &ts);
    return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

// A suspend shorter than this is not told apart from scheduling noise.
constexpr std::chrono::seconds kSuspendNoticed{2};

} // namespace

std::chrono::nanoseconds suspendedSinceBoot()
{
    return clockNow(CLOCK_BOOTTIME) - clockNow(CLOCK_MONOTONIC);
}

SessionLock::SessionLock(std::chrono::milliseconds idle, SuspendedTime suspended, QObject* parent)
    : QObject(parent)
    , m_suspended(std::move(suspended))
{
    m_idle.setSingleShot(true);
    m_idle.setInterval(idle);
    m_suspendPoll.setInterval(std::chrono::milliseconds(1000));
    connect(&m_idle, &QTimer::timeout, this, [this] { Q_EMIT lockRequested(QStringLiteral("idle")); });
    connect(&m_suspendPoll, &QTimer::timeout, this, &SessionLock::checkSuspend);
}

SessionLock::~SessionLock()
{
    stop();
}

void SessionLock::start()
{
    if (!m_running) {
        QCoreApplication::instance()->installEventFilter(this);
        m_running = true;
    }
    m_lastSuspended = m_suspended();
    m_idle.start();
    m_suspendPoll.start();
}

void SessionLock::stop()
{
    if (m_running) {
        QCoreApplication::instance()->removeEventFilter(this);
        m_running = false;
    }
    m_idle.stop();
    m_suspendPoll.stop();
}

void SessionLock::watchSleep(const QDBusConnection& bus)
{
    delete m_sleep;
    m_sleep = new SleepWatcher(bus, this);
    connect(m_sleep, &SleepWatcher::goingToSleep, this, [this] {
        if (m_running) {
            Q_EMIT lockRequested(QStringLiteral("suspend"));
        }
    });
}

bool SessionLock::watchesSleep() const
{
    return m_sleep != nullptr && m_sleep->isWatching();
}

void SessionLock::setIdle(std::chrono::milliseconds idle)
{
    m_idle.setInterval(idle);
    if (m_running) {
        m_idle.start();
    }
}

bool SessionLock::eventFilter(QObject* watched, QEvent* event)
{
    switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::KeyPress:
    case QEvent::TouchBegin:
    case QEvent::Wheel:
        m_idle.start(); // someone is using the tablet: the idle time starts again
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

void SessionLock::checkSuspend()
{
    const auto now = m_suspended();
    // Checked before the idle timer: after a resume, a pending idle timeout may fire at once too,
    // and either way the store is locked.
    if (now - m_lastSuspended >= kSuspendNoticed) {
        m_lastSuspended = now;
        Q_EMIT lockRequested(QStringLiteral("suspend"));
        return;
    }
    m_lastSuspended = now;
}

} // namespace zaitaku::app
