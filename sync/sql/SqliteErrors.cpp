#include "sync/sql/SqliteErrors.h"

#include <cerrno>
#include <sqlite3.h>
#include <string>

namespace zaitaku::sync::sql
{

namespace
{

Errc classify(int code)
{
    switch (code & 0xff) {
    case SQLITE_FULL:
        return Errc::DiskFull;
    case SQLITE_READONLY:
        return Errc::StoreReadOnly;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return Errc::StoreBusy;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return Errc::StoreCorrupted;
    case SQLITE_CONSTRAINT:
        return Errc::StoreConstraint;
    default:
        break;
    }
    return Errc::StoreIo;
}

} // namespace

Error sqliteError(int extendedCode, std::string_view context, std::string_view sqliteMessage, int systemErrno)
{
    Errc code = classify(extendedCode);
    if (code == Errc::StoreIo) {
        if (systemErrno == ENOSPC || systemErrno == EDQUOT) {
            code = Errc::DiskFull;
        } else if (systemErrno == EROFS) {
            code = Errc::StoreReadOnly;
        }
    }
    std::string message(describe(code));
    message += " (";
    message += context;
    message += ": ";
    message += sqliteMessage;
    message += ", sqlite code " + std::to_string(extendedCode) + ")";
    return Error{code, message};
}

bool isCorruption(int extendedCode)
{
    const int primary = extendedCode & 0xff;
    return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

} // namespace zaitaku::sync::sql
