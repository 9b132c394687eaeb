#pragma once

// The end of a visit: recorded or not, how the person was verified, the consents, and the
// eligibility to act on: a revisit's own re-query answer or "re-query pending", a fallback's copay
// to ask, or a first visit queued for confirmation; a cached result only as the previous one, with
// its age; warnings in words.

#include "verify/visit/VisitEngine.h"

#include <QWidget>

class QLabel;

namespace zaitaku::app
{

class ResultPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ResultPanel(QWidget* parent = nullptr);
    void show(const visit::VisitOutcome& outcome, const base::Date& today);
    void showError(const QString& message);

Q_SIGNALS:
    void done();

private:
    QString eligibilityText(const visit::VisitOutcome& outcome, const base::Date& today) const;

    QLabel* m_state;
    QLabel* m_identity;
    QLabel* m_eligibility;
    QLabel* m_consents;
    QLabel* m_warnings;
};

} // namespace zaitaku::app
