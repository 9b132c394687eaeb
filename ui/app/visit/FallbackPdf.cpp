#include "ui/app/visit/FallbackPdf.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFont>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>

namespace zaitaku::app
{

QByteArray renderFallbackPdf(const FallbackPrintout& form)
{
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
        int y = margin;
        QFont title(QStringLiteral("Noto Sans CJK JP"), 18, QFont::Bold);
        painter.setFont(title);
        painter.drawText(QRect(margin, y, width - 2 * margin, 140), Qt::AlignCenter,
                         QString::fromStdString(std::string(base::labelOf(form.kind))));
        y += 220;
        QFont body(QStringLiteral("Noto Sans CJK JP"), 11);
        painter.setFont(body);
        painter.drawText(
            margin, y,
            QCoreApplication::translate("FallbackPdf", "患者: %1　　記入日: %2").arg(form.patient, form.date));
        y += 120;
        for (const auto& [label, value] : form.fields) {
            painter.drawText(QRect(margin, y, 900, 100), Qt::AlignLeft | Qt::AlignVCenter, label);
            painter.drawText(QRect(margin + 950, y, width - 2 * margin - 950, 100), Qt::AlignLeft | Qt::AlignVCenter,
                             value);
            painter.drawLine(margin + 950, y + 100, width - margin, y + 100);
            y += 130;
        }
        y += 150;
        const QString signers = form.kind == model::FallbackKind::Moushitatesho
                                    ? QCoreApplication::translate("FallbackPdf", "申立人（被保険者）署名")
                                    : QCoreApplication::translate("FallbackPdf", "確認した職員 署名");
        painter.drawText(margin, y, signers);
        painter.drawLine(margin + 950, y + 20, width - margin, y + 20);
        y += 200;
        painter.drawText(margin, y, QCoreApplication::translate("FallbackPdf", "日付"));
        painter.drawLine(margin + 950, y + 20, width - margin, y + 20);
        painter.end();
    }
    return bytes;
}

} // namespace zaitaku::app
