#include "ui/app/visit/MethodPanel.h"

#include "ui/app/Style.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace zaitaku::app
{

QString methodLabel(model::ConfirmMethod method)
{
    switch (method) {
    case model::ConfirmMethod::Pin:
        return MethodPanel::tr("暗証番号");
    case model::ConfirmMethod::Face:
        return MethodPanel::tr("顔認証");
    case model::ConfirmMethod::Visual:
        return MethodPanel::tr("目視確認");
    }
    return QString::fromStdString(std::string(base::toCode(method)));
}

QString assistanceLabel(model::Assistance who)
{
    switch (who) {
    case model::Assistance::None:
        return MethodPanel::tr("本人のみ");
    case model::Assistance::Family:
        return MethodPanel::tr("家族");
    case model::Assistance::Carer:
        return MethodPanel::tr("介助者");
    case model::Assistance::FacilityStaff:
        return MethodPanel::tr("施設職員");
    case model::Assistance::LegalRepresentative:
        return MethodPanel::tr("法定代理人");
    }
    return QString::fromStdString(std::string(base::toCode(who)));
}

MethodPanel::MethodPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    m_heading = makeHeading(tr("本人確認の方法を選んでください"), this);
    layout->addWidget(m_heading);
    m_card = makeText(QString(), this);
    m_card->setObjectName("cardClass");
    layout->addWidget(m_card);
    m_tries = makeText(QString(), this);
    m_tries->setObjectName("pinTries");
    layout->addWidget(m_tries);
    m_lastTry = makeWarning(tr("暗証番号の残り回数が1回です。ロックを防ぐため、ここでは暗証番号を入力しません。"
                               "職員の判断で、目視確認または顔認証に切り替えてください。"),
                            this);
    m_lastTry->setObjectName("lastTryWarning");
    layout->addWidget(m_lastTry);
    // Family, carers or facility staff may place the card for the patient; the PIN stays the
    // patient's or the 法定代理人's [seed 004 Q1, 施設で預かる場合の留意点].
    auto* assistedRow = new QHBoxLayout();
    assistedRow->addWidget(makeText(tr("介助した人:"), this));
    m_assisted = new QComboBox(this);
    m_assisted->setObjectName("assistedBy");
    for (const auto& entry : base::CodeTable<model::Assistance>::entries) {
        m_assisted->addItem(assistanceLabel(entry.value), static_cast<int>(entry.value));
    }
    assistedRow->addWidget(m_assisted, 1);
    layout->addLayout(assistedRow);
    m_options = new QVBoxLayout();
    layout->addLayout(m_options);
    layout->addStretch(1);
    auto* fallback = makeButton(tr("代替手段へ"), this);
    fallback->setObjectName("methodFallback");
    layout->addWidget(fallback);
    connect(fallback, &QPushButton::clicked, this, [this] {
        visit::MethodDecision d;
        d.kind = visit::MethodDecision::Kind::Fallback;
        answer(d);
    });
}

void MethodPanel::clearOptions()
{
    while (auto* item = m_options->takeAt(0)) {
        delete item->widget();
        delete item;
    }
}

void MethodPanel::ask(const visit::MethodPrompt& prompt, Reply<visit::MethodDecision> reply)
{
    m_reply = reply;
    clearOptions();
    const bool faceOnlyCard = prompt.card == model::CardClass::FaceAuthOnly;
    m_card->setText(tr("カードの種類: %1").arg(QString::fromStdString(std::string(base::labelOf(prompt.card)))) +
                    (faceOnlyCard ? tr("（顔認証マイナンバーカード: 暗証番号は使いません）") : QString()));
    m_tries->setVisible(prompt.triesLeft.has_value() && !faceOnlyCard);
    if (prompt.triesLeft) {
        m_tries->setText(tr("暗証番号の残り回数: %1 回").arg(*prompt.triesLeft));
    }
    m_lastTry->setVisible(prompt.lastTry);
    m_heading->setText(prompt.lastTry ? tr("職員の判断: 本人確認の方法を切り替えてください")
                                      : tr("本人確認の方法を選んでください"));
    for (const auto& option : prompt.options) {
        if ((prompt.lastTry || faceOnlyCard) && option.method == model::ConfirmMethod::Pin) {
            continue; // no PIN on a 顔認証 card; at one try left the pad is replaced by the staff decision
        }
        auto* button = makeButton(methodLabel(option.method), this, option.available);
        button->setObjectName(QStringLiteral("method_") +
                              QString::fromStdString(std::string(base::toCode(option.method))));
        button->setEnabled(option.available);
        m_options->addWidget(button);
        if (!option.available) {
            auto* why = makeText(tr("利用できません: %1").arg(QString::fromStdString(option.why)), this);
            m_options->addWidget(why);
        }
        connect(button, &QPushButton::clicked, this, [this, method = option.method] {
            visit::MethodDecision d;
            d.kind = visit::MethodDecision::Kind::Method;
            d.method = method;
            answer(d);
        });
    }
}

void MethodPanel::answer(visit::MethodDecision decision)
{
    decision.assistedBy = static_cast<model::Assistance>(m_assisted->currentData().toInt());
    if (m_reply) {
        (*m_reply)(decision);
        m_reply.reset();
    }
}

} // namespace zaitaku::app
