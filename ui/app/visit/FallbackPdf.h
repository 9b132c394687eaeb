#pragma once

// A fallback form as a printable A4 PDF for the patient's signature: the document's own field
// labels with what staff transcribed (blank lines where nothing was), the date, and signature
// lines (the 被保険者資格申立書 needs the patient's, or the person writing for them). The 申立書
// carries the seed's own words (seed 003, 別紙様式 and 説明書): the declaration, the promise that
// the data serve the claim only and are discarded once it is done, and what the patient is asked
// to do afterwards; the clinic's claim-number rows (①/②) are not printed on the patient's form.
// Laid out as lines first (fallbackSheet, what tests read), then rendered in memory with Qt's PDF
// writer; it reaches a printer through PrintSpool, never a file of its own.

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

struct SheetLine
{
    enum class Style
    {
        Title,
        Paragraph, // wrapped text
        Field,     // label and value on a ruled line
        Signature, // label and an empty ruled line
    };
    Style style = Style::Paragraph;
    QString label;
    QString value;
};

std::vector<SheetLine> fallbackSheet(const FallbackPrintout& form);
QByteArray renderFallbackPdf(const FallbackPrintout& form);

} // namespace zaitaku::app
