#pragma once

// A fallback form as a printable A4 PDF for the patient's signature: the document's own field
// labels with what staff transcribed (blank lines where nothing was), the date, and signature
// lines (the 被保険者資格申立書 needs the patient's). Rendered in memory with Qt's PDF writer; it
// reaches a printer through PrintSpool, never a file of its own.

#include "verify/model/FallbackEvidence.h"

#include <QByteArray>
#include <QString>
#include <utility>
#include <vector>

namespace zaitaku::app
{

struct FallbackPrintout
{
    model::FallbackKind kind = model::FallbackKind::Moushitatesho;
    QString patient;
    QString date;
    std::vector<std::pair<QString, QString>> fields; // label, value
};

QByteArray renderFallbackPdf(const FallbackPrintout& form);

} // namespace zaitaku::app
