#pragma once

// The face path reads the chip photo, which needs 照合番号B: the card's birth date (YYMMDD), expiry
// year (YYYY) and security code (4 digits), 14 digits in all, typed from the card face by staff.
// It is wiped when answered; it is never stored.

#include "ui/app/VisitBridge.h"

#include <QWidget>
#include <optional>

class QLabel;
class QLineEdit;

namespace zaitaku::app
{

class CodeBPanel : public QWidget
{
    Q_OBJECT
public:
    explicit CodeBPanel(QWidget* parent = nullptr);
    void ask(const visit::CodeBPrompt& prompt, Reply<visit::CodeBAnswer> reply);

private:
    void submit();

    QLabel* m_tries;
    QLabel* m_error;
    QLineEdit* m_code;
    std::optional<Reply<visit::CodeBAnswer>> m_reply;
};

} // namespace zaitaku::app
