#pragma once

// 目視確認: staff look at the patient and the card photo and attest who they are and why this
// method was used; or they record that the person does not match (the visit goes to the fallback
// ladder).

#include "ui/app/VisitBridge.h"

#include <QWidget>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;

namespace zaitaku::app
{

class VisualPanel : public QWidget
{
    Q_OBJECT
public:
    explicit VisualPanel(QWidget* parent = nullptr);
    void ask(const visit::VisualPrompt& prompt, const QString& staffId, Reply<visit::VisualAnswer> reply);

private:
    void answer(visit::VisualAnswer::Kind kind);

    QLabel* m_statement;
    QLineEdit* m_staff;
    QComboBox* m_reason;
    QLabel* m_error;
    std::optional<Reply<visit::VisualAnswer>> m_reply;
};

} // namespace zaitaku::app
