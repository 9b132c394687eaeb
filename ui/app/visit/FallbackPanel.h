#pragma once

// F6, the fallback ladder: each way down in order, unavailable ones with the reason; the chosen
// form with the document's own fields (required ones marked), checked before it is recorded, and
// printed for the patient's signature (PrintSpool: no copy stays on the tablet).

#include "ui/app/VisitBridge.h"
#include "ui/app/visit/PrintSpool.h"

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
    explicit FallbackPanel(PrintJob printing, QWidget* parent = nullptr);
    void ask(const visit::FallbackPrompt& prompt,
             const QString& patient,
             const QString& today,
             Reply<visit::FallbackAnswer> reply);
    // The transcribed fields as JSON (tests read it back).
    std::string fieldsJson() const;

Q_SIGNALS:
    // A form with the patient's data went to the printer (the visit page audits it).
    void printed(zaitaku::model::FallbackKind kind);

private:
    void choose(model::FallbackKind kind);
    void record();
    void printPdf();
    void showFieldError(const visit::Error& error);

    PrintJob m_printing;
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
    std::map<std::string, std::string> m_suggested; // ①/② claim numbers from the newest result
    std::optional<base::Date> m_birthdate;          // the patient's, for the 70/75 limits
    std::optional<Reply<visit::FallbackAnswer>> m_reply;
};

} // namespace zaitaku::app
