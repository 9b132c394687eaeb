#pragma once

// The 4-digit PIN pad, for the patient's own finger: the tries left are shown before input, the
// digits are shuffled for every entry (nobody learns the PIN from where the finger went), only dots
// are shown, and the entry is wiped when answered or abandoned. Nothing here ever retries a PIN:
// each answer is one entry the patient made.

#include "base/Random.h"
#include "ui/app/VisitBridge.h"

#include <QWidget>
#include <optional>
#include <string>

class QGridLayout;
class QLabel;
class QPushButton;

namespace zaitaku::app
{

class PinPadPanel : public QWidget
{
    Q_OBJECT
public:
    PinPadPanel(base::RandomSource& random, QWidget* parent = nullptr);
    ~PinPadPanel() override;
    void ask(const visit::PinPrompt& prompt, Reply<visit::PinAnswer> reply);
    // The digits in pad order, left to right and top to bottom (tests check the shuffle).
    QString layoutOrder() const;

private:
    void press(int digit);
    void erase();
    void submit();
    void back();
    void shuffle();
    void wipeEntry();
    void showEntry();

    base::RandomSource& m_random;
    QLabel* m_tries;
    QLabel* m_warning;
    QLabel* m_dots;
    QGridLayout* m_grid;
    QPushButton* m_digits[10];
    QPushButton* m_ok;
    std::string m_entry;
    std::optional<Reply<visit::PinAnswer>> m_reply;
};

} // namespace zaitaku::app
