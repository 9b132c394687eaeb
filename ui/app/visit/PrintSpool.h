#pragma once

// Prints a document that holds a patient's personal data without leaving it on disk: the bytes go
// to a 0600 file (O_EXCL|O_NOFOLLOW) in a private 0700 folder on a tmpfs ($XDG_RUNTIME_DIR, else
// /dev/shm), the print command (CUPS `lp` by default) is given that file, and the file is deleted
// when the command returns — also when it fails or times out. Never ~/Documents at 0644.

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <chrono>

namespace zaitaku::app
{

struct PrintJob
{
    QStringList command{QStringLiteral("lp")}; // the file's path is appended
    std::chrono::milliseconds timeout{30000};
    // Run first when set: its output must name an ipps:// or usb:// device (printerUriProblem).
    QStringList printerCheck;
};

// The private spool folder (created 0700, refused when it is a link, another user's or not 0700);
// empty with `problem` set when there is none.
QString privateSpoolDir(QString* problem);

// True when the command took the file and exited 0; `problem` says why not.
bool printPrivately(const QByteArray& document, const PrintJob& job, QString* problem);

} // namespace zaitaku::app
