#include "ui/app/visit/CodeBPanel.h"

#include "device/mynacard/SecretDigits.h"
#include "ui/app/Style.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

namespace zaitaku::app
{

CodeBPanel::CodeBPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(makeHeading(tr("顔認証: 照合番号Bを入力してください"), this));
    layout->addWidget(makeText(tr("カード表面の生年月日（6桁: YYMMDD）、有効期限の西暦（4桁）、"
                                  "セキュリティコード（4桁）の計14桁です。保存はしません。"),
                               this));
    m_tries = makeText(QString(), this);
    layout->addWidget(m_tries);
    m_code = new QLineEdit(this);
    m_code->setObjectName("codeB");
    m_code->setEchoMode(QLineEdit::Password);
    m_code->setMaxLength(14);
    m_code->setInputMethodHints(Qt::ImhDigitsOnly | Qt::ImhSensitiveData | Qt::ImhNoPredictiveText);
    m_code->setValidator(new QRegularExpressionValidator(QRegularExpression("[0-9]{0,14}"), m_code));
    layout->addWidget(m_code);
    m_error = makeText(QString(), this);
    layout->addWidget(m_error);
    layout->addStretch(1);
    auto* row = new QHBoxLayout();
    auto* back = makeButton(tr("戻る（別の方法）"), this);
    back->setObjectName("codeBBack");
    auto* ok = makeButton(tr("決定"), this, true);
    ok->setObjectName("codeBOk");
    row->addWidget(back);
    row->addWidget(ok);
    layout->addLayout(row);
    connect(ok, &QPushButton::clicked, this, &CodeBPanel::submit);
    connect(back, &QPushButton::clicked, this, [this] {
        m_code->clear();
        if (m_reply) {
            (*m_reply)(visit::CodeBAnswer{});
            m_reply.reset();
        }
    });
}

void CodeBPanel::ask(const visit::CodeBPrompt& prompt, Reply<visit::CodeBAnswer> reply)
{
    m_reply = reply;
    m_code->clear();
    m_error->clear();
    m_tries->setText(tr("照合番号Bの残り回数: %1 回").arg(prompt.triesLeft));
    m_code->setFocus();
}

void CodeBPanel::submit()
{
    std::string digits = m_code->text().toStdString();
    auto code = device::SecretDigits::fromDigits(digits, 14, "照合番号B is 14 digits");
    std::fill(digits.begin(), digits.end(), '\0');
    if (!code) {
        m_error->setText(QStringLiteral("⚠ ") + tr("14桁の数字を入力してください"));
        return;
    }
    m_code->clear();
    if (m_reply) {
        (*m_reply)(visit::CodeBAnswer{std::move(*code)});
        m_reply.reset();
    }
}

} // namespace zaitaku::app
