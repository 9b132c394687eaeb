#pragma once

// The app's own large keypad for numbers and dates (issue 31): a touch-only tablet's system
// keyboard may be missing or cover half the form, and gloved fingers need big keys. It types into
// whichever line edit beside it (under its parent) has the focus and asks for digits (Qt::ImhDigitsOnly,
// ImhDate or ImhDialableCharactersOnly — inputHintsFor below); it stays out of the way otherwise.

#include <QWidget>
#include <string>

class QLineEdit;

namespace zaitaku::app
{

// Input-method hints for a form field by its key: numbers and dates get the keypad's hints, names
// and addresses none (the system's Japanese input method, IBus + Mozc, converts to kanji).
Qt::InputMethodHints inputHintsFor(const std::string& fieldKey);

class NumericKeypad : public QWidget
{
    Q_OBJECT
public:
    explicit NumericKeypad(QWidget* parent = nullptr);

private:
    void follow(QWidget* now);
    void type(const QString& text);
    void erase();

    QLineEdit* m_target = nullptr;
};

} // namespace zaitaku::app
