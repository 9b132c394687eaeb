#pragma once

// F6, the fallback ladder: each way down in order, unavailable ones with the reason; the chosen
// form with the document's own fields (required ones marked), checked before it is recorded, and
// printable as a PDF for the patient's signature.

#include "ui/app/Dialogs.h"
#include "ui/app/VisitBridge.h"

#include <QWidget>
#include <map>
#include <optional>

class QFormLayout;
class QLabel;
class QStackedWidget;
class QVBoxLayout;
class QWidget;

namespace zaitaku::app
{

class FallbackPanel : public QWidget
{
    Q_OBJECT
public:
    FallbackPanel(Dialogs& dialogs, QWidget* parent = nullptr);
    void ask(const visit::FallbackPrompt& prompt,
             const QString& patient,
             const QString& today,
             Reply<visit::FallbackAnswer> reply);
    // The transcribed fields as JSON (tests read it back).
    std::string fieldsJson() const;

private:
    void choose(model::FallbackKind kind);
    void record();
    void printPdf();
    void showFieldError(const visit::Error& error);

    Dialogs& m_dialogs;
    QStackedWidget* m_stages;
    QLabel* m_reason;
    QVBoxLayout* m_ladder;
    QLabel* m_formTitle;
    QFormLayout* m_form;
    QLabel* m_error;
    std::map<std::string, QWidget*> m_inputs;
    std::optional<model::FallbackKind> m_kind;
    QString m_patient;
    QString m_today;
    std::optional<Reply<visit::FallbackAnswer>> m_reply;
};

} // namespace zaitaku::app
