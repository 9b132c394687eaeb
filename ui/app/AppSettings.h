#pragma once

// The tablet's settings, one small JSON file (default ~/.config/zaitaku/settings.json): which store,
// reader and camera, the language and the text size, who is signed in. Nothing secret is kept
// here: no passphrase, no PIN, no key.

#include <QString>
#include <QStringList>

namespace zaitaku::app
{

enum class TextSize
{
    Standard, // 16 pt: the floor for reading at arm's length
    Large,    // 20 pt
    Largest,  // 24 pt
};

// The administrator policy's defaults (AppPolicy), which the settings hold until it is applied:
// the longest idle lock a user may choose [I: our cap when no policy says otherwise], and CUPS's
// default printer with no banner page and a job title that names no patient.
inline constexpr int kDefaultMaxAutoLockMinutes = 15;
inline QStringList defaultPrintCommand()
{
    return {QStringLiteral("lp"), QStringLiteral("-o"), QStringLiteral("job-sheets=none"), QStringLiteral("-t"),
            QStringLiteral("zaitaku")};
}

struct AppSettings
{
    QString storePath;
    QString readerId;     // "pcsc:0", "rcs380:0"; empty: the first reader with a card
    QString cameraSource; // "camera:0" or a video/image file; empty: face verification off
    QString language = QStringLiteral("ja");
    TextSize textSize = TextSize::Standard;
    // Who is signed in: set at sign-in with the store, cleared when it locks, never saved. The
    // 目視 attestations, custody events and dead-letter retries carry it; no default identity.
    QString staffId;
    QString lastStaffId; // saved: the sign-in screen offers it again
    QString facilityId;
    int maxCheckoutHours = 8;
    int autoLockMinutes = 5; // idle time before the store is locked again (1–maxAutoLockMinutes)
    bool autoSync = true;    // issue 31: sync without a tap while signed in (AutoSync)
    // Set by the administrator's policy (AppPolicy), never read from or saved to this file: the
    // longest idle time a user may choose; the command fallback forms are printed with (a private
    // temporary file appended) and the check of the printer it reaches.
    int maxAutoLockMinutes = kDefaultMaxAutoLockMinutes;
    QStringList printCommand = defaultPrintCommand();
    QStringList printerCheck;

    static QString defaultPath();
    // A missing file gives the defaults; a malformed one too, with `problem` set for the screen.
    static AppSettings load(const QString& path, QString* problem = nullptr);
    bool save(const QString& path, QString* problem = nullptr) const;
    // Where the tablet's store is when the settings name none (~/.local/share/zaitaku/store.db).
    static QString defaultStorePath();
};

int pointSizeOf(TextSize size);

} // namespace zaitaku::app
