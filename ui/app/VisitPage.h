#pragma once

// One visit on screen: the engine runs on the background worker; this page answers its questions
// through the panels (VisitScreens), shows its progress, and offers 中止 at every step. What the
// engine says last (the outcome or why it could not go on) ends on the result panel.

#include "ui/app/AppSettings.h"
#include "ui/app/Dialogs.h"
#include "ui/app/VisitBridge.h"
#include "verify/visit/VisitEngine.h"

#include <QWidget>
#include <memory>

class QLabel;
class QScrollArea;
class QPushButton;
class QStackedWidget;

namespace zaitaku::app
{

class AppSession;
class BackgroundWorker;
class CardPanel;
class CodeBPanel;
class ConsentPanel;
class FacePanel;
class FallbackPanel;
class MethodPanel;
class PinPadPanel;
class ResultPanel;
class RevisitPanel;
class VisualPanel;

class VisitPage : public QWidget, public VisitScreens
{
    Q_OBJECT
public:
    VisitPage(BackgroundWorker& worker, Dialogs& dialogs, const AppSettings& settings, QWidget* parent = nullptr);
    ~VisitPage() override;

    void start(AppSession& session, const visit::VisitRequest& request, const QString& patientName);
    bool running() const { return m_bridge != nullptr; }
    // Ends the running visit at its next question; nothing is recorded.
    void cancel();

    // The panels, for the tests.
    QWidget* currentPanel() const;
    PinPadPanel* pinPad() const { return m_pin; }

    void showProgress(const visit::VisitProgress& progress) override;
    void showFacePreview(const FacePreview& preview) override;
    void askCard(const visit::CardPrompt& prompt, const Reply<visit::CardDecision>& reply) override;
    void askMethod(const visit::MethodPrompt& prompt, const Reply<visit::MethodDecision>& reply) override;
    void askPin(const visit::PinPrompt& prompt, const Reply<visit::PinAnswer>& reply) override;
    void askCodeB(const visit::CodeBPrompt& prompt, const Reply<visit::CodeBAnswer>& reply) override;
    void askVisual(const visit::VisualPrompt& prompt, const Reply<visit::VisualAnswer>& reply) override;
    void askConsent(const visit::ConsentPrompt& prompt, const Reply<visit::ConsentAnswer>& reply) override;
    void askRevisit(const visit::RevisitPrompt& prompt, const Reply<visit::RevisitDecision>& reply) override;
    void askFallback(const visit::FallbackPrompt& prompt, const Reply<visit::FallbackAnswer>& reply) override;
    void askRetryCommit(const visit::Error& error, const Reply<bool>& reply) override;

Q_SIGNALS:
    void finished(bool committed);
    // The patient acts now (PIN, consent): the tablet is turned toward them and the staff's
    // controls are hidden (issue 31); false once staff act again.
    void patientFacing(bool facing);

private:
    void showPanel(QWidget* panel);
    void showStep(QWidget* panel);
    void keepMainActionInView();
    void setProgress(const QString& text);
    void finish(const Expected<visit::VisitOutcome, visit::Error>& outcome);

    BackgroundWorker& m_worker;
    Dialogs& m_dialogs;
    AppSession* m_session = nullptr; // the running visit's
    visit::VisitRequest m_request;
    const AppSettings& m_settings;
    std::shared_ptr<VisitBridge> m_bridge;
    QString m_patientName;
    base::Date m_today = base::Date::fromSysDays({});
    bool m_committed = false;

    QLabel* m_title;
    QLabel* m_progress;
    QLabel* m_steps = nullptr;
    QScrollArea* m_scroll = nullptr;
    bool m_progressAboutCard = false; // the line speaks of the card (its log is on the card panel)
    QStackedWidget* m_panels;
    QWidget* m_working;
    CardPanel* m_card;
    MethodPanel* m_method;
    PinPadPanel* m_pin;
    CodeBPanel* m_codeB;
    FacePanel* m_face;
    VisualPanel* m_visual;
    ConsentPanel* m_consent;
    RevisitPanel* m_revisit;
    FallbackPanel* m_fallback;
    ResultPanel* m_result;
    QPushButton* m_cancel;
};

} // namespace zaitaku::app
