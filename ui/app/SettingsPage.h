#pragma once

// Settings: the card reader (listed live), the camera for face checks, who is using the tablet,
// the language and text size (applied at once), and enrollment with the facility's gateway by its
// one-time code.

#include "ui/app/AppSettings.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace zaitaku::app
{

class AppSession;
class BackgroundWorker;

class SettingsPage : public QWidget
{
    Q_OBJECT
public:
    SettingsPage(BackgroundWorker& worker, const AppSettings& settings, QWidget* parent = nullptr);
    void setSession(AppSession* session);
    void refreshReaders();

Q_SIGNALS:
    void settingsChanged(zaitaku::app::AppSettings settings);
    void enrolled();

private:
    void save();
    void enroll();

    BackgroundWorker& m_worker;
    AppSettings m_settings;
    AppSession* m_session = nullptr;
    QComboBox* m_reader;
    QLineEdit* m_camera;
    QSpinBox* m_autoLock;
    QLineEdit* m_facility;
    QComboBox* m_language;
    QComboBox* m_textSize;
    QLineEdit* m_gateway;
    QLineEdit* m_code;
    QLineEdit* m_label;
    QLabel* m_message;
};

} // namespace zaitaku::app
