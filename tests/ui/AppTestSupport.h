#pragma once

// The app under QTest, offscreen: a real encrypted store with the visit roster, the in-process
// virtual card behind a VirtualCardReader (the PC/SC path has its own tests), scripted dialogs,
// and helpers that find widgets by object name, tap them and wait for the screen to change.

#include "support/VirtualCardReader.h"
#include "support/VirtualCards.h"
#include "ui/app/AppSession.h"
#include "ui/app/Dialogs.h"
#include "ui/app/MainWindow.h"

#include <QAbstractButton>
#include <QApplication>
#include <QLabel>
#include <QTest>
#include <chrono>
#include <functional>
#include <memory>

#include <gtest/gtest.h>

namespace zaitaku::testing
{

class ScriptedDialogs final : public app::Dialogs
{
public:
    bool confirm(QWidget*, const QString& title, const QString&) override
    {
        asked << title;
        return confirmAnswer;
    }
    void inform(QWidget*, const QString& title, const QString& text) override { informed << title + ": " + text; }
    QString savePdfPath(QWidget*, const QString&) override { return pdfPath; }

    bool confirmAnswer = true;
    QString pdfPath;
    QStringList asked;
    QStringList informed;
};

// Pumps the event loop until `done` or the time is up (the worker answers on the UI thread).
inline bool waitUntil(const std::function<bool()>& done, std::chrono::milliseconds limit = std::chrono::seconds(20))
{
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > end) {
            return false;
        }
        QTest::qWait(10);
    }
    return true;
}

template <typename W = QWidget> W* findIn(QWidget* root, const QString& name)
{
    return root->findChild<W*>(name);
}

// A visible, enabled widget with that name (the first one if panels share a name).
inline QWidget* visibleNamed(QWidget* root, const QString& name)
{
    for (auto* w : root->findChildren<QWidget*>(name)) {
        if (w->isVisible()) {
            return w;
        }
    }
    return nullptr;
}

inline bool tap(QWidget* root, const QString& name)
{
    QWidget* w = nullptr;
    if (!waitUntil([&] { return (w = visibleNamed(root, name)) != nullptr && w->isEnabled(); })) {
        ADD_FAILURE() << "no visible, enabled " << name.toStdString();
        return false;
    }
    QTest::mouseClick(w, Qt::LeftButton);
    return true;
}

inline QString textOf(QWidget* root, const QString& name)
{
    auto* label = visibleNamed(root, name);
    if (auto* l = qobject_cast<QLabel*>(label)) {
        return l->text();
    }
    if (auto* b = qobject_cast<QAbstractButton*>(label)) {
        return b->text();
    }
    return {};
}

} // namespace zaitaku::testing
