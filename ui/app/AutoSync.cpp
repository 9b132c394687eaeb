#include "ui/app/AutoSync.h"

#include "ui/app/AppSession.h"
#include "ui/app/BackgroundWorker.h"

#include <QNetworkInformation>
#include <memory>

namespace zaitaku::app
{

namespace
{

using Report = Expected<sync::client::SyncReport, sync::Error>;

} // namespace

AutoSync::AutoSync(BackgroundWorker& worker, std::function<bool()> mayStart, QObject* parent)
    : QObject(parent)
    , m_worker(worker)
    , m_mayStart(std::move(mayStart))
{
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &AutoSync::tick);
    // Where NetworkManager runs, its word that the network is back starts a run at once.
    // Only a change from no network to some counts: the backend's first report is not news.
    if (QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        using Reachability = QNetworkInformation::Reachability;
        auto* info = QNetworkInformation::instance();
        auto last = std::make_shared<Reachability>(info->reachability());
        connect(info, &QNetworkInformation::reachabilityChanged, this, [this, last](Reachability now) {
            const bool wasDown = *last == Reachability::Disconnected || *last == Reachability::Local;
            *last = now;
            if (wasDown && (now == Reachability::Online || now == Reachability::Site)) {
                networkBack();
            }
        });
    }
}

void AutoSync::start(AppSession* session, sync::client::AutoSyncPolicy policy)
{
    ++m_generation;
    m_session = session;
    m_schedule.emplace(policy, m_random, std::chrono::steady_clock::now());
    m_timer.start();
}

void AutoSync::stop()
{
    ++m_generation;
    m_timer.stop();
    m_session = nullptr;
    m_schedule.reset();
}

void AutoSync::visitCommitted()
{
    if (m_schedule) {
        m_schedule->visitCommitted(std::chrono::steady_clock::now());
    }
}

void AutoSync::networkBack()
{
    if (m_schedule) {
        m_schedule->networkBack(std::chrono::steady_clock::now());
    }
}

void AutoSync::tick()
{
    if (m_schedule && m_session && m_schedule->due(std::chrono::steady_clock::now()) && m_mayStart()) {
        runNow();
    }
}

void AutoSync::flushBeforeLock()
{
    if (m_session && m_schedule && !m_schedule->running()) {
        runNow();
    }
}

void AutoSync::runNow()
{
    m_schedule->started();
    AppSession* session = m_session;
    const int generation = m_generation;
    m_worker.run<std::pair<Report, std::int64_t>>(
        this,
        [session] {
            auto report = session->backgroundSync();
            auto status = session->syncStatus();
            const std::int64_t unsent = status ? status->queued + status->sending : 0;
            return std::make_pair(std::move(report), unsent);
        },
        [this, generation](std::pair<Report, std::int64_t> result) {
            if (generation != m_generation || !m_schedule) {
                return;
            }
            const auto& report = result.first;
            const bool ok = report && !report->error;
            m_schedule->finished(ok, result.second, std::chrono::steady_clock::now());
            const sync::Error* problem = !report ? &report.error() : (report->error ? &*report->error : nullptr);
            Q_EMIT ran(ok, problem ? QString::fromStdString(problem->message) : QString());
        });
}

} // namespace zaitaku::app
