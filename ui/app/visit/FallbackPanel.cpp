#include "ui/app/visit/FallbackPanel.h"

#include "base/BoundedJson.h"
#include "ui/app/NumericKeypad.h"
#include "ui/app/Style.h"
#include "ui/app/visit/FallbackPdf.h"
#include "verify/rules/FallbackDocument.h"
#include "verify/visit/FallbackForms.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <nlohmann/json.hpp>

namespace zaitaku::app
{

namespace
{
QString kindLabel(model::FallbackKind kind)
{
    return QString::fromStdString(std::string(base::labelOf(kind)));
}
// What is stored: the choice's code, or the typed text.
QString valueOf(QWidget* input)
{
    if (auto* combo = qobject_cast<QComboBox*>(input)) {
        return combo->currentData().toString();
    }
    return static_cast<QLineEdit*>(input)->text().trimmed();
}

// What is printed: the choice's words, or the typed text.
QString wordsOf(QWidget* input)
{
    if (auto* combo = qobject_cast<QComboBox*>(input)) {
        return combo->currentData().toString().isEmpty() ? QString() : combo->currentText();
    }
    return valueOf(input);
}
} // namespace

FallbackPanel::FallbackPanel(PrintJob printing, QWidget* parent)
    : QWidget(parent)
    , m_printing(std::move(printing))
{
    auto* layout = new QVBoxLayout(this);
    m_stages = new QStackedWidget(this);
    layout->addWidget(m_stages);

    auto* ladder = new QWidget(m_stages);
    auto* ladderLayout = new QVBoxLayout(ladder);
    ladderLayout->addWidget(makeHeading(tr("代替手段で資格を確認します"), ladder));
    m_reason = makeText(QString(), ladder);
    m_reason->setObjectName("fallbackReason");
    ladderLayout->addWidget(m_reason);
    m_ladder = new QVBoxLayout();
    ladderLayout->addLayout(m_ladder);
    ladderLayout->addStretch(1);
    m_stages->addWidget(ladder);

    auto* form = new QWidget(m_stages);
    auto* formLayout = new QVBoxLayout(form);
    m_formTitle = makeHeading(QString(), form);
    formLayout->addWidget(m_formTitle);
    auto* scroll = new QScrollArea(form);
    scroll->setFocusPolicy(Qt::NoFocus);
    scroll->setWidgetResizable(true);
    auto* fields = new QWidget(scroll);
    m_form = new QFormLayout(fields);
    scroll->setWidget(fields);
    formLayout->addWidget(scroll, 1);
    formLayout->addWidget(new NumericKeypad(form)); // shows itself for number and date fields
    m_error = makeText(QString(), form);
    m_error->setObjectName("fallbackError");
    formLayout->addWidget(m_error);
    auto* row = new QHBoxLayout();
    auto* back = makeButton(tr("戻る（別の手段）"), form);
    back->setObjectName("fallbackBack");
    auto* print = makeButton(tr("PDFで印刷（署名用）"), form);
    print->setObjectName("fallbackPrint");
    auto* record = makeButton(tr("この内容で記録する"), form, true);
    record->setObjectName("fallbackRecord");
    row->addWidget(back);
    row->addWidget(print);
    row->addWidget(record);
    formLayout->addLayout(row);
    m_stages->addWidget(form);
    connect(back, &QPushButton::clicked, this, [this] { m_stages->setCurrentIndex(0); });
    connect(print, &QPushButton::clicked, this, &FallbackPanel::printPdf);
    connect(record, &QPushButton::clicked, this, &FallbackPanel::record);
}

void FallbackPanel::ask(const visit::FallbackPrompt& prompt,
                        const QString& patient,
                        const QString& today,
                        Reply<visit::FallbackAnswer> reply)
{
    m_reply = reply;
    m_patient = patient;
    m_today = today;
    m_suggested = prompt.suggestedFields;
    m_birthdate = prompt.patientBirthdate;
    m_reason->setText(tr("理由: %1").arg(QString::fromStdString(prompt.reason)));
    while (auto* item = m_ladder->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (const auto& option : prompt.ladder) {
        auto* button = makeButton(kindLabel(option.kind), this, false);
        button->setObjectName(QStringLiteral("fallback_") +
                              QString::fromStdString(std::string(base::toCode(option.kind))));
        button->setEnabled(option.available);
        m_ladder->addWidget(button);
        if (!option.available) {
            m_ladder->addWidget(makeText(tr("　利用できません: %1").arg(QString::fromStdString(option.why)), this));
        }
        connect(button, &QPushButton::clicked, this, [this, kind = option.kind] { choose(kind); });
    }
    m_stages->setCurrentIndex(0);
}

void FallbackPanel::choose(model::FallbackKind kind)
{
    m_kind = kind;
    m_formTitle->setText(kindLabel(kind));
    while (m_form->rowCount() > 0) {
        m_form->removeRow(0);
    }
    m_inputs.clear();
    m_error->clear();
    for (const auto& field : visit::fallbackForm(kind).fields) {
        QWidget* input = nullptr;
        if (field.choices.empty()) {
            auto* line = new QLineEdit(this);
            line->setInputMethodHints(inputHintsFor(field.key)); // issue 31: the keypad or the IME
            input = line;
        } else {
            auto* combo = new QComboBox(this);
            combo->addItem(tr("（選んでください）"), QString()); // staff choose; nothing is pre-filled
            for (const auto& choice : field.choices) {
                combo->addItem(QString::fromStdString(visit::choiceLabel(choice)), QString::fromStdString(choice));
            }
            input = combo;
        }
        input->setObjectName(QStringLiteral("field_") + QString::fromStdString(field.key));
        if (auto* line = qobject_cast<QLineEdit*>(input); line && m_suggested.contains(field.key)) {
            line->setText(QString::fromStdString(m_suggested.at(field.key))); // staff confirm with the patient
        }
        const QString label = QString::fromStdString(field.label) + (field.required ? tr("（必須）") : QString());
        m_form->addRow(label, input);
        m_inputs[field.key] = input;
    }
    m_stages->setCurrentIndex(1);
}

std::string FallbackPanel::fieldsJson() const
{
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& [key, input] : m_inputs) {
        const QString value = valueOf(input);
        if (!value.isEmpty()) {
            fields[key] = value.toStdString();
        }
    }
    return fields.dump();
}

void FallbackPanel::record()
{
    if (!m_reply || !m_kind) {
        return;
    }
    const std::string fields = fieldsJson();
    if (auto checked = visit::checkFallbackFields(*m_kind, fields); !checked) {
        showFieldError(checked.error());
        return;
    }
    // The document against today's date (expiry, 発効期日, 70/75, the card beside a portal screen):
    // a refused document stays on the form with the reason; the engine checks again.
    if (const auto on = base::Date::parse(m_today.toStdString())) {
        const auto parsed = base::parseJson(fields);
        const auto check =
            rules::checkFallbackDocument(rules::DocumentCheckInput{*m_kind, &parsed, *on, m_birthdate, std::nullopt});
        if (!check.accepted) {
            QStringList reasons;
            for (const auto& reason : check.reasons) {
                reasons << QString::fromStdString(reason.message);
            }
            m_error->setText(QStringLiteral("⚠ ") + tr("この書類では確認できません: %1").arg(reasons.join(tr("／"))));
            return;
        }
    }
    visit::FallbackAnswer answer;
    answer.kind = *m_kind;
    answer.fieldsJson = fields;
    (*m_reply)(std::move(answer));
    m_reply.reset();
}

// Names the field by the document's own label and puts the cursor there.
void FallbackPanel::showFieldError(const visit::Error& error)
{
    const std::string key = error.field.rfind("fields.", 0) == 0 ? error.field.substr(7) : std::string();
    const auto input = m_inputs.find(key);
    if (input == m_inputs.end()) {
        m_error->setText(QStringLiteral("⚠ ") + QString::fromStdString(error.message));
        return;
    }
    const auto& fields = visit::fallbackForm(*m_kind).fields;
    const auto field = std::find_if(fields.begin(), fields.end(), [&key](const auto& f) { return f.key == key; });
    m_error->setText(QStringLiteral("⚠ ") +
                     tr("「%1」を確認してください（%2）")
                         .arg(QString::fromStdString(field->label), QString::fromStdString(error.message)));
    input->second->setFocus();
}

void FallbackPanel::printPdf()
{
    if (!m_kind) {
        return;
    }
    FallbackPrintout printout{*m_kind, m_patient, m_today, {}};
    for (const auto& field : visit::fallbackForm(*m_kind).fields) {
        printout.fields.emplace_back(QString::fromStdString(field.label), wordsOf(m_inputs[field.key]));
    }
    QString problem;
    if (!printPrivately(renderFallbackPdf(printout), m_printing, &problem)) {
        m_error->setText(QStringLiteral("⚠ ") + tr("印刷できません: %1").arg(problem));
        return;
    }
    m_error->setText(tr("✓ 印刷しました（端末には残していません）"));
    Q_EMIT printed(*m_kind);
}

} // namespace zaitaku::app
