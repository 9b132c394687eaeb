#include "ui/app/visit/CardPanel.h"

#include "ui/app/Style.h"

#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

namespace zaitaku::app
{

CardPanel::CardPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(makeHeading(tr("マイナ保険証をカードリーダーに置いてください"), this));
    m_reason = makeText(QString(), this);
    m_reason->setObjectName("cardReason");
    layout->addWidget(m_reason);
    m_reader = makeText(QString(), this);
    layout->addWidget(m_reader);
    layout->addWidget(makeText(tr("リーダーとカードの状態:"), this));
    m_events = new QListWidget(this);
    m_events->setObjectName("cardEvents");
    layout->addWidget(m_events, 1);
    auto* fallback = makeButton(tr("カードがない・読めない（代替手段へ）"), this);
    fallback->setObjectName("cardFallback");
    layout->addWidget(fallback);
    connect(fallback, &QPushButton::clicked, this, [this] { choose(visit::CardDecision::Fallback); });
    m_keepWaiting.setSingleShot(true);
    m_keepWaiting.setInterval(300);
    connect(&m_keepWaiting, &QTimer::timeout, this, [this] {
        if (m_reply) {
            (*m_reply)(visit::CardDecision::Wait);
            m_reply.reset();
        }
    });
}

void CardPanel::reset(const QString& reader)
{
    m_reply.reset();
    m_chosen.reset();
    m_events->clear();
    m_reason->setText(tr("カードを置くと自動で読み取ります。"));
    m_reader->setText(tr("カードリーダー: %1").arg(reader.isEmpty() ? tr("自動（カードのあるリーダー）") : reader));
}

void CardPanel::addEvent(const QString& line)
{
    if (m_events->count() == 0 || m_events->item(m_events->count() - 1)->text() != line) {
        m_events->addItem(line);
        m_events->scrollToBottom();
    }
}

void CardPanel::ask(const visit::CardPrompt& prompt, Reply<visit::CardDecision> reply)
{
    m_reason->setText(QString::fromStdString(prompt.reason));
    addEvent(QString::fromStdString(prompt.reason));
    if (m_chosen) {
        reply(*m_chosen);
        return;
    }
    m_reply = reply;
    m_keepWaiting.start();
}

void CardPanel::choose(visit::CardDecision decision)
{
    m_chosen = decision;
    if (m_reply) {
        m_keepWaiting.stop();
        (*m_reply)(decision);
        m_reply.reset();
    }
    m_reason->setText(tr("代替手段に切り替えています…"));
}

} // namespace zaitaku::app
