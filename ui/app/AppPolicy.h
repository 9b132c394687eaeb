#pragma once

// What the facility's administrator decides for every tablet, not the nurse (security review M5,
// L11; 医療情報システムの安全管理に関するガイドライン 6.0 expects the organisation to set the
// screen-lock policy): the longest idle time before the lock, and how fallback forms are printed.
// Read from /etc/zaitaku/policy.json, which must belong to root and be writable by no one else —
// a file the signed-in user could edit is no policy, and is ignored with the reason given.
//
//   {"max_auto_lock_minutes": 10,
//    "print_command": ["lp", "-d", "ward-2f", "-o", "job-sheets=none", "-t", "zaitaku"],
//    "printer_check": ["lpstat", "-v", "ward-2f"]}
//
// printer_check: a command whose output names the destination's device URI ("device for X: URI");
// printing is refused unless the URI is ipps:// or a local usb:// printer (forms carry names,
// insurer numbers and signatures; ipp://, socket:// and lpd:// cross the network in clear).

#include "ui/app/AppSettings.h"

#include <QString>
#include <QStringList>

namespace zaitaku::app
{

struct AppPolicy
{
    static constexpr const char* kDefaultPath = "/etc/zaitaku/policy.json";

    int maxAutoLockMinutes = kDefaultMaxAutoLockMinutes;
    QStringList printCommand = defaultPrintCommand();
    QStringList printerCheck; // empty: no check (a USB printer the administrator attached)

    // The defaults when the file is missing; the defaults with `problem` set when it is not
    // root's, is writable by others, or is malformed. `owner`: the uid it must belong to.
    static AppPolicy load(const QString& path, QString* problem, unsigned owner = 0);
};

// The settings as the policy allows them: the idle time clamped, the print command the policy's.
void applyPolicy(AppSettings& settings, const AppPolicy& policy);

// From a printer check's output: empty when the device URI may carry a form, else why not.
QString printerUriProblem(const QString& checkOutput);

// From cupsd.conf's text: true unless it says `PreserveJobFiles No` (CUPS keeps a printed job's
// file in its spool on disk, a day by default).
bool cupsKeepsJobFiles(const QString& cupsdConf);

} // namespace zaitaku::app
