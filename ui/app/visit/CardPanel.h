#pragma once

// F1's first step: place the card. Shows the reader and, live, what the engine reports about the
// reader and the card; while the nurse does nothing it keeps waiting (the engine asks every 2 s),
// and 代替手段 or 中止 take effect at once.

#include "ui/app/VisitBridge.h"

#include <QTimer>
#include <QWidget>
#include <optional>

class QLabel;
class QListWidget;

namespace zaitaku::app
{

class CardPanel : public QWidget
{
    Q_OBJECT
public:
    explicit CardPanel(QWidget* parent = nullptr);
    void reset(const QString& reader);
    void addEvent(const QString& line);
    void ask(const visit::CardPrompt& prompt, Reply<visit::CardDecision> reply);

private:
    void choose(visit::CardDecision decision);

    QLabel* m_reader;
    QLabel* m_reason;
    QListWidget* m_events;
    std::optional<Reply<visit::CardDecision>> m_reply;
    std::optional<visit::CardDecision> m_chosen;
    QTimer m_keepWaiting;
};

} // namespace zaitaku::app
