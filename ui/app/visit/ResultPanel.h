#pragma once

// The end of a visit: recorded or not, how the person was verified, the consents, and the
// eligibility to act on: the cached result with its age or, with no result yet, "queued for
// confirmation"; warnings in words.

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
    QLabel* m_state;
    QLabel* m_identity;
    QLabel* m_eligibility;
    QLabel* m_consents;
    QLabel* m_warnings;
};

} // namespace zaitaku::app
