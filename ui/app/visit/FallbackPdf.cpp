#include "ui/app/visit/FallbackPdf.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFont>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>

namespace zaitaku::app
{

namespace
{

bool clinicOnly(const QString& label)
{
    // ① current / ② former claim numbers: the clinic's order of claims (seed 003 ①→②→③), not the patient's.
    return label.startsWith(QStringLiteral("①")) || label.startsWith(QStringLiteral("②"));
}

} // namespace

std::vector<SheetLine> fallbackSheet(const FallbackPrintout& form)
{
    using S = SheetLine::Style;
    const bool moushitatesho = form.kind == model::FallbackKind::Moushitatesho;
    std::vector<SheetLine> lines;
    lines.push_back({S::Title, QString::fromStdString(std::string(base::labelOf(form.kind))), {}});
    if (moushitatesho) {
        // Seed 003, 別紙様式: the declaration and the use-and-discard promise, word for word.
        lines.push_back({S::Paragraph,
                         QCoreApplication::translate(
                             "FallbackPdf",
                             "有効な保険資格を有しており、医療保険等の被保険者資格について、下記の通り申し立てます。"),
                         {}});
        lines.push_back(
            {S::Paragraph,
             QCoreApplication::translate(
                 "FallbackPdf",
                 "本申立書に記入いただいた情報は、医療機関等の診療報酬請求等に必要範囲でのみ使用し、診療報酬請求等の"
                 "請求・支払等に係る必要な事務を終えた段階で、速やかに廃棄します。"),
             {}});
    }
    lines.push_back({S::Paragraph,
                     QCoreApplication::translate("FallbackPdf", "患者: %1　　記入日: %2").arg(form.patient, form.date),
                     {}});
    for (const auto& [label, value] : form.fields) {
        if (moushitatesho && clinicOnly(label)) {
            continue;
        }
        lines.push_back({S::Field, label, value});
    }
    lines.push_back({S::Signature,
                     moushitatesho
                         ? QCoreApplication::translate(
                               "FallbackPdf", "申立人署名（ご本人、または代筆の方：患者との関係もご記入ください）")
                         : QCoreApplication::translate("FallbackPdf", "確認した職員 署名"),
                     {}});
    lines.push_back({S::Signature, QCoreApplication::translate("FallbackPdf", "日付"), {}});
    if (moushitatesho) {
        // Seed 003, 説明書 and ※2.
        lines.push_back(
            {S::Paragraph,
             QCoreApplication::translate(
                 "FallbackPdf",
                 "※ 被保険者番号等の情報（保険証のコピーや写真を含む。）がわかり次第、必ず受診された医療機関等に"
                 "お伝えください。"),
             {}});
        lines.push_back(
            {S::Paragraph,
             QCoreApplication::translate(
                 "FallbackPdf",
                 "※ 本申立書により、3割負担（未就学児は2割負担。70歳以上等の方は1～3割）で自己負担額を計算します。"
                 "ご記入いただいた一部負担金の割合が実際と異なっていた場合、後日、保険者から差額を請求等させて"
                 "いただく場合があります。"),
             {}});
    }
    return lines;
}

QByteArray renderFallbackPdf(const FallbackPrintout& form)
{
    using S = SheetLine::Style;
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter pdf(&buffer);
        pdf.setPageSize(QPageSize(QPageSize::A4));
        pdf.setResolution(300);
        pdf.setTitle(QString::fromStdString(std::string(base::labelOf(form.kind))));
        pdf.setCreator(QStringLiteral("zaitaku"));
        QPainter painter(&pdf);
        const int width = pdf.width();
        const int margin = 150;
        const QFont title(QStringLiteral("Noto Sans CJK JP"), 18, QFont::Bold);
        const QFont body(QStringLiteral("Noto Sans CJK JP"), 11);
        const QFont small(QStringLiteral("Noto Sans CJK JP"), 9);
        int y = margin;
        for (const auto& line : fallbackSheet(form)) {
            switch (line.style) {
            case S::Title:
                painter.setFont(title);
                painter.drawText(QRect(margin, y, width - 2 * margin, 140), Qt::AlignCenter, line.label);
                y += 220;
                break;
            case S::Paragraph: {
                painter.setFont(line.label.startsWith(QStringLiteral("※")) ? small : body);
                const QRect area(margin, y, width - 2 * margin, 2000);
                const QRect used = painter.boundingRect(area, Qt::TextWordWrap, line.label);
                painter.drawText(area, Qt::TextWordWrap, line.label);
                y += used.height() + 60;
                break;
            }
            case S::Field:
                painter.setFont(body);
                painter.drawText(QRect(margin, y, 900, 100), Qt::AlignLeft | Qt::AlignVCenter, line.label);
                painter.drawText(QRect(margin + 950, y, width - 2 * margin - 950, 100),
                                 Qt::AlignLeft | Qt::AlignVCenter, line.value);
                painter.drawLine(margin + 950, y + 100, width - margin, y + 100);
                y += 130;
                break;
            case S::Signature:
                painter.setFont(body);
                y += 80;
                painter.drawText(QRect(margin, y, 900, 200), Qt::AlignLeft | Qt::TextWordWrap, line.label);
                painter.drawLine(margin + 950, y + 100, width - margin, y + 100);
                y += 220;
                break;
            }
        }
        painter.end();
    }
    return bytes;
}

} // namespace zaitaku::app
