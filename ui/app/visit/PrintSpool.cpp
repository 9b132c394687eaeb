#include "ui/app/visit/PrintSpool.h"

#include "ui/app/AppPolicy.h"

#include <QProcess>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace zaitaku::app
{

namespace
{

bool ownedPrivateDir(const QByteArray& path)
{
    struct stat st
    {};
    return ::lstat(path.constData(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::geteuid() &&
           (st.st_mode & 077) == 0;
}

} // namespace

QString privateSpoolDir(QString* problem)
{
    const QByteArray runtime = qgetenv("XDG_RUNTIME_DIR");
    const QByteArray base = !runtime.isEmpty() && ownedPrivateDir(runtime)
                                ? runtime + "/zaitaku-print"
                                : QByteArray("/dev/shm/zaitaku-print-") + QByteArray::number(::geteuid());
    if (::mkdir(base.constData(), 0700) != 0 && errno != EEXIST) {
        *problem = QStringLiteral("cannot create %1: %2")
                       .arg(QString::fromLocal8Bit(base), QString::fromLocal8Bit(std::strerror(errno)));
        return {};
    }
    if (!ownedPrivateDir(base)) {
        *problem = QStringLiteral("%1 is not a private folder of this user (0700)").arg(QString::fromLocal8Bit(base));
        return {};
    }
    return QString::fromLocal8Bit(base);
}

bool printPrivately(const QByteArray& document, const PrintJob& job, QString* problem)
{
    if (job.command.isEmpty()) {
        *problem = QStringLiteral("no print command is set");
        return false;
    }
    if (!job.printerCheck.isEmpty()) {
        // Security review M5: a form (name, insurer numbers, signature) never crosses the network in clear.
        QProcess check;
        check.start(job.printerCheck.front(), job.printerCheck.mid(1));
        if (!check.waitForFinished(static_cast<int>(job.timeout.count())) || check.exitCode() != 0) {
            check.kill();
            *problem = QStringLiteral("the printer check (%1) failed").arg(job.printerCheck.join(QLatin1Char(' ')));
            return false;
        }
        if (const QString refused = printerUriProblem(QString::fromLocal8Bit(check.readAllStandardOutput()));
            !refused.isEmpty()) {
            *problem = refused;
            return false;
        }
    }
    const QString dir = privateSpoolDir(problem);
    if (dir.isEmpty()) {
        return false;
    }
    QByteArray path;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        path = (dir + QStringLiteral("/form-%1-%2.pdf").arg(::getpid()).arg(attempt)).toLocal8Bit();
        fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST) {
            break;
        }
    }
    if (fd < 0) {
        *problem = QStringLiteral("cannot create the print file: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    qsizetype written = 0;
    while (written < document.size()) {
        const ssize_t n =
            ::write(fd, document.constData() + written, static_cast<std::size_t>(document.size() - written));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        written += n;
    }
    ::close(fd);
    bool printed = false;
    if (written != document.size()) {
        *problem = QStringLiteral("cannot write the print file");
    } else {
        QProcess process;
        QStringList arguments = job.command.mid(1);
        arguments << QString::fromLocal8Bit(path);
        process.start(job.command.front(), arguments);
        if (!process.waitForStarted(static_cast<int>(job.timeout.count()))) {
            *problem = QStringLiteral("%1 did not start: %2").arg(job.command.front(), process.errorString());
        } else if (!process.waitForFinished(static_cast<int>(job.timeout.count()))) {
            process.kill();
            process.waitForFinished(1000);
            *problem = QStringLiteral("%1 did not finish in time").arg(job.command.front());
        } else if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
            *problem = QStringLiteral("%1 failed: %2")
                           .arg(job.command.front(), QString::fromLocal8Bit(process.readAllStandardError()).trimmed());
        } else {
            printed = true;
        }
    }
    ::unlink(path.constData()); // printed or not, the form does not stay behind
    return printed;
}

} // namespace zaitaku::app
