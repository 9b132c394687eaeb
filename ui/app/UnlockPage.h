#pragma once

// Sign-in: the store passphrase unlocks the encrypted store (scrypt runs on the worker, so the
// screen stays live), or creates it on a new tablet. A wrong passphrase says so; the passphrase is
// cleared from the field either way and never kept.

#include "ui/app/AppSession.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace zaitaku::app
{

class BackgroundWorker;

class UnlockPage : public QWidget
{
    Q_OBJECT
public:
    UnlockPage(BackgroundWorker& worker, SessionParts parts, const QString& storePath, QWidget* parent = nullptr);

Q_SIGNALS:
    void unlocked(std::shared_ptr<AppSession> session, QString storePath);
    // A new store's recovery code: shown once to be written down, never kept.
    void recoveryCodeShown(QString code);

private:
    void unlock();
    void create();

    BackgroundWorker& m_worker;
    SessionParts m_parts;
    QLineEdit* m_path;
    QLineEdit* m_passphrase;
    QLineEdit* m_repeat;
    QLabel* m_message;
    QPushButton* m_unlock;
    QPushButton* m_create;
};

} // namespace zaitaku::app
