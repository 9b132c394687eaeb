#include "ui/app/NumericKeypad.h"

#include "ui/app/Style.h"

#include <QApplication>
#include <QGridLayout>
#include <QLineEdit>
#include <QPushButton>

namespace zaitaku::app
{

Qt::InputMethodHints inputHintsFor(const std::string& key)
{
    const auto endsWith = [&key](std::string_view tail) {
        return key.size() >= tail.size() && key.compare(key.size() - tail.size(), tail.size(), tail) == 0;
    };
    if (endsWith("insurer_number") || key == "insured_branch") {
        return Qt::ImhDigitsOnly;
    }
    if (endsWith("insured_number")) {
        return Qt::ImhPreferNumbers; // 番号 is mostly digits, sometimes not
    }
    if (key == "birthdate" || key == "signed_on" || endsWith("_until") || endsWith("_from")) {
        return Qt::ImhDate | Qt::ImhPreferNumbers;
    }
    if (key == "contact_phone") {
        return Qt::ImhDialableCharactersOnly;
    }
    return Qt::ImhNone;
}

namespace
{

bool wantsKeypad(const QLineEdit* edit)
{
    const auto hints = edit->inputMethodHints();
    return hints.testFlag(Qt::ImhDigitsOnly) || hints.testFlag(Qt::ImhDate) ||
           hints.testFlag(Qt::ImhDialableCharactersOnly) || hints.testFlag(Qt::ImhPreferNumbers);
}

} // namespace

NumericKeypad::NumericKeypad(QWidget* parent)
    : QWidget(parent)
{
    setObjectName("numericKeypad");
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    const QStringList keys{"1", "2", "3", "4", "5", "6", "7", "8", "9", "-", "0"};
    for (int i = 0; i < keys.size(); ++i) {
        auto* key = makeButton(keys[i], this);
        key->setObjectName(QStringLiteral("keypad_%1").arg(keys[i] == QLatin1String("-") ? "dash" : keys[i]));
        key->setFocusPolicy(Qt::NoFocus); // the field keeps the focus
        key->setMinimumSize(72, 56);
        grid->addWidget(key, i / 6, i % 6);
        connect(key, &QPushButton::clicked, this, [this, text = keys[i]] { type(text); });
    }
    auto* back = makeButton(tr("1文字消す"), this);
    back->setObjectName("keypad_erase");
    back->setFocusPolicy(Qt::NoFocus);
    grid->addWidget(back, 1, 5);
    connect(back, &QPushButton::clicked, this, &NumericKeypad::erase);
    setVisible(false);
    connect(qApp, &QApplication::focusChanged, this, [this](QWidget*, QWidget* now) { follow(now); });
}

void NumericKeypad::follow(QWidget* now)
{
    // Only another field decides: a tap elsewhere (a key, the form) leaves the keypad where it is.
    auto* edit = qobject_cast<QLineEdit*>(now);
    if (!edit || !parentWidget() || !parentWidget()->isAncestorOf(edit)) {
        return; // another page's field (the sign-in's and a form's keypads share the window)
    }
    m_target = wantsKeypad(edit) ? edit : nullptr;
    setVisible(m_target != nullptr);
}

void NumericKeypad::type(const QString& text)
{
    if (m_target) {
        m_target->insert(text);
    }
}

void NumericKeypad::erase()
{
    if (m_target) {
        m_target->backspace();
    }
}

} // namespace zaitaku::app
