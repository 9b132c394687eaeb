#include "ui/app/visit/VisualPanel.h"

#include "ui/app/Style.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace zaitaku::app
{

VisualPanel::VisualPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(makeHeading(tr("目視確認: カードの顔写真とご本人を見比べてください"), this));
    m_statement = makeText(QString(), this);
    m_statement->setObjectName("visualStatement");
    layout->addWidget(m_statement);
    auto* form = new QFormLayout();
    m_staff = new QLineEdit(this);
    m_staff->setObjectName("visualStaff");
    m_staff->setReadOnly(true); // who signed in attests: no name typed here
    form->addRow(tr("確認した職員"), m_staff);
    m_reason = new QComboBox(this);
    m_reason->setObjectName("visualReason");
    form->addRow(tr("目視確認の理由"), m_reason);
    layout->addLayout(form);
    m_error = makeText(QString(), this);
    layout->addWidget(m_error);
    layout->addStretch(1);
    auto* row = new QHBoxLayout();
    auto* back = makeButton(tr("戻る"), this);
    back->setObjectName("visualBack");
    auto* mismatch = makeButton(tr("写真と一致しない"), this);
    mismatch->setObjectName("visualMismatch");
    auto* attest = makeButton(tr("本人であることを確認しました"), this, true);
    attest->setObjectName("visualAttest");
    row->addWidget(back);
    row->addWidget(mismatch);
    row->addWidget(attest);
    layout->addLayout(row);
    connect(back, &QPushButton::clicked, this, [this] { answer(visit::VisualAnswer::Kind::Back); });
    connect(mismatch, &QPushButton::clicked, this, [this] { answer(visit::VisualAnswer::Kind::Mismatch); });
    connect(attest, &QPushButton::clicked, this, [this] { answer(visit::VisualAnswer::Kind::Attested); });
}

void VisualPanel::ask(const visit::VisualPrompt& prompt, const QString& staffId, Reply<visit::VisualAnswer> reply)
{
    m_reply = reply;
    m_statement->setText(QString::fromStdString(prompt.statement));
    m_staff->setText(staffId);
    m_error->clear();
    m_reason->clear();
    auto reasons = prompt.reasons;
    if (std::find(reasons.begin(), reasons.end(), prompt.suggested) == reasons.end()) {
        reasons.insert(reasons.begin(), prompt.suggested);
    }
    for (const auto reason : reasons) {
        m_reason->addItem(QString::fromStdString(std::string(base::labelOf(reason))), static_cast<int>(reason));
    }
    m_reason->setCurrentIndex(m_reason->findData(static_cast<int>(prompt.suggested)));
}

void VisualPanel::answer(visit::VisualAnswer::Kind kind)
{
    if (!m_reply) {
        return;
    }
    visit::VisualAnswer a;
    a.kind = kind;
    a.staffId = m_staff->text().trimmed().toStdString();
    a.reason = static_cast<model::VisualReason>(m_reason->currentData().toInt());
    if (kind == visit::VisualAnswer::Kind::Attested && a.staffId.empty()) {
        m_error->setText(QStringLiteral("⚠ ") + tr("職員がサインインしていません"));
        return;
    }
    (*m_reply)(std::move(a));
    m_reply.reset();
}

} // namespace zaitaku::app
