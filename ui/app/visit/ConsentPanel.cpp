#include "ui/app/visit/ConsentPanel.h"

#include "ui/app/Style.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QFont>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QRadioButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace zaitaku::app
{

QString consentLabel(model::ConsentKind kind)
{
    switch (kind) {
    case model::ConsentKind::Diagnosis:
        return ConsentPanel::tr("診療情報");
    case model::ConsentKind::Pharmacy:
        return ConsentPanel::tr("薬剤情報");
    case model::ConsentKind::Operation:
        return ConsentPanel::tr("手術情報");
    case model::ConsentKind::Checkup:
        return ConsentPanel::tr("特定健診情報");
    case model::ConsentKind::ElectronicPrescription:
        return ConsentPanel::tr("処方箋の発行方法");
    default:
        return QString::fromStdString(std::string(base::labelOf(kind)));
    }
}

namespace
{
// One exclusive choice laid out in a row.
QHBoxLayout* choiceRow(QWidget* owner, std::initializer_list<QRadioButton*> buttons)
{
    auto* group = new QButtonGroup(owner);
    auto* row = new QHBoxLayout();
    for (auto* b : buttons) {
        group->addButton(b);
        row->addWidget(b);
    }
    return row;
}
} // namespace

ConsentPanel::ConsentPanel(QWidget* parent)
    : QWidget(parent)
{
    // Two columns so that every item and 確定 fit a 1280×800 screen (issue 31): what the patient
    // reads on the left, what they choose on the right.
    auto* columns = new QHBoxLayout(this);
    auto* reading = new QVBoxLayout();
    auto* layout = new QVBoxLayout();
    layout->setSpacing(4);
    columns->addLayout(reading, 1);
    columns->addLayout(layout, 1);
    reading->addWidget(makeHeading(tr("情報提供への同意"), this));
    m_version = makeText(QString(), this); // the document's edition (「2026-12」), as on a paper form
    m_version->setObjectName("consentVersion");
    reading->addWidget(m_version);
    m_notes = makeText(QString(), this);
    m_notes->setObjectName("consentNotes");
    reading->addWidget(m_notes);
    auto* modes = new QButtonGroup(this);
    m_all = new QRadioButton(tr("すべての項目に同意する（一括）"), this);
    m_all->setObjectName("consentAll");
    m_perItem = new QRadioButton(tr("項目ごとに選ぶ"), this);
    m_perItem->setObjectName("consentPerItem");
    m_none = new QRadioButton(tr("同意しない"), this);
    m_none->setObjectName("consentNone");
    auto* otherModes = new QHBoxLayout();
    for (auto* b : {m_all, m_perItem, m_none}) {
        modes->addButton(b);
        connect(b, &QRadioButton::toggled, this, &ConsentPanel::modeChanged);
    }
    layout->addWidget(m_all);
    otherModes->addWidget(m_perItem);
    otherModes->addWidget(m_none);
    layout->addLayout(otherModes);
    m_items = new QGridLayout(); // two items a row
    m_items->setContentsMargins(48, 0, 0, 0);
    layout->addLayout(m_items);
    auto* prescription = new QHBoxLayout();
    m_prescriptionLabel = makeText(tr("処方箋の発行方法"), this);
    prescription->addWidget(m_prescriptionLabel);
    m_electronic = new QRadioButton(tr("電子処方箋"), this);
    m_electronic->setObjectName("prescriptionElectronic");
    m_paper = new QRadioButton(tr("紙の処方箋"), this);
    m_paper->setObjectName("prescriptionPaper");
    prescription->addLayout(choiceRow(this, {m_electronic, m_paper}), 1);
    layout->addLayout(prescription);
    // Its own question, after the medical-information consents [seed 001 ④].
    m_limitLabel =
        makeText(tr("限度額情報を提供しますか（高額療養費制度をご利用される方は「提供する」を選んでください。"
                    "窓口で限度額以上の支払いが不要になります）"),
                 this);
    layout->addWidget(m_limitLabel);
    m_limitProvide = new QRadioButton(tr("提供する"), this);
    m_limitProvide->setObjectName("limitProvide");
    m_limitDecline = new QRadioButton(tr("提供しない"), this);
    m_limitDecline->setObjectName("limitDecline");
    layout->addLayout(choiceRow(this, {m_limitProvide, m_limitDecline}));
    // The text the record names is on the screen whenever the patient answers (seed 001 ②: the
    // question itself, 「…提供することに同意しますか。この情報はあなたの診察や健康管理のために使用します。」),
    // larger than the rest: the patient reads it, often without glasses.
    m_text = new QTextBrowser(this);
    m_text->setObjectName("consentText");
    QFont readable = m_text->font();
    readable.setPointSizeF(readable.pointSizeF() * 1.3);
    m_text->setFont(readable);
    m_text->setMinimumHeight(200);
    reading->addWidget(m_text, 1);
    m_error = makeText(QString(), this);
    layout->addWidget(m_error);
    layout->addStretch(1);
    auto* buttons = new QHBoxLayout();
    auto* ok = makeButton(tr("確定"), this, true);
    ok->setObjectName("consentOk");
    buttons->addWidget(ok);
    layout->addLayout(buttons);
    connect(ok, &QPushButton::clicked, this, &ConsentPanel::submit);
}

void ConsentPanel::ask(const visit::ConsentPrompt& prompt, Reply<visit::ConsentAnswer> reply)
{
    m_prompt = prompt;
    m_reply = reply;
    m_version->setText(tr("同意文書の版: %1").arg(QString::fromStdString(prompt.textVersion)));
    QStringList notes;
    for (const auto& n : prompt.offer.notes) {
        notes << QString::fromStdString(n);
    }
    m_notes->setText(notes.join("\n"));
    m_notes->setVisible(!notes.isEmpty());
    while (auto* item = m_items->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_boxes.clear();
    for (const auto kind : prompt.offer.items) {
        auto* box = new QCheckBox(consentLabel(kind), this);
        box->setObjectName(QStringLiteral("consent_") + QString::fromStdString(std::string(base::toCode(kind))));
        const int at = static_cast<int>(m_boxes.size());
        m_items->addWidget(box, at / 2, at % 2);
        m_boxes[kind] = box;
    }
    for (auto* b : {m_all, m_perItem, m_none, m_electronic, m_paper, m_limitProvide, m_limitDecline}) {
        b->setAutoExclusive(false);
        b->setChecked(false);
        b->setAutoExclusive(true);
    }
    m_prescriptionLabel->setVisible(prompt.offer.prescriptionChoice);
    m_electronic->setVisible(prompt.offer.prescriptionChoice);
    m_paper->setVisible(prompt.offer.prescriptionChoice);
    for (QWidget* w : std::initializer_list<QWidget*>{m_limitLabel, m_limitProvide, m_limitDecline}) {
        w->setVisible(prompt.offer.limitChoice);
    }
    m_error->clear();
    modeChanged();
}

void ConsentPanel::modeChanged()
{
    for (auto& [kind, box] : m_boxes) {
        box->setEnabled(m_perItem->isChecked());
    }
    showText();
}

void ConsentPanel::showText()
{
    const auto id = m_perItem->isChecked() || m_boxes.empty() ? consent::TextId::Diagnosis : consent::TextId::All;
    auto text = consent::ConsentCatalog::builtin().text(m_prompt.textVersion, m_prompt.language, id);
    if (!text) {
        text = consent::ConsentCatalog::builtin().current(m_prompt.language, id);
    }
    QString shown;
    if (m_perItem->isChecked()) {
        for (const auto kind : m_prompt.offer.items) {
            auto itemId = consent::textFor(kind);
            auto itemText = itemId ? consent::ConsentCatalog::builtin().current(m_prompt.language, *itemId)
                                   : Expected<consent::ConsentText, consent::Error>(Unexpected(itemId.error()));
            if (itemText) {
                shown +=
                    QStringLiteral("【%1】\n%2\n\n").arg(consentLabel(kind), QString::fromStdString(itemText->text));
            }
        }
    } else if (text) {
        shown = QString::fromStdString(text->text); // the version is the record's, not the reader's
    }
    m_text->setPlainText(shown);
}

void ConsentPanel::submit()
{
    if (!m_reply) {
        return;
    }
    consent::ConsentSelection selection;
    if (m_all->isChecked()) {
        selection.mode = consent::SelectionMode::All;
    } else if (m_none->isChecked()) {
        selection.mode = consent::SelectionMode::None;
    } else if (m_perItem->isChecked()) {
        selection.mode = consent::SelectionMode::PerItem;
        for (const auto& [kind, box] : m_boxes) {
            selection.answers[kind] = box->isChecked();
        }
    } else {
        m_error->setText(QStringLiteral("⚠ ") + tr("同意の方法を選んでください（一括・項目ごと・同意しない）"));
        return;
    }
    if (m_prompt.offer.prescriptionChoice) {
        if (!m_electronic->isChecked() && !m_paper->isChecked()) {
            m_error->setText(QStringLiteral("⚠ ") + tr("処方箋の発行方法を選んでください"));
            return;
        }
        selection.prescription =
            m_electronic->isChecked() ? model::PrescriptionIssue::Electronic : model::PrescriptionIssue::Paper;
    }
    if (m_prompt.offer.limitChoice) {
        if (!m_limitProvide->isChecked() && !m_limitDecline->isChecked()) {
            m_error->setText(QStringLiteral("⚠ ") + tr("限度額情報を提供するかどうかを選んでください"));
            return;
        }
        selection.limit = m_limitProvide->isChecked();
    }
    (*m_reply)(visit::ConsentAnswer{std::move(selection)});
    m_reply.reset();
}

} // namespace zaitaku::app
