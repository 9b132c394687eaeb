#include "ui/app/SleepWatcher.h"

#include <QDBusMessage>
#include <QDBusPendingCall>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>

namespace zaitaku::app
{

namespace
{

const QString kService = QStringLiteral("org.freedesktop.login1");
const QString kPath = QStringLiteral("/org/freedesktop/login1");
const QString kManager = QStringLiteral("org.freedesktop.login1.Manager");

} // namespace

SleepWatcher::SleepWatcher(const QDBusConnection& bus, QObject* parent)
    : QObject(parent)
    , m_bus(bus)
{
    if (!m_bus.isConnected()) {
        return;
    }
    m_watching = m_bus.connect(kService, kPath, kManager, QStringLiteral("PrepareForSleep"), this,
                               SLOT(onPrepareForSleep(bool)));
    if (m_watching) {
        takeInhibitor();
    }
}

void SleepWatcher::onPrepareForSleep(bool start)
{
    if (!start) {
        takeInhibitor(); // awake again: hold the next sleep until we have locked
        return;
    }
    Q_EMIT goingToSleep();
    m_inhibitor = QDBusUnixFileDescriptor(); // closing it lets the sleep go on
}

void SleepWatcher::takeInhibitor()
{
    if (m_inhibitor.isValid()) {
        return;
    }
    auto call = QDBusMessage::createMethodCall(kService, kPath, kManager, QStringLiteral("Inhibit"));
    call << QStringLiteral("sleep") << QStringLiteral("zaitaku")
         << QStringLiteral("clear the patient screens and lock the store") << QStringLiteral("delay");
    // Asynchronous with a deadline: the UI thread never waits on the bus.
    auto* pending = new QDBusPendingCallWatcher(m_bus.asyncCall(call, 5000), this);
    connect(pending, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher* done) {
        QDBusPendingReply<QDBusUnixFileDescriptor> reply = *done;
        if (reply.isValid()) {
            m_inhibitor = reply.value();
        }
        done->deleteLater();
    });
}

} // namespace zaitaku::app
