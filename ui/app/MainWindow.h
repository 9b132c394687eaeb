#pragma once

// The app's window: a top bar (where you are, the sync summary, the way to each screen) over one
// screen at a time. It owns the worker and the unlocked session; it rebuilds its screens when the
// language or the text size changes (never during a visit). The session locks again after the
// idle time in the settings and on resume from suspend: the store is closed (its key wiped), the
// screens are rebuilt empty and the sign-in screen asks for the staff id and passphrase again.

#include "ui/app/AppSession.h"
#include "ui/app/AppSettings.h"
#include "ui/app/Dialogs.h"

#include <QMainWindow>
#include <memory>

class QLabel;
class QPushButton;
class QStackedWidget;
class QTranslator;

namespace zaitaku::app
{

class AutoSync;

class BackgroundWorker;
class CustodyPage;
class MedicalInfoPage;
class SessionLock;
class RoutePage;
class SettingsPage;
class SyncPage;
class UnlockPage;
class VisitPage;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(
        AppSettings settings, QString settingsPath, SessionParts parts, Dialogs& dialogs, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens on the route with an already unlocked session, `staffId` signed in (demo mode, tests).
    void adopt(std::shared_ptr<AppSession> session, const QString& staffId);
    // Closes the store and goes back to sign-in ("idle", "suspend", "manual"); a running visit
    // is cancelled first (nothing of it is recorded).
    void lock(const QString& reason);
    SessionLock& sessionLock() { return *m_lock; }
    AutoSync& autoSync() { return *m_autoSync; }
    void setBanner(const QString& text);
    // `zaitaku --kiosk` (issue 31): full screen, no window decorations, and no way out (closing is
    // refused) unless a manager is signed in, who gets a 終了 button.
    void setKiosk(bool kiosk);
    bool kiosk() const { return m_kiosk; }

    BackgroundWorker& worker() { return *m_worker; }
    AppSession* session() { return m_session.get(); }
    const AppSettings& settings() const { return m_settings; }
    RoutePage* routePage() const { return m_route; }
    VisitPage* visitPage() const { return m_visit; }
    MedicalInfoPage* medicalInfoPage() const { return m_medinfo; }
    QWidget* currentPage() const;

    void showRoute();
    void showSync();
    void showCustody();
    void showSettings();
    void startVisit(model::VisitFlow flow, const QString& patientId, const QString& name, const QString& serviceKind);
    void applySettings(const AppSettings& settings);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void offerQuitToManagers();
    void showStaffControls(bool shown);
    void buildPages();
    void showPage(QWidget* page);
    void connectSession();

    AppSettings m_settings;
    QString m_settingsPath;
    SessionParts m_parts;
    Dialogs& m_dialogs;
    std::shared_ptr<AppSession> m_session; // outlives the worker (declared before it)
    std::unique_ptr<BackgroundWorker> m_worker;
    AutoSync* m_autoSync = nullptr;
    QTranslator* m_translator = nullptr;
    QLabel* m_banner = nullptr;
    QLabel* m_syncSummary = nullptr;
    QPushButton* m_navRoute = nullptr;
    QPushButton* m_navSync = nullptr;
    QPushButton* m_navCustody = nullptr;
    QPushButton* m_navSettings = nullptr;
    QPushButton* m_navLock = nullptr;
    QPushButton* m_navQuit = nullptr;
    bool m_kiosk = false;
    bool m_quitAllowed = false;
    bool m_managerSignedIn = false;
    SessionLock* m_lock = nullptr;
    QStackedWidget* m_pages = nullptr;
    UnlockPage* m_unlock = nullptr;
    RoutePage* m_route = nullptr;
    VisitPage* m_visit = nullptr;
    SyncPage* m_sync = nullptr;
    CustodyPage* m_custody = nullptr;
    SettingsPage* m_settingsPage = nullptr;
    MedicalInfoPage* m_medinfo = nullptr;
};

// Loads the English translation into the application, or removes it for Japanese (the source).
void installLanguage(const QString& language, QTranslator*& translator);

} // namespace zaitaku::app
