#include "ui/app/Dialogs.h"

#include <QMessageBox>
#include <QPointer>

namespace zaitaku::app
{

namespace
{

// On the heap and watched, never on the stack (QMessageBox::question's own is): a lock while the
// box is open deletes its parent page and the box with it, and exec() then returns Rejected
// instead of the stack object being freed twice (security review L1).
int ask(QMessageBox::Icon icon,
        QWidget* parent,
        const QString& title,
        const QString& text,
        QMessageBox::StandardButtons buttons,
        QMessageBox::StandardButton fallback)
{
    QPointer<QMessageBox> box = new QMessageBox(icon, title, text, buttons, parent);
    box->setDefaultButton(fallback);
    const int answer = box->exec();
    if (!box) {
        return fallback;
    }
    delete box.data();
    return answer;
}

} // namespace

bool QtDialogs::confirm(QWidget* parent, const QString& title, const QString& text)
{
    return ask(QMessageBox::Question, parent, title, text, QMessageBox::Yes | QMessageBox::No, QMessageBox::No) ==
           QMessageBox::Yes;
}

void QtDialogs::inform(QWidget* parent, const QString& title, const QString& text)
{
    ask(QMessageBox::Information, parent, title, text, QMessageBox::Ok, QMessageBox::Ok);
}

} // namespace zaitaku::app
