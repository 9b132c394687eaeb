#pragma once

// F2: may this revisit re-query without the card? If yes, the cached result and its age, and one
// tap records it. If not, why (in the rules' words), and the card path or the fallback ladder.

#include "ui/app/VisitBridge.h"

#include <QWidget>
#include <optional>

class QLabel;
class QPushButton;

namespace zaitaku::app
{

class RevisitPanel : public QWidget
{
    Q_OBJECT
public:
    explicit RevisitPanel(QWidget* parent = nullptr);
    void ask(const visit::RevisitPrompt& prompt, const base::Date& today, Reply<visit::RevisitDecision> reply);

private:
    void answer(visit::RevisitDecision decision);

    QLabel* m_verdict;
    QLabel* m_reasons;
    QLabel* m_result;
    QPushButton* m_confirm;
    std::optional<Reply<visit::RevisitDecision>> m_reply;
};

} // namespace zaitaku::app
