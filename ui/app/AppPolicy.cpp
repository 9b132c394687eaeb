#include "ui/app/AppPolicy.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <sys/stat.h>

namespace zaitaku::app
{

namespace
{

QStringList stringList(const QJsonValue& value)
{
    QStringList out;
    for (const auto& item : value.toArray()) {
        if (!item.isString() || item.toString().isEmpty()) {
            return {};
        }
        out << item.toString();
    }
    return out;
}

} // namespace

AppPolicy AppPolicy::load(const QString& path, QString* problem, unsigned owner)
{
    AppPolicy policy;
    const QByteArray native = QFile::encodeName(path);
    struct stat st
    {};
    if (::lstat(native.constData(), &st) != 0) {
        return policy; // no policy file: the defaults
    }
    const auto refuse = [&](const QString& why) {
        if (problem) {
            *problem = QStringLiteral("%1 is ignored: %2").arg(path, why);
        }
        return AppPolicy{};
    };
    if (!S_ISREG(st.st_mode)) {
        return refuse(QStringLiteral("not a regular file"));
    }
    if (st.st_uid != owner || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        return refuse(QStringLiteral("it must belong to root and be writable by no one else (chown root; chmod 644)"));
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() > 64 * 1024) {
        return refuse(QStringLiteral("cannot be read"));
    }
    QJsonParseError error{};
    const auto doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        return refuse(QStringLiteral("not JSON (%1)").arg(error.errorString()));
    }
    const auto o = doc.object();
    if (o.contains("max_auto_lock_minutes")) {
        const int minutes = o.value("max_auto_lock_minutes").toInt(0);
        if (minutes < 1 || minutes > 60) {
            return refuse(QStringLiteral("max_auto_lock_minutes must be 1–60"));
        }
        policy.maxAutoLockMinutes = minutes;
    }
    if (o.contains("print_command")) {
        policy.printCommand = stringList(o.value("print_command"));
        if (policy.printCommand.isEmpty()) {
            return refuse(QStringLiteral("print_command must be a list of words"));
        }
    }
    if (o.contains("printer_check")) {
        policy.printerCheck = stringList(o.value("printer_check"));
        if (policy.printerCheck.isEmpty()) {
            return refuse(QStringLiteral("printer_check must be a list of words"));
        }
    }
    return policy;
}

void applyPolicy(AppSettings& settings, const AppPolicy& policy)
{
    settings.maxAutoLockMinutes = policy.maxAutoLockMinutes;
    settings.autoLockMinutes = qBound(1, settings.autoLockMinutes, policy.maxAutoLockMinutes);
    settings.printCommand = policy.printCommand;
    settings.printerCheck = policy.printerCheck;
}

QString printerUriProblem(const QString& checkOutput)
{
    static const QRegularExpression uri(QStringLiteral("device for [^:]+:\\s*([a-zA-Z][a-zA-Z0-9+.-]*):(\\S*)"));
    const auto match = uri.match(checkOutput);
    if (!match.hasMatch()) {
        return QStringLiteral("the printer check names no device URI");
    }
    const QString scheme = match.captured(1).toLower();
    if (scheme == QLatin1String("ipps") || scheme == QLatin1String("usb")) {
        return {};
    }
    return QStringLiteral("the printer is reached by %1:, which sends the form in clear; use ipps:// or USB")
        .arg(scheme);
}

bool cupsKeepsJobFiles(const QString& cupsdConf)
{
    static const QRegularExpression line(QStringLiteral("^\\s*PreserveJobFiles\\s+(\\S+)"),
                                         QRegularExpression::MultilineOption |
                                             QRegularExpression::CaseInsensitiveOption);
    bool keeps = true; // CUPS's default: a day ("PreserveJobFiles 86400")
    for (auto it = line.globalMatch(cupsdConf); it.hasNext();) {
        const QString value = it.next().captured(1).toLower();
        keeps = value != QLatin1String("no") && value != QLatin1String("off") && value != QLatin1String("false");
    }
    return keeps;
}

} // namespace zaitaku::app
