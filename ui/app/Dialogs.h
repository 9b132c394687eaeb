#pragma once

// The app's modal questions behind one interface, so the QTest tests answer them without a
// window manager (KeePassXC's MessageBox seam): confirmations and notices. (Fallback forms are
// printed through PrintSpool, never saved where a dialog would put them.)

#include <QString>

class QWidget;

namespace zaitaku::app
{

class Dialogs
{
public:
    virtual ~Dialogs() = default;
    virtual bool confirm(QWidget* parent, const QString& title, const QString& text) = 0;
    virtual void inform(QWidget* parent, const QString& title, const QString& text) = 0;
};

class QtDialogs final : public Dialogs
{
public:
    bool confirm(QWidget* parent, const QString& title, const QString& text) override;
    void inform(QWidget* parent, const QString& title, const QString& text) override;
};

} // namespace zaitaku::app
