#pragma once

// Sign-in: the staff member names themself and the store passphrase unlocks the encrypted store
// (scrypt runs on the worker, so the screen stays live), or creates it on a new tablet. A wrong
// passphrase says so; the passphrase is cleared from the field either way and never kept. The
// staff id is who attests 目視 checks and handles cards until the store locks again.

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
    UnlockPage(BackgroundWorker& worker,
               SessionParts parts,
               const QString& storePath,
               const QString& lastStaffId,
               QWidget* parent = nullptr);

    // A staff id as the sign-in accepts it: 2–32 letters, digits, '-', '_' or '.'.
    static bool validStaffId(const QString& staffId);

Q_SIGNALS:
    void unlocked(std::shared_ptr<AppSession> session, QString storePath, QString staffId);
    // A new store's recovery code: shown once to be written down, never kept.
    void recoveryCodeShown(QString code);

private:
    void unlock();
    void create();

    BackgroundWorker& m_worker;
    SessionParts m_parts;
    // The staff id typed, or empty (the message says why) when it is not a valid one.
    QString staffOrSay();

    QLineEdit* m_path;
    QLineEdit* m_staff;
    QLineEdit* m_staffSecret = nullptr;
    QLineEdit* m_passphrase;
    QLineEdit* m_repeat;
    QLabel* m_message;
    QPushButton* m_unlock;
    QPushButton* m_create;
};

} // namespace zaitaku::app
