#pragma once

// After the card is read: what card it is, the PIN tries left (shown before any PIN input), and
// the ways to verify the person this card allows (顔認証 card: no PIN). At one try left the choice
// is replaced by the staff decision: visual check or face, never the last PIN try from here.

#include "ui/app/VisitBridge.h"

#include <QWidget>
#include <optional>

class QComboBox;
class QLabel;
class QVBoxLayout;

namespace zaitaku::app
{

class MethodPanel : public QWidget
{
    Q_OBJECT
public:
    explicit MethodPanel(QWidget* parent = nullptr);
    void ask(const visit::MethodPrompt& prompt, Reply<visit::MethodDecision> reply);

private:
    void answer(visit::MethodDecision decision);
    void clearOptions();

    QLabel* m_heading;
    QLabel* m_card;
    QLabel* m_tries;
    QLabel* m_lastTry;
    QVBoxLayout* m_options;
    QComboBox* m_assisted;
    std::optional<Reply<visit::MethodDecision>> m_reply;
};

QString methodLabel(model::ConfirmMethod method);
QString assistanceLabel(model::Assistance who);

} // namespace zaitaku::app
