#pragma once

// The look every screen shares: touch targets of at least 48 px (Material / Apple HIG floor; ours
// is 56 for the main actions), a base font of 16 pt or more, black on white with a dark-blue
// accent (contrast > 7:1), and state always said in words or symbols, never by colour alone.

#include "ui/app/AppSettings.h"

#include <QPushButton>
#include <QString>

class QApplication;
class QLabel;
class QWidget;

namespace zaitaku::app
{

inline constexpr int kMinTouchTarget = 48;
inline constexpr int kMainActionHeight = 56;

void applyStyle(QApplication& app, TextSize size);

// A button sized for a gloved finger; `primary` ones are the screen's main action.
QPushButton* makeButton(const QString& text, QWidget* parent, bool primary = false);
// A screen's heading (larger, bold).
QLabel* makeHeading(const QString& text, QWidget* parent);
// A label for warnings: "⚠ " + text, bold, on a pale background with a dark border.
QLabel* makeWarning(const QString& text, QWidget* parent);
// Text that wraps and can be selected (explanations, reasons).
QLabel* makeText(const QString& text, QWidget* parent);

} // namespace zaitaku::app
