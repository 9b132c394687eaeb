#include "sync/store/Quarantine.h"

#include "base/AtomicFile.h"
#include "sync/sql/SqlTime.h"
#include "sync/store/KeyFile.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace zaitaku::sync::store
{

namespace
{

std::string compactUtc(const base::Timestamp& now)
{
    std::string text = sql::utcText(now); // 2026-11-21T01:02:03Z or +00:00
    std::string out;
    for (const char c : text.substr(0, 19)) {
        if (c != '-' && c != ':') {
            out += c;
        }
    }
    return out + "Z";
}

} // namespace

Expected<std::string, Error> quarantineStore(const std::string& databasePath, const base::Timestamp& now)
{
    std::string target = databasePath + ".quarantine-" + compactUtc(now);
    for (int n = 2; base::fileExists(target) || base::fileExists(keyFilePathFor(target)); ++n) {
        target = databasePath + ".quarantine-" + compactUtc(now) + "-" + std::to_string(n);
    }
    if (std::rename(databasePath.c_str(), target.c_str()) != 0) {
        return Unexpected(Error{Errc::StoreIo, "cannot quarantine " + databasePath + ": " + std::strerror(errno)});
    }
    // The companions follow; a missing one is normal (no WAL after a clean close).
    for (const char* suffix : {"-wal", "-shm"}) {
        (void)std::rename((databasePath + suffix).c_str(), (target + suffix).c_str());
    }
    (void)std::rename(keyFilePathFor(databasePath).c_str(), keyFilePathFor(target).c_str());
    return target;
}

} // namespace zaitaku::sync::store
