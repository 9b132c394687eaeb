#include "ui/app/AppSettings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace zaitaku::app
{

QString AppSettings::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/zaitaku/settings.json");
}

QString AppSettings::defaultStorePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/zaitaku/store.db");
}

AppSettings AppSettings::load(const QString& path, QString* problem)
{
    AppSettings settings;
    QFile file(path);
    if (!file.exists()) {
        return settings;
    }
    if (!file.open(QIODevice::ReadOnly) || file.size() > 64 * 1024) {
        if (problem) {
            *problem = QStringLiteral("cannot read %1").arg(path);
        }
        return settings;
    }
    QJsonParseError error{};
    const auto doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        if (problem) {
            *problem =
                QStringLiteral("%1 is not a settings file (%2); defaults are used").arg(path, error.errorString());
        }
        return settings;
    }
    const auto o = doc.object();
    settings.storePath = o.value("store").toString();
    settings.readerId = o.value("reader").toString();
    settings.cameraSource = o.value("camera").toString();
    settings.language = o.value("language").toString() == QLatin1String("en") ? "en" : "ja";
    const int size = o.value("text_size").toInt(0);
    settings.textSize = size == 2 ? TextSize::Largest : size == 1 ? TextSize::Large : TextSize::Standard;
    settings.lastStaffId = o.value("last_staff").toString();
    settings.autoLockMinutes = qBound(1, o.value("auto_lock_minutes").toInt(5), 60);
    settings.facilityId = o.value("facility").toString();
    settings.maxCheckoutHours = qBound(1, o.value("max_checkout_hours").toInt(8), 72);
    settings.autoSync = o.value("auto_sync").toBool(true);
    return settings;
}

bool AppSettings::save(const QString& path, QString* problem) const
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QJsonObject o{{"store", storePath},
                  {"reader", readerId},
                  {"camera", cameraSource},
                  {"language", language},
                  {"text_size", static_cast<int>(textSize)},
                  {"last_staff", lastStaffId},
                  {"auto_lock_minutes", autoLockMinutes},
                  {"facility", facilityId},
                  {"max_checkout_hours", maxCheckoutHours},
                  {"auto_sync", autoSync}};
    QSaveFile file(path); // written beside and renamed: a crash never leaves half a file
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(o).toJson()) < 0 || !file.commit()) {
        if (problem) {
            *problem = file.errorString();
        }
        return false;
    }
    return true;
}

int pointSizeOf(TextSize size)
{
    switch (size) {
    case TextSize::Large:
        return 20;
    case TextSize::Largest:
        return 24;
    case TextSize::Standard:
        break;
    }
    return 16;
}

} // namespace zaitaku::app
