#include "ui/app/visit/PinPadPanel.h"

#include "device/mynacard/SecretDigits.h"
#include "ui/app/Style.h"

#include <QFont>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <array>
#include <cstdint>
#include <span>

namespace zaitaku::app
{

PinPadPanel::PinPadPanel(base::RandomSource& random, QWidget* parent)
    : QWidget(parent)
    , m_random(random)
{
    // Two columns so that the pad and 決定 fit a 1280×800 screen (issue 31): what to do on the
    // left, the pad on the right.
    auto* columns = new QHBoxLayout(this);
    auto* layout = new QVBoxLayout();
    auto* pad = new QVBoxLayout();
    columns->addLayout(layout, 1);
    columns->addLayout(pad, 1);
    layout->addWidget(makeHeading(tr("暗証番号（4桁）を入力してください"), this));
    // The PIN is told to nobody but the 法定代理人 [seed 004: 「原則として法定代理人以外の者に知らせ
    // ることは適当ではありません」]; family and staff may only place the card (Q1).
    auto* who = makeText(tr("暗証番号は、ご本人または法定代理人の方が入力してください。ご家族・介助者・施設職員の方は入"
                            "力しないでください。"),
                         this);
    who->setObjectName("pinWhoEnters");
    // The patient reads this, often without glasses (issue 31): larger than the staff's screens.
    QFont patientText = who->font();
    patientText.setPointSizeF(patientText.pointSizeF() * 1.25);
    who->setFont(patientText);
    layout->addWidget(who);
    m_tries = makeText(QString(), this);
    m_tries->setObjectName("pinTriesLeft");
    m_tries->setFont(patientText);
    layout->addWidget(m_tries);
    m_warning = makeWarning(QString(), this);
    layout->addWidget(m_warning);
    layout->addStretch(1);
    m_dots = new QLabel(this);
    m_dots->setObjectName("pinDots");
    m_dots->setAlignment(Qt::AlignCenter);
    QFont big = m_dots->font();
    big.setPointSizeF(big.pointSizeF() * 2);
    m_dots->setFont(big);
    pad->addWidget(m_dots);
    m_grid = new QGridLayout();
    for (int d = 0; d < 10; ++d) {
        m_digits[d] = makeButton(QString::number(d), this);
        m_digits[d]->setObjectName(QStringLiteral("pinDigit_%1").arg(d));
        m_digits[d]->setMinimumSize(80, 72);
        m_digits[d]->setFont(big);
        connect(m_digits[d], &QPushButton::clicked, this, [this, d] { press(d); });
    }
    pad->addLayout(m_grid);
    auto* row = new QHBoxLayout();
    auto* erase = makeButton(tr("1文字消す"), this);
    erase->setObjectName("pinErase");
    auto* back = makeButton(tr("戻る（別の方法）"), this);
    back->setObjectName("pinBack");
    m_ok = makeButton(tr("決定"), this, true);
    m_ok->setObjectName("pinOk");
    row->addWidget(back);
    row->addWidget(erase);
    row->addWidget(m_ok);
    pad->addLayout(row);
    connect(erase, &QPushButton::clicked, this, &PinPadPanel::erase);
    connect(back, &QPushButton::clicked, this, &PinPadPanel::back);
    connect(m_ok, &QPushButton::clicked, this, &PinPadPanel::submit);
}

PinPadPanel::~PinPadPanel()
{
    wipeEntry();
}

void PinPadPanel::ask(const visit::PinPrompt& prompt, Reply<visit::PinAnswer> reply)
{
    wipeEntry();
    m_reply = reply;
    m_tries->setText(tr("暗証番号の残り回数: %1 回").arg(prompt.triesLeft));
    m_warning->setVisible(prompt.triesLeft <= 2);
    m_warning->setText(QStringLiteral("⚠ ") +
                       tr("間違えると残り %1 回になります。わからない場合は「戻る」で別の方法を選んでください。")
                           .arg(std::max(0, prompt.triesLeft - 1)));
    shuffle();
    showEntry();
}

QString PinPadPanel::layoutOrder() const
{
    QString order;
    for (int i = 0; i < m_grid->count(); ++i) {
        order += static_cast<QPushButton*>(m_grid->itemAt(i)->widget())->text();
    }
    return order;
}

void PinPadPanel::shuffle()
{
    std::array<int, 10> order{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    for (std::size_t i = order.size() - 1; i > 0; --i) { // Fisher–Yates on the injected randomness
        std::uint32_t r = 0;
        m_random.fill(std::span(reinterpret_cast<std::uint8_t*>(&r), sizeof r));
        std::swap(order[i], order[r % (i + 1)]);
    }
    for (auto* button : m_digits) {
        m_grid->removeWidget(button);
    }
    for (std::size_t i = 0; i < order.size(); ++i) {
        // Three rows of three, the tenth digit centred on the last row.
        const int row = static_cast<int>(i) / 3;
        const int column = i == 9 ? 1 : static_cast<int>(i) % 3;
        m_grid->addWidget(m_digits[order[i]], row, column);
    }
}

void PinPadPanel::press(int digit)
{
    if (m_reply && m_entry.size() < device::kAuthPinDigits) {
        m_entry.push_back(static_cast<char>('0' + digit));
        showEntry();
    }
}

void PinPadPanel::erase()
{
    if (!m_entry.empty()) {
        m_entry.back() = '\0';
        m_entry.pop_back();
        showEntry();
    }
}

void PinPadPanel::submit()
{
    if (!m_reply || m_entry.size() != device::kAuthPinDigits) {
        return;
    }
    auto pin = device::makeAuthPin(m_entry);
    wipeEntry();
    showEntry();
    if (pin) {
        (*m_reply)(visit::PinAnswer{std::move(*pin)});
        m_reply.reset();
    }
}

void PinPadPanel::back()
{
    wipeEntry();
    showEntry();
    if (m_reply) {
        (*m_reply)(visit::PinAnswer{});
        m_reply.reset();
    }
}

void PinPadPanel::wipeEntry()
{
    std::fill(m_entry.begin(), m_entry.end(), '\0');
    m_entry.clear();
}

void PinPadPanel::showEntry()
{
    QString dots;
    for (std::size_t i = 0; i < device::kAuthPinDigits; ++i) {
        dots += i < m_entry.size() ? QStringLiteral("● ") : QStringLiteral("○ ");
    }
    m_dots->setText(dots.trimmed());
    m_dots->setAccessibleName(tr("%1 桁入力済み").arg(m_entry.size()));
    m_ok->setEnabled(m_entry.size() == device::kAuthPinDigits);
}

} // namespace zaitaku::app
