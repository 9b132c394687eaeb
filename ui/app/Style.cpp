#include "ui/app/Style.h"

#include <QApplication>
#include <QFont>
#include <QLabel>

namespace zaitaku::app
{

void applyStyle(QApplication& app, TextSize size)
{
    QFont font = app.font();
    font.setFamilies({QStringLiteral("Noto Sans CJK JP"), QStringLiteral("Noto Sans JP"), font.family()});
    font.setPointSize(pointSizeOf(size));
    app.setFont(font);
    app.setStyleSheet(
        QStringLiteral(
            "QWidget { color: #000000; background: #ffffff; }"
            "QPushButton { min-height: %1px; min-width: %1px; padding: 6px 16px; border: 2px solid #1a3a6b;"
            "  border-radius: 6px; background: #eef2f8; }"
            "QPushButton[primary=\"true\"] { min-height: %2px; background: #1a3a6b; color: #ffffff; font-weight: bold; "
            "}"
            "QPushButton:disabled { color: #555555; border-style: dashed; background: #f4f4f4; }"
            "QPushButton:checked { background: #1a3a6b; color: #ffffff; font-weight: bold; }"
            "QLineEdit, QComboBox, QSpinBox { min-height: %1px; border: 2px solid #1a3a6b; padding: 2px 8px; }"
            "QCheckBox, QRadioButton { min-height: %1px; spacing: 12px; }"
            "QCheckBox::indicator, QRadioButton::indicator { width: 32px; height: 32px; }"
            "QListWidget::item, QTableWidget::item { min-height: %1px; padding: 6px; }"
            "QLabel[role=\"warning\"] { background: #fff4d6; border: 2px solid #7a4b00; padding: 8px; font-weight: "
            "bold; }"
            "QLabel[role=\"heading\"] { font-weight: bold; }"
            "QProgressBar { min-height: 24px; border: 2px solid #1a3a6b; text-align: center; }"
            "QProgressBar::chunk { background: #1a3a6b; }"
            // A scroll bar a finger can drag: as wide as half a touch target, with a solid handle.
            "QScrollBar:vertical { width: 24px; background: #eef2f8; }"
            "QScrollBar::handle:vertical { min-height: %1px; background: #1a3a6b; border-radius: 4px; }")
            .arg(kMinTouchTarget)
            .arg(kMainActionHeight));
}

QPushButton* makeButton(const QString& text, QWidget* parent, bool primary)
{
    auto* button = new QPushButton(text, parent);
    button->setProperty("primary", primary);
    button->setMinimumHeight(primary ? kMainActionHeight : kMinTouchTarget);
    button->setMinimumWidth(kMinTouchTarget);
    return button;
}

QLabel* makeHeading(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setProperty("role", "heading");
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 1.4);
    font.setBold(true);
    label->setFont(font);
    label->setWordWrap(true);
    return label;
}

QLabel* makeWarning(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(QStringLiteral("⚠ ") + text, parent);
    label->setProperty("role", "warning");
    label->setWordWrap(true);
    return label;
}

QLabel* makeText(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace zaitaku::app
