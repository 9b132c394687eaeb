#include "ui/app/visit/ResultPanel.h"

#include "ui/app/Style.h"
#include "ui/app/visit/ConsentPanel.h"
#include "ui/app/visit/ResultSummary.h"

#include <QFont>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

namespace zaitaku::app
{

ResultPanel::ResultPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* outer = new QVBoxLayout(this);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    auto* content = new QWidget(scroll);
    auto* layout = new QVBoxLayout(content);
    m_state = makeHeading(QString(), content);
    m_state->setObjectName("resultState");
    m_identity = makeText(QString(), content);
    m_identity->setObjectName("resultIdentity");
    m_eligibility = makeText(QString(), content);
    m_eligibility->setObjectName("resultEligibility");
    // What the patient is shown of the result reads larger (issue 31: the screen is turned to them).
    QFont patientText = m_eligibility->font();
    patientText.setPointSizeF(patientText.pointSizeF() * 1.2);
    m_eligibility->setFont(patientText);
    m_consents = makeText(QString(), content);
    m_consents->setObjectName("resultConsents");
    m_warnings = makeWarning(QString(), content);
    m_warnings->setObjectName("resultWarnings");
    for (auto* w : {m_state, m_identity, m_eligibility, m_consents, m_warnings}) {
        layout->addWidget(w);
    }
    layout->addStretch(1);
    scroll->setWidget(content);
    outer->addWidget(scroll, 1);
    auto* back = makeButton(tr("訪問予定に戻る"), this, true);
    back->setObjectName("resultDone");
    outer->addWidget(back);
    connect(back, &QPushButton::clicked, this, &ResultPanel::done);
}

void ResultPanel::show(const visit::VisitOutcome& outcome, const base::Date& today)
{
    const bool committed = outcome.state == visit::VisitState::Committed;
    m_state->setText(committed ? tr("✓ 記録しました（送信待ち）") : tr("✗ 中止しました（記録していません）"));
    QStringList identity;
    if (outcome.method) {
        identity << tr("本人確認: %1").arg(QString::fromStdString(std::string(base::labelOf(*outcome.method))));
    }
    if (outcome.card != model::CardClass::None) {
        identity << tr("カード: %1").arg(QString::fromStdString(std::string(base::labelOf(outcome.card))));
    }
    if (const auto tries = outcome.triesLeftAfter ? outcome.triesLeftAfter : outcome.triesLeftBefore) {
        identity << tr("暗証番号の残り回数: %1 回").arg(*tries);
    }
    if (outcome.fallback) {
        identity << tr("代替手段: %1").arg(QString::fromStdString(std::string(base::labelOf(*outcome.fallback))));
    }
    if (!committed && !outcome.abortReason.empty()) {
        identity << tr("理由: %1").arg(QString::fromStdString(outcome.abortReason));
    }
    m_identity->setText(identity.join('\n'));
    m_eligibility->setText(committed ? eligibilityText(outcome, today) : QString());
    QStringList consents;
    for (const auto& c : outcome.consents) {
        // The text's version is in the record; the screen says what was agreed (issue 31).
        consents << QStringLiteral("%1: %2").arg(consentLabel(c.kind), c.given ? tr("同意") : tr("不同意"));
    }
    m_consents->setText(consents.isEmpty() ? QString() : tr("同意:\n") + consents.join('\n'));
    QStringList warnings;
    for (const auto& w : outcome.warnings) {
        warnings << QString::fromStdString(w);
    }
    m_warnings->setText(QStringLiteral("⚠ ") + warnings.join(QStringLiteral("\n⚠ ")));
    m_warnings->setVisible(!warnings.isEmpty());
}

// What the result says about eligibility, by how the visit was confirmed: a revisit's own re-query
// answer or "re-query pending" (seed 004), a fallback's copay to ask (never 10割, seed 003), or a
// first visit waiting for OQS. A cached answer is labelled as the previous one with its age.
QString ResultPanel::eligibilityText(const visit::VisitOutcome& outcome, const base::Date& today) const
{
    QStringList lines;
    if (outcome.requery == model::RequeryState::Answered && outcome.latest) {
        lines << tr("本日の再照会の結果:") << eligibilitySummary(*outcome.latest, outcome.latestAge, today);
        return lines.join('\n');
    }
    if (outcome.requery == model::RequeryState::Pending) {
        lines << tr("再照会待ち: 本日の資格はまだ確認されていません。送信されるとゲートウェイがオンライン資格確認に"
                    "再照会し、結果が訪問予定に届きます。");
    } else if (outcome.fallback) {
        lines << tr("資格の確認: %1（オンライン資格確認は行いません）")
                     .arg(QString::fromStdString(std::string(base::labelOf(*outcome.fallback))));
        if (!outcome.doorCopay.empty()) {
            lines << tr("窓口でお願いする負担割合: %1").arg(QString::fromStdString(outcome.doorCopay));
        }
    } else if (!outcome.latest) {
        lines << tr(
            "資格情報: オンライン資格確認の結果待ち（送信待ち）。送信されるとゲートウェイがカードで照会します。");
    }
    if (outcome.latest) {
        const bool previous = outcome.requery == model::RequeryState::Pending || outcome.fallback.has_value();
        if (previous) {
            lines << tr("前回の資格確認結果（参考・本日の確認ではありません）:");
        }
        lines << eligibilitySummary(*outcome.latest, outcome.latestAge, today);
    }
    return lines.join('\n');
}

void ResultPanel::showError(const QString& message)
{
    m_state->setText(tr("✗ 訪問を続けられませんでした（記録していません）"));
    m_identity->setText(message);
    m_eligibility->clear();
    m_consents->clear();
    m_warnings->setVisible(false);
}

} // namespace zaitaku::app
