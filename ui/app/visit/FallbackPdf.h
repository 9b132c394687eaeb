#pragma once

// A fallback form as a printable A4 PDF for the patient's signature: the document's own field
// labels with what staff transcribed (blank lines where nothing was), the date, and signature
// lines (the 被保険者資格申立書 needs the patient's). Written with Qt's PDF writer, atomically.

#include "verify/model/FallbackEvidence.h"

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

bool writeFallbackPdf(const QString& path, const FallbackPrintout& form, QString* problem);

} // namespace zaitaku::app
