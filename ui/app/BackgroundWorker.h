#pragma once

// One worker thread for everything slow or blocking: the store (SQLCipher; scrypt at unlock), the
// card, the camera and the network. Jobs run one at a time in order, so the store is only ever
// used from one thread at a time and a visit cannot race a sync; the UI thread never waits. A
// job's result comes back on the UI thread through `done`, unless its context object is gone.

#include <QObject>
#include <QPointer>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace zaitaku::app
{

class BackgroundWorker
{
public:
    BackgroundWorker();
    ~BackgroundWorker();
    BackgroundWorker(const BackgroundWorker&) = delete;
    BackgroundWorker& operator=(const BackgroundWorker&) = delete; // finishes the running job, drops the queued ones

    // Runs `job` on the worker, then `done(result)` on `context`'s thread.
    template <typename Result> void run(QObject* context, std::function<Result()> job, std::function<void(Result)> done)
    {
        post([context = QPointer<QObject>(context), job = std::move(job), done = std::move(done)]() mutable {
            auto result = std::make_shared<Result>(job());
            if (context) {
                QMetaObject::invokeMethod(
                    context.data(), [done = std::move(done), result]() mutable { done(std::move(*result)); },
                    Qt::QueuedConnection);
            }
        });
    }
    void post(std::function<void()> job);

    // Blocks until the queue is empty (tests, shutdown).
    void drain();

private:
    void loop();

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    std::deque<std::function<void()>> m_jobs;
    bool m_running = false;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace zaitaku::app
