#include "ui/app/VisitBridge.h"

#include "device/camera/Image.h"
#include "verify/identity/face/FaceIssue.h"

#include <QCoreApplication>

// GCC 12 at -O1 with the sanitizers reports a false "may be used uninitialized" inside Qt's
// functor slot object for the queued lambdas below (the captured values are all initialised).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace zaitaku::app
{

VisitBridge::VisitBridge(QObject* context, VisitScreens& screens)
    : m_context(context)
    , m_screens(screens)
{}

template <typename T, typename Prompt>
T VisitBridge::ask(const Prompt& prompt, void (VisitScreens::*screen)(const Prompt&, const Reply<T>&), T whenCancelled)
{
    Reply<T> reply;
    auto answer = reply.future();
    {
        std::lock_guard lock(m_mutex);
        if (m_cancelled || !m_context) {
            return whenCancelled;
        }
        // The cancelled answer is built when needed: T may be move-only.
        auto fallbackValue = std::make_shared<T>(std::move(whenCancelled));
        m_cancelOpen = [reply, fallbackValue] { reply(std::move(*fallbackValue)); };
    }
    QMetaObject::invokeMethod(
        m_context.data(), [this, prompt, screen, reply] { (m_screens.*screen)(prompt, reply); }, Qt::QueuedConnection);
    T value = answer.get();
    std::lock_guard lock(m_mutex);
    m_cancelOpen = nullptr;
    return value;
}

void VisitBridge::progress(const visit::VisitProgress& progress)
{
    if (m_context) {
        QMetaObject::invokeMethod(
            m_context.data(), [this, progress] { m_screens.showProgress(progress); }, Qt::QueuedConnection);
    }
}

visit::CardDecision VisitBridge::cardMissing(const visit::CardPrompt& prompt)
{
    return ask(prompt, &VisitScreens::askCard, visit::CardDecision::Abort);
}

visit::MethodDecision VisitBridge::chooseMethod(const visit::MethodPrompt& prompt)
{
    return ask(prompt, &VisitScreens::askMethod, visit::MethodDecision{});
}

visit::PinAnswer VisitBridge::enterPin(const visit::PinPrompt& prompt)
{
    return ask(prompt, &VisitScreens::askPin, visit::PinAnswer{});
}

visit::CodeBAnswer VisitBridge::enterCodeB(const visit::CodeBPrompt& prompt)
{
    return ask(prompt, &VisitScreens::askCodeB, visit::CodeBAnswer{});
}

visit::VisualAnswer VisitBridge::attestVisual(const visit::VisualPrompt& prompt)
{
    return ask(prompt, &VisitScreens::askVisual, visit::VisualAnswer{});
}

visit::ConsentAnswer VisitBridge::chooseConsent(const visit::ConsentPrompt& prompt)
{
    return ask(prompt, &VisitScreens::askConsent, visit::ConsentAnswer{});
}

visit::RevisitDecision VisitBridge::reviewRevisit(const visit::RevisitPrompt& prompt)
{
    return ask(prompt, &VisitScreens::askRevisit, visit::RevisitDecision::Abort);
}

visit::FallbackAnswer VisitBridge::enterFallback(const visit::FallbackPrompt& prompt)
{
    return ask(prompt, &VisitScreens::askFallback, visit::FallbackAnswer{});
}

bool VisitBridge::retryCommit(const visit::Error& error)
{
    return ask(error, &VisitScreens::askRetryCommit, false);
}

identity::face::FaceProgressObserver VisitBridge::faceObserver()
{
    return [this](const identity::face::FaceProgress& p) {
        const auto ms = static_cast<std::int64_t>(p.elapsed.count());
        if (!m_context || p.frame == nullptr || p.frame->empty() || ms - m_lastPreviewMs < 100) {
            return;
        }
        m_lastPreviewMs = ms;
        const auto& image = *p.frame;
        // A deep copy for the screen only: it replaces the previous frame and is never written.
        QImage frame =
            image.format() == camera::PixelFormat::Gray8
                ? QImage(image.data(), image.width(), image.height(), image.width(), QImage::Format_Grayscale8).copy()
                : QImage(image.data(), image.width(), image.height(), image.width() * 3, QImage::Format_BGR888).copy();
        FacePreview preview{std::move(frame), QString(), QString(), p.usableFrames, p.framesWanted};
        if (p.issue) {
            preview.guidance = QString::fromStdString(std::string(base::labelOf(*p.issue)));
            preview.guidanceEn = QString::fromStdString(std::string(identity::face::guidanceEn(*p.issue)));
        }
        QMetaObject::invokeMethod(
            m_context.data(), [this, preview] { m_screens.showFacePreview(preview); }, Qt::QueuedConnection);
    };
}

void VisitBridge::cancel()
{
    std::function<void()> open;
    {
        std::lock_guard lock(m_mutex);
        m_cancelled = true;
        open = m_cancelOpen;
    }
    if (open) {
        open();
    }
}

} // namespace zaitaku::app
