#include "ui/app/MainWindow.h"

#include "ui/app/AppTranslator.h"
#include "ui/app/AutoSync.h"
#include "ui/app/BackgroundWorker.h"
#include "ui/app/CustodyPage.h"
#include "ui/app/MedicalInfoPage.h"
#include "ui/app/RoutePage.h"
#include "ui/app/SessionLock.h"
#include "ui/app/SettingsPage.h"
#include "ui/app/Style.h"
#include "ui/app/SyncPage.h"
#include "ui/app/UnlockPage.h"
#include "ui/app/VisitPage.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QStackedWidget>
#include <QTranslator>
#include <QVBoxLayout>

namespace zaitaku::app
{

void installLanguage(const QString& language, QTranslator*& translator)
{
    if (translator) {
        QCoreApplication::removeTranslator(translator);
        delete translator;
        translator = nullptr;
    }
    if (language == QLatin1String("en")) {
        translator = new AppTranslator();
        if (!translator->load(QStringLiteral(":/i18n/zaitaku_en.qm"))) {
            delete translator; // not built in: the screens stay in Japanese
            translator = nullptr;
            return;
        }
        QCoreApplication::installTranslator(translator);
    }
}

MainWindow::MainWindow(
    AppSettings settings, QString settingsPath, SessionParts parts, Dialogs& dialogs, QWidget* parent)
    : QMainWindow(parent)
    , m_settings(std::move(settings))
    , m_settingsPath(std::move(settingsPath))
    , m_parts(std::move(parts))
    , m_dialogs(dialogs)
    , m_worker(std::make_unique<BackgroundWorker>())
{
    setWindowTitle(QStringLiteral("在宅 zaitaku"));
    resize(1280, 800);
    installLanguage(m_settings.language, m_translator);
    m_settings.staffId.clear(); // nobody is signed in until the sign-in screen says who
    m_lock = new SessionLock(std::chrono::minutes(m_settings.autoLockMinutes), suspendedSinceBoot, this);
    connect(m_lock, &SessionLock::lockRequested, this, &MainWindow::lock);
    m_lock->watchSleep(QDBusConnection::systemBus());
    m_autoSync = new AutoSync(
        *m_worker, [this] { return m_visit == nullptr || !m_visit->running(); }, this);
    connect(m_autoSync, &AutoSync::ran, this, [this](bool, QString) { m_sync->refresh(); });
    buildPages();
}

MainWindow::~MainWindow()
{
    if (m_visit) {
        m_visit->cancel(); // a visit waiting for the nurse ends now, recording nothing
    }
    m_worker.reset(); // joins: no job outlives the pages or the session
    installLanguage(QStringLiteral("ja"), m_translator);
}

void MainWindow::buildPages()
{
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    auto* bar = new QHBoxLayout();
    m_banner = new QLabel(central);
    m_banner->setObjectName("banner");
    m_syncSummary = new QLabel(central);
    m_syncSummary->setObjectName("syncSummary");
    m_navRoute = makeButton(tr("訪問予定"), central);
    m_navRoute->setObjectName("navRoute");
    m_navSync = makeButton(tr("送信状況"), central);
    m_navSync->setObjectName("navSync");
    m_navCustody = makeButton(tr("カード預かり"), central);
    m_navCustody->setObjectName("navCustody");
    m_navSettings = makeButton(tr("設定"), central);
    m_navSettings->setObjectName("navSettings");
    m_navLock = makeButton(tr("ロック"), central);
    m_navLock->setObjectName("navLock");
    m_navQuit = makeButton(tr("終了"), central);
    m_navQuit->setObjectName("navQuit");
    m_navQuit->setVisible(false); // kiosk: a manager's way out (offerQuitToManagers)
    bar->addWidget(m_banner);
    bar->addStretch(1);
    bar->addWidget(m_syncSummary);
    for (auto* b : {m_navRoute, m_navSync, m_navCustody, m_navSettings, m_navLock}) {
        bar->addWidget(b);
        b->setEnabled(m_session != nullptr);
    }
    bar->addWidget(m_navQuit);
    connect(m_navQuit, &QPushButton::clicked, this, [this] {
        QPointer<MainWindow> self(this);
        if (m_dialogs.confirm(this, tr("終了"),
                              tr("アプリを終了しますか？ 端末は次にログインしたときに再び起動します。")) &&
            self) {
            m_quitAllowed = true;
            close();
        }
    });
    layout->addLayout(bar);
    m_pages = new QStackedWidget(central);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central); // deletes the previous screens

    m_unlock = new UnlockPage(*m_worker, m_parts, m_settings.storePath, m_settings.lastStaffId, m_pages);
    m_route = new RoutePage(*m_worker, m_pages);
    m_visit = new VisitPage(*m_worker, m_dialogs, m_settings, m_pages);
    m_sync = new SyncPage(*m_worker, m_settings, m_pages);
    m_custody = new CustodyPage(*m_worker, m_settings, m_pages);
    m_settingsPage = new SettingsPage(*m_worker, m_settings, m_pages);
    m_medinfo = new MedicalInfoPage(*m_worker, m_pages);
    for (QWidget* page :
         std::initializer_list<QWidget*>{m_unlock, m_route, m_visit, m_sync, m_custody, m_settingsPage, m_medinfo}) {
        m_pages->addWidget(page);
    }
    connect(m_navRoute, &QPushButton::clicked, this, &MainWindow::showRoute);
    connect(m_navSync, &QPushButton::clicked, this, &MainWindow::showSync);
    connect(m_navCustody, &QPushButton::clicked, this, &MainWindow::showCustody);
    connect(m_navSettings, &QPushButton::clicked, this, &MainWindow::showSettings);
    // Queued: lock() rebuilds the screens, this button among them.
    connect(
        m_navLock, &QPushButton::clicked, this, [this] { lock(QStringLiteral("manual")); }, Qt::QueuedConnection);
    connect(m_unlock, &UnlockPage::unlocked, this,
            [this](std::shared_ptr<AppSession> session, QString path, QString staffId) {
                m_settings.storePath = path;
                m_settings.lastStaffId = staffId;
                m_settings.save(m_settingsPath);
                adopt(std::move(session), staffId);
            });
    connect(m_unlock, &UnlockPage::recoveryCodeShown, this, [this](QString code) {
        m_dialogs.inform(
            this, tr("復旧コード"),
            tr("パスフレーズを忘れたときの復旧コードです。一度だけ表示します。紙に控えて保管してください:\n\n%1")
                .arg(code));
    });
    auto visit = [this](model::VisitFlow flow) {
        return [this, flow](QString id, QString name, QString kind) { startVisit(flow, id, name, kind); };
    };
    connect(m_route, &RoutePage::firstVisit, this, visit(model::VisitFlow::FirstVisit));
    connect(m_route, &RoutePage::revisit, this, visit(model::VisitFlow::Revisit));
    connect(m_route, &RoutePage::fallback, this, visit(model::VisitFlow::Fallback));
    // お薬・健診: the cache at once (offline too), then the gateway for the signed-in staff member.
    connect(m_route, &RoutePage::medicalInfo, this, [this](QString id, QString name, QString kind) {
        m_medinfo->showPatient(id, name, kind);
        showPage(m_medinfo);
        m_medinfo->fetch(m_settings.staffId);
    });
    connect(m_medinfo, &MedicalInfoPage::back, this, &MainWindow::showRoute);
    connect(m_visit, &VisitPage::finished, this, [this](bool) {
        showRoute();
        m_sync->refresh();
        m_autoSync->visitCommitted(); // a visit that recorded nothing makes the run a no-op
    });
    connect(m_sync, &SyncPage::summaryChanged, m_syncSummary, &QLabel::setText);
    // Turned toward the patient: who is signed in, what waits to be sent and the staff's screens
    // are not theirs to see or touch.
    connect(m_visit, &VisitPage::patientFacing, this, [this](bool facing) { showStaffControls(!facing); });
    connect(m_visit, &VisitPage::finished, this, [this](bool) { showStaffControls(true); });
    connect(m_settingsPage, &SettingsPage::settingsChanged, this, &MainWindow::applySettings);
    connect(m_settingsPage, &SettingsPage::enrolled, this, [this] { m_sync->refresh(); });
    if (m_session) {
        connectSession();
        showRoute();
    } else {
        showPage(m_unlock);
    }
}

void MainWindow::adopt(std::shared_ptr<AppSession> session, const QString& staffId)
{
    m_session = std::move(session);
    m_settings.staffId = staffId;
    for (auto* b : {m_navRoute, m_navSync, m_navCustody, m_navSettings, m_navLock}) {
        b->setEnabled(true);
    }
    connectSession();
    setBanner(tr("職員: %1").arg(staffId));
    m_lock->setIdle(std::chrono::minutes(m_settings.autoLockMinutes));
    m_lock->start();
    if (m_settings.autoSync) {
        m_autoSync->start(m_session.get());
    }
    offerQuitToManagers();
    showRoute();
}

void MainWindow::showStaffControls(bool shown)
{
    for (QWidget* w : std::initializer_list<QWidget*>{m_banner, m_syncSummary, m_navRoute, m_navSync, m_navCustody,
                                                      m_navSettings, m_navLock}) {
        w->setVisible(shown);
    }
    m_navQuit->setVisible(shown && m_managerSignedIn);
}

void MainWindow::setKiosk(bool kiosk)
{
    m_kiosk = kiosk;
    if (kiosk) {
        setWindowFlags(windowFlags() | Qt::FramelessWindowHint);
        showFullScreen();
    }
    offerQuitToManagers();
}

void MainWindow::offerQuitToManagers()
{
    m_managerSignedIn = false;
    m_navQuit->setVisible(false);
    if (!m_kiosk || !m_session) {
        return;
    }
    AppSession* s = m_session.get();
    const std::string staff = m_settings.staffId.toStdString();
    m_worker->run<bool>(
        this, [s, staff] { return s->hasRole(staff, "manager"); },
        [this](bool manager) {
            m_managerSignedIn = manager && m_session != nullptr;
            m_navQuit->setVisible(m_managerSignedIn);
        });
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    // A kiosk closes only for a manager's 終了: Alt+F4 or the session's close request do nothing.
    if (m_kiosk && !m_quitAllowed) {
        event->ignore();
        return;
    }
    QMainWindow::closeEvent(event);
}

void MainWindow::lock(const QString& reason)
{
    if (!m_session) {
        return;
    }
    m_lock->stop();
    // An open question box runs its own event loop below this call: answer it "no" and let it
    // close before its page goes (security review L1).
    for (int open = 0; open < 8; ++open) {
        auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        if (!dialog) {
            break;
        }
        dialog->reject();
    }
    // Nothing of the last patient stays painted while background work finishes (a pre-check may
    // wait on the gateway for minutes).
    m_pages->hide();
    setBanner(tr("ロックしています…"));
    repaint();
    if (m_visit->running()) {
        m_visit->cancel(); // its open question is answered "stop": nothing is recorded
    }
    // Idle in the car: what was recorded goes now, once and bounded by the short network waits,
    // before the store closes (a sleep does not wait: logind gives seconds).
    if (reason == QLatin1String("idle") && m_autoSync->active()) {
        m_autoSync->flushBeforeLock();
    }
    m_autoSync->stop();
    m_worker->drain(); // no job still holds the session
    m_session.reset(); // the store closes; its key material is wiped with it
    m_settings.staffId.clear();
    buildPages(); // new, empty screens: nothing of the last patient stays behind
    setBanner(reason == QLatin1String("suspend") ? tr("スリープから復帰したためロックしました")
              : reason == QLatin1String("idle")  ? tr("操作がなかったためロックしました")
                                                 : tr("ロックしました"));
}

void MainWindow::connectSession()
{
    m_route->setSession(m_session.get());
    m_sync->setSession(m_session.get());
    m_custody->setSession(m_session.get());
    m_settingsPage->setSession(m_session.get());
    m_medinfo->setSession(m_session.get());
}

void MainWindow::setBanner(const QString& text)
{
    m_banner->setText(text);
}

QWidget* MainWindow::currentPage() const
{
    return m_pages->currentWidget();
}

void MainWindow::showPage(QWidget* page)
{
    m_pages->setCurrentWidget(page);
    const bool inVisit = page == m_visit;
    for (auto* b : {m_navRoute, m_navSync, m_navCustody, m_navSettings, m_navLock}) {
        b->setEnabled(m_session != nullptr && !inVisit); // a visit ends by its own buttons
    }
}

void MainWindow::showRoute()
{
    m_route->refresh();
    showPage(m_route);
}

void MainWindow::showSync()
{
    m_sync->refresh();
    showPage(m_sync);
}

void MainWindow::showCustody()
{
    m_custody->refresh();
    showPage(m_custody);
}

void MainWindow::showSettings()
{
    showPage(m_settingsPage);
}

void MainWindow::startVisit(model::VisitFlow flow,
                            const QString& patientId,
                            const QString& name,
                            const QString& serviceKind)
{
    if (!m_session || m_visit->running()) {
        return;
    }
    visit::VisitRequest request;
    request.patientId = patientId.toStdString();
    request.flow = flow;
    request.staffId = m_settings.staffId.toStdString(); // signed in: adopt() is the only way to a session
    if (auto kind = base::fromCode<model::ServiceKind>(serviceKind.toStdString())) {
        request.serviceKind = *kind;
    }
    if (flow == model::VisitFlow::Fallback) {
        request.fallbackReason = "職員が代替手段を選択";
    }
    showPage(m_visit);
    m_visit->start(*m_session, request, name);
}

void MainWindow::applySettings(const AppSettings& settings)
{
    const bool rebuild = settings.language != m_settings.language || settings.textSize != m_settings.textSize;
    // The settings screen does not sign anyone in or out: who is signed in, and who was last, stay.
    const QString signedIn = m_settings.staffId;
    const QString lastSignedIn = m_settings.lastStaffId;
    m_settings = settings;
    m_settings.staffId = signedIn;
    m_settings.lastStaffId = lastSignedIn;
    m_lock->setIdle(std::chrono::minutes(m_settings.autoLockMinutes));
    QString problem;
    if (!m_settings.save(m_settingsPath, &problem)) {
        m_dialogs.inform(this, tr("設定"), tr("設定を保存できません: %1").arg(problem));
    }
    if (rebuild && !m_visit->running()) {
        installLanguage(m_settings.language, m_translator);
        if (auto* app = qobject_cast<QApplication*>(QCoreApplication::instance())) {
            applyStyle(*app, m_settings.textSize);
        }
        // Answers still due to the old screens are dropped with them (their context is gone).
        buildPages();
        showSettings();
    }
}

} // namespace zaitaku::app
