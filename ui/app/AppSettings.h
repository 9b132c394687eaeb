#pragma once

// The tablet's settings, one small JSON file (default ~/.config/zaitaku/settings.json): which store,
// reader and camera, the language and the text size, who is signed in. Nothing secret is kept
// here: no passphrase, no PIN, no key.

#include <QString>

namespace zaitaku::app
{

enum class TextSize
{
    Standard, // 16 pt: the floor for reading at arm's length
    Large,    // 20 pt
    Largest,  // 24 pt
};

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
    int autoLockMinutes = 5; // idle time before the store is locked again (1–60)
    // Fallback forms go to this command with a private temporary file appended (CUPS `lp`).
    QString printCommand = QStringLiteral("lp");

    static QString defaultPath();
    // A missing file gives the defaults; a malformed one too, with `problem` set for the screen.
    static AppSettings load(const QString& path, QString* problem = nullptr);
    bool save(const QString& path, QString* problem = nullptr) const;
};

int pointSizeOf(TextSize size);

} // namespace zaitaku::app
