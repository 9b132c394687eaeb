#pragma once

// The visit engine's OperatorInput for the app. The engine runs on the background worker and, at
// each question, this bridge puts the question on the UI thread (VisitScreens) and blocks the
// worker until the nurse answers through the Reply. cancel() answers the open question, and every
// later one, with "stop", so the engine ends the visit the way it ends an abort: nothing recorded.

#include "verify/identity/face/CameraFaceVerifier.h"
#include "verify/visit/OperatorInput.h"

#include <QImage>
#include <QObject>
#include <QPointer>
#include <atomic>
#include <functional>
#include <future>
#include <memory>
#include <mutex>

namespace zaitaku::app
{

// The answer to one question; the first call wins, later ones are ignored.
template <typename T> class Reply
{
public:
    Reply()
        : m_state(std::make_shared<State>())
    {}
    void operator()(T value) const
    {
        std::lock_guard lock(m_state->mutex);
        if (!m_state->answered) {
            m_state->answered = true;
            m_state->promise.set_value(std::move(value));
        }
    }
    bool answered() const
    {
        std::lock_guard lock(m_state->mutex);
        return m_state->answered;
    }
    std::future<T> future() const { return m_state->promise.get_future(); }

private:
    struct State
    {
        std::mutex mutex;
        bool answered = false;
        std::promise<T> promise;
    };
    std::shared_ptr<State> m_state;
};

// A camera frame for the live preview, with the guidance for it (shown, never kept).
struct FacePreview
{
    QImage frame;
    QString guidance;   // Japanese; empty: the frame was usable
    QString guidanceEn; // the same in English
    int usableFrames = 0;
    int framesWanted = 0;
};

// What the screens implement (on the UI thread).
class VisitScreens
{
public:
    virtual ~VisitScreens() = default;
    virtual void showProgress(const visit::VisitProgress& progress) = 0;
    virtual void showFacePreview(const FacePreview& preview) = 0;
    virtual void askCard(const visit::CardPrompt& prompt, const Reply<visit::CardDecision>& reply) = 0;
    virtual void askMethod(const visit::MethodPrompt& prompt, const Reply<visit::MethodDecision>& reply) = 0;
    virtual void askPin(const visit::PinPrompt& prompt, const Reply<visit::PinAnswer>& reply) = 0;
    virtual void askCodeB(const visit::CodeBPrompt& prompt, const Reply<visit::CodeBAnswer>& reply) = 0;
    virtual void askVisual(const visit::VisualPrompt& prompt, const Reply<visit::VisualAnswer>& reply) = 0;
    virtual void askConsent(const visit::ConsentPrompt& prompt, const Reply<visit::ConsentAnswer>& reply) = 0;
    virtual void askRevisit(const visit::RevisitPrompt& prompt, const Reply<visit::RevisitDecision>& reply) = 0;
    virtual void askFallback(const visit::FallbackPrompt& prompt, const Reply<visit::FallbackAnswer>& reply) = 0;
    virtual void askRetryCommit(const visit::Error& error, const Reply<bool>& reply) = 0;
};

class VisitBridge final : public visit::OperatorInput
{
public:
    // `context` is the QObject the screens live with (its thread runs them).
    VisitBridge(QObject* context, VisitScreens& screens);

    void progress(const visit::VisitProgress& progress) override;
    visit::CardDecision cardMissing(const visit::CardPrompt& prompt) override;
    visit::MethodDecision chooseMethod(const visit::MethodPrompt& prompt) override;
    visit::PinAnswer enterPin(const visit::PinPrompt& prompt) override;
    visit::CodeBAnswer enterCodeB(const visit::CodeBPrompt& prompt) override;
    visit::VisualAnswer attestVisual(const visit::VisualPrompt& prompt) override;
    visit::ConsentAnswer chooseConsent(const visit::ConsentPrompt& prompt) override;
    visit::RevisitDecision reviewRevisit(const visit::RevisitPrompt& prompt) override;
    visit::FallbackAnswer enterFallback(const visit::FallbackPrompt& prompt) override;
    bool retryCommit(const visit::Error& error) override;

    // The camera's frames, for the preview (at most ~10 per second reach the UI).
    identity::face::FaceProgressObserver faceObserver();

    // Any thread: ends the visit at its next question (or the open one).
    void cancel();
    bool cancelled() const { return m_cancelled; }

private:
    template <typename T, typename Prompt>
    T ask(const Prompt& prompt, void (VisitScreens::*screen)(const Prompt&, const Reply<T>&), T whenCancelled);

    QPointer<QObject> m_context;
    VisitScreens& m_screens;
    std::atomic<bool> m_cancelled{false};
    std::mutex m_mutex;
    std::function<void()> m_cancelOpen; // answers the open question with "stop"
    std::int64_t m_lastPreviewMs = -1000;
};

} // namespace zaitaku::app
