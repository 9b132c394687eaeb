#pragma once

// The base library's error codes; a library above converts them into its own (sync::fromBase).

#include "base/Error.h"

#include <string_view>

namespace zaitaku::base
{

// Errors of the base library: parsing values, and the files it writes and reads.
enum class Errc
{
    InvalidFormat,  // text does not have the expected shape (e.g. not YYYY-MM-DD, not hex)
    ImpossibleDate, // well-formed but not a calendar date (e.g. 2025-02-30)
    OutOfRange,     // outside the supported range (years 1868..2199)
    UnknownCode,    // a code value that no source defines
    FileIo,         // a file could not be read or written (any other cause)
    DiskFull,       // ENOSPC / EDQUOT
    ReadOnly,       // read-only medium, or no permission to write
    FileNotFound,   // ENOENT
    FileRefused,    // a symbolic link, not a regular file, too large, or a secret others may read
};

std::string_view toString(Errc code);

using Error = BasicError<Errc>;

} // namespace zaitaku::base
