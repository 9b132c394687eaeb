#include "ui/app/VisitPage.h"

#include "ui/app/AppSession.h"
#include "ui/app/BackgroundWorker.h"
#include "ui/app/Style.h"
#include "ui/app/visit/CardPanel.h"
#include "ui/app/visit/CodeBPanel.h"
#include "ui/app/visit/ConsentPanel.h"
#include "ui/app/visit/FacePanel.h"
#include "ui/app/visit/FallbackPanel.h"
#include "ui/app/visit/MethodPanel.h"
#include "ui/app/visit/PinPadPanel.h"
#include "ui/app/visit/ResultPanel.h"
#include "ui/app/visit/RevisitPanel.h"
#include "ui/app/visit/VisualPanel.h"

#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace zaitaku::app
{

VisitPage::VisitPage(BackgroundWorker& worker, Dialogs& dialogs, const AppSettings& settings, QWidget* parent)
    : QWidget(parent)
    , m_worker(worker)
    , m_dialogs(dialogs)
    , m_settings(settings)
{
    auto* layout = new QVBoxLayout(this);
    m_title = makeHeading(QString(), this);
    m_title->setObjectName("visitTitle");
    layout->addWidget(m_title);
    // Where the patient is, in the order the counter's reader shows it (seed 001).
    m_steps = makeText(QString(), this);
    m_steps->setObjectName("visitSteps");
    layout->addWidget(m_steps);
    m_progress = makeText(QString(), this);
    m_progress->setObjectName("visitProgress");
    layout->addWidget(m_progress);
    // A tall question (the fallback ladder at 24 pt) scrolls instead of pushing the window past an
    // 800-pixel tablet screen.
    auto* scroll = new QScrollArea(this);
    m_scroll = scroll;
    scroll->setObjectName("visitScroll");
    scroll->setFocusPolicy(Qt::NoFocus); // a tap on the keypad leaves the focus in its field
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_panels = new QStackedWidget(scroll);
    scroll->setWidget(m_panels);
    // A step whose contents grow after it is shown (the consent's items) is followed as it grows.
    connect(scroll->verticalScrollBar(), &QScrollBar::rangeChanged, this, &VisitPage::keepMainActionInView);
    layout->addWidget(scroll, 1);

    m_working = new QWidget(m_panels);
    auto* working = new QVBoxLayout(m_working);
    working->addStretch(1);
    working->addWidget(makeHeading(tr("処理しています…"), m_working));
    auto* busy = new QProgressBar(m_working);
    busy->setRange(0, 0); // indeterminate: the card and the store answer in well under a second
    working->addWidget(busy);
    working->addStretch(1);
    m_panels->addWidget(m_working);
    m_card = new CardPanel(m_panels);
    m_method = new MethodPanel(m_panels);
    m_pin = nullptr; // needs the session's randomness: built at start()
    m_codeB = new CodeBPanel(m_panels);
    m_face = new FacePanel(settings.language == QLatin1String("en"), m_panels);
    m_visual = new VisualPanel(m_panels);
    m_consent = new ConsentPanel(m_panels);
    m_revisit = new RevisitPanel(m_panels);
    m_fallback =
        new FallbackPanel(PrintJob{settings.printCommand, std::chrono::seconds(30), settings.printerCheck}, m_panels);
    connect(m_fallback, &FallbackPanel::printed, this, [this](model::FallbackKind kind) {
        // Queued behind the visit (which holds the worker while it waits for the form): the
        // audit row is written when the visit's job returns.
        AppSession* s = m_session;
        const std::string patient = m_request.patientId;
        const std::string staff = m_request.staffId;
        m_worker.post([s, kind, patient, staff] { (void)s->recordFormPrinted(kind, patient, staff); });
    });
    m_result = new ResultPanel(m_panels);
    for (QWidget* panel : std::initializer_list<QWidget*>{m_card, m_method, m_codeB, m_face, m_visual, m_consent,
                                                          m_revisit, m_fallback, m_result}) {
        m_panels->addWidget(panel);
    }
    m_cancel = makeButton(tr("中止（記録しない）"), this);
    m_cancel->setObjectName("visitCancel");
    layout->addWidget(m_cancel);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        // A lock while the question is open deletes this page: only `self` is safe afterwards.
        QPointer<VisitPage> self(this);
        const bool stop =
            m_dialogs.confirm(this, tr("訪問の中止"), tr("この訪問を中止しますか？ 何も記録されません。"));
        if (self && stop) {
            self->cancel();
        }
    });
    connect(m_result, &ResultPanel::done, this, [this] { Q_EMIT finished(m_committed); });
}

VisitPage::~VisitPage()
{
    cancel();
}

void VisitPage::start(AppSession& session, const visit::VisitRequest& request, const QString& patientName)
{
    if (!m_pin) {
        m_pin = new PinPadPanel(session.random(), m_panels);
        m_panels->addWidget(m_pin);
    }
    m_patientName = patientName;
    m_session = &session;
    m_request = request;
    m_today = session.clock().todayJst();
    m_committed = false;
    const QString flow = request.flow == model::VisitFlow::FirstVisit ? tr("初回訪問")
                         : request.flow == model::VisitFlow::Revisit  ? tr("再訪問")
                                                                      : tr("代替手段による確認");
    m_title->setText(QStringLiteral("%1 — %2").arg(patientName, flow));
    m_steps->clear();
    m_steps->setVisible(request.flow == model::VisitFlow::FirstVisit);
    setProgress(QString());
    m_card->reset(m_settings.readerId);
    m_face->reset();
    m_cancel->setVisible(true);
    showPanel(request.flow == model::VisitFlow::FirstVisit ? static_cast<QWidget*>(m_card) : m_working);
    m_bridge = std::make_shared<VisitBridge>(this, *this);
    auto bridge = m_bridge;
    AppSession* s = &session;
    const AppSettings settings = m_settings;
    m_worker.run<Expected<visit::VisitOutcome, visit::Error>>(
        this, [s, bridge, request, settings] { return s->runVisit(request, *bridge, settings); },
        [this](Expected<visit::VisitOutcome, visit::Error> outcome) { finish(outcome); });
}

void VisitPage::cancel()
{
    if (m_bridge) {
        m_bridge->cancel();
        setProgress(tr("中止しています…"));
    }
}

QWidget* VisitPage::currentPanel() const
{
    return m_panels->currentWidget();
}

// An empty line takes no room: the questions need the height on an 800-pixel screen.
void VisitPage::setProgress(const QString& text)
{
    m_progress->setText(text);
    m_progress->setVisible(!text.isEmpty());
}

void VisitPage::keepMainActionInView()
{
    // At the larger text sizes a step may scroll: its main action stays on the screen (issue 31).
    QWidget* panel = m_panels->currentWidget();
    for (auto* button : panel ? panel->findChildren<QPushButton*>() : QList<QPushButton*>{}) {
        if (button->property("primary").toBool() && button->isVisible()) {
            m_scroll->ensureWidgetVisible(button, 0, 8);
            return;
        }
    }
}

void VisitPage::showStep(QWidget* panel)
{
    const int step = panel == m_card                                                   ? 0
                     : panel == m_consent                                              ? 2
                     : panel == m_result                                               ? 3
                     : panel == m_working || panel == m_revisit || panel == m_fallback ? -1
                                                                                       : 1;
    if (step < 0) {
        return; // in between, or a flow of its own: the last step stays marked
    }
    const QStringList names{tr("カード"), tr("本人確認"), tr("同意"), tr("完了")};
    QStringList parts;
    for (int i = 0; i < names.size(); ++i) {
        parts << (i == step ? QStringLiteral("▶") + names[i] : names[i]);
    }
    m_steps->setText(parts.join(QStringLiteral(" → ")));
}

void VisitPage::showPanel(QWidget* panel)
{
    // Only the shown panel counts for the size, so a short one does not scroll for a tall one.
    for (int i = 0; i < m_panels->count(); ++i) {
        QWidget* page = m_panels->widget(i);
        page->setSizePolicy(page == panel ? QSizePolicy::Preferred : QSizePolicy::Ignored,
                            page == panel ? QSizePolicy::Preferred : QSizePolicy::Ignored);
    }
    m_panels->setCurrentWidget(panel);
    showStep(panel);
    QTimer::singleShot(0, this, &VisitPage::keepMainActionInView);
    Q_EMIT patientFacing(panel == m_pin || panel == m_consent);
    if (panel != m_card && panel != m_working && m_progressAboutCard) {
        setProgress(QString()); // "place the card" is done once the visit has moved on to a question
        m_progressAboutCard = false;
    }
}

void VisitPage::finish(const Expected<visit::VisitOutcome, visit::Error>& outcome)
{
    m_bridge.reset();
    m_cancel->setVisible(false);
    if (outcome) {
        m_committed = outcome->state == visit::VisitState::Committed;
        m_result->show(*outcome, m_today);
    } else {
        // The engine's Japanese label first (what to do), its detail after.
        m_result->showError(QStringLiteral("%1\n(%2)")
                                .arg(QString::fromStdString(std::string(base::labelOf(outcome.error().code))),
                                     QString::fromStdString(outcome.error().message)));
    }
    showPanel(m_result);
}

void VisitPage::showProgress(const visit::VisitProgress& progress)
{
    QString text = QString::fromStdString(progress.message);
    if (progress.triesLeft) {
        text += tr("（暗証番号の残り %1 回）").arg(*progress.triesLeft);
    }
    setProgress(text);
    m_progressAboutCard = m_panels->currentWidget() == m_card || progress.state == visit::VisitState::AwaitingCard;
    if (progress.state == visit::VisitState::AwaitingCard) {
        m_card->addEvent(text);
    } else if (progress.state == visit::VisitState::FaceCheck) {
        showPanel(m_face);
    } else if (m_panels->currentWidget() == m_card && progress.state != visit::VisitState::Started) {
        m_card->addEvent(text);
        showPanel(m_working);
    }
}

void VisitPage::showFacePreview(const FacePreview& preview)
{
    showPanel(m_face);
    m_face->show(preview);
}

void VisitPage::askCard(const visit::CardPrompt& prompt, const Reply<visit::CardDecision>& reply)
{
    showPanel(m_card);
    m_card->ask(prompt, reply);
}

void VisitPage::askMethod(const visit::MethodPrompt& prompt, const Reply<visit::MethodDecision>& reply)
{
    showPanel(m_method);
    m_method->ask(prompt, reply);
}

void VisitPage::askPin(const visit::PinPrompt& prompt, const Reply<visit::PinAnswer>& reply)
{
    showPanel(m_pin);
    m_pin->ask(prompt, reply);
}

void VisitPage::askCodeB(const visit::CodeBPrompt& prompt, const Reply<visit::CodeBAnswer>& reply)
{
    showPanel(m_codeB);
    m_codeB->ask(prompt, reply);
}

void VisitPage::askVisual(const visit::VisualPrompt& prompt, const Reply<visit::VisualAnswer>& reply)
{
    showPanel(m_visual);
    m_visual->ask(prompt, m_settings.staffId, reply);
}

void VisitPage::askConsent(const visit::ConsentPrompt& prompt, const Reply<visit::ConsentAnswer>& reply)
{
    showPanel(m_consent);
    m_consent->ask(prompt, reply);
}

void VisitPage::askRevisit(const visit::RevisitPrompt& prompt, const Reply<visit::RevisitDecision>& reply)
{
    showPanel(m_revisit);
    m_revisit->ask(prompt, m_today, reply);
}

void VisitPage::askFallback(const visit::FallbackPrompt& prompt, const Reply<visit::FallbackAnswer>& reply)
{
    showPanel(m_fallback);
    m_fallback->ask(prompt, m_patientName, QString::fromStdString(m_today.toString()), reply);
}

void VisitPage::askRetryCommit(const visit::Error& error, const Reply<bool>& reply)
{
    QPointer<VisitPage> self(this);
    const bool again =
        m_dialogs.confirm(this, tr("記録できませんでした"),
                          tr("記録を保存できませんでした: %1\nもう一度保存しますか？（いいえ: 記録しません）")
                              .arg(QString::fromStdString(error.message)));
    if (self) {
        reply(again); // else a lock deleted this page, and its cancel() answered the visit already
    }
}

} // namespace zaitaku::app
