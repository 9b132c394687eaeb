#include "ui/app/Dialogs.h"

#include <QDir>
#include <QFileDialog>
#include <QMessageBox>
#include <QStandardPaths>

namespace zaitaku::app
{

bool QtDialogs::confirm(QWidget* parent, const QString& title, const QString& text)
{
    return QMessageBox::question(parent, title, text, QMessageBox::Yes | QMessageBox::No, QMessageBox::No) ==
           QMessageBox::Yes;
}

void QtDialogs::inform(QWidget* parent, const QString& title, const QString& text)
{
    QMessageBox::information(parent, title, text);
}

QString QtDialogs::savePdfPath(QWidget* parent, const QString& suggestedName)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return QFileDialog::getSaveFileName(parent, QObject::tr("PDFを保存"), QDir(dir).filePath(suggestedName),
                                        QStringLiteral("PDF (*.pdf)"));
}

} // namespace zaitaku::app
