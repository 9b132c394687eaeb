#include "ui/app/visit/RevisitPanel.h"

#include "ui/app/Style.h"
#include "ui/app/visit/ResultSummary.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace zaitaku::app
{

RevisitPanel::RevisitPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(makeHeading(tr("再訪問: カードなしの再照会"), this));
    m_verdict = makeHeading(QString(), this);
    m_verdict->setObjectName("revisitVerdict");
    layout->addWidget(m_verdict);
    m_reasons = makeText(QString(), this);
    m_reasons->setObjectName("revisitReasons");
    layout->addWidget(m_reasons);
    m_result = makeText(QString(), this);
    m_result->setObjectName("revisitResult");
    layout->addWidget(m_result);
    layout->addStretch(1);
    auto* row = new QHBoxLayout();
    auto* fallback = makeButton(tr("代替手段へ"), this);
    fallback->setObjectName("revisitFallback");
    auto* card = makeButton(tr("カードで確認する"), this);
    card->setObjectName("revisitCard");
    m_confirm = makeButton(tr("再照会で記録する"), this, true);
    m_confirm->setObjectName("revisitConfirm");
    row->addWidget(fallback);
    row->addWidget(card);
    row->addWidget(m_confirm);
    layout->addLayout(row);
    connect(fallback, &QPushButton::clicked, this, [this] { answer(visit::RevisitDecision::Fallback); });
    connect(card, &QPushButton::clicked, this, [this] { answer(visit::RevisitDecision::CardPath); });
    connect(m_confirm, &QPushButton::clicked, this, [this] { answer(visit::RevisitDecision::Confirm); });
}

void RevisitPanel::ask(const visit::RevisitPrompt& prompt, const base::Date& today, Reply<visit::RevisitDecision> reply)
{
    m_reply = reply;
    const bool answered = prompt.allowed && prompt.requery == model::RequeryState::Answered;
    if (!prompt.allowed) {
        m_verdict->setText(tr("✗ 再照会はできません: カードで確認してください"));
    } else if (answered) {
        m_verdict->setText(tr("✓ 再照会の結果が届きました（本日の資格確認）"));
    } else {
        // Seed 004 再照会 with no signal: said in plain words, never "confirmed".
        m_verdict->setText(tr("⚠ 再照会待ち: 本日の資格はまだ確認されていません。送信されるとゲートウェイが"
                              "オンライン資格確認に再照会します"));
    }
    QStringList reasons;
    for (const auto& m : prompt.messages) {
        reasons << QStringLiteral("・") + QString::fromStdString(m);
    }
    for (const auto& c : prompt.changes) {
        reasons << QStringLiteral("⚠ ") + QString::fromStdString(c);
    }
    m_reasons->setText(reasons.join('\n'));
    if (prompt.fresh) {
        m_result->setText(tr("本日の再照会の結果:") + '\n' +
                          eligibilitySummary(*prompt.fresh, std::chrono::minutes(0), today));
    } else if (prompt.latest) {
        // A cached answer is shown with its age and is never today's confirmation.
        m_result->setText(tr("前回の資格確認結果（本日の確認ではありません）:") + '\n' +
                          eligibilitySummary(*prompt.latest, prompt.age, today));
    } else {
        m_result->setText(tr("キャッシュされた資格確認結果はありません"));
    }
    m_confirm->setText(answered ? tr("再照会の結果で記録する") : tr("再照会待ちとして記録する"));
    m_confirm->setEnabled(prompt.allowed);
    m_confirm->setVisible(prompt.allowed);
}

void RevisitPanel::answer(visit::RevisitDecision decision)
{
    if (m_reply) {
        (*m_reply)(decision);
        m_reply.reset();
    }
}

} // namespace zaitaku::app
