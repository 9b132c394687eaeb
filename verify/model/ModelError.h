#pragma once

#include "verify/model/Error.h"

#include <string_view>

namespace zaitaku::model
{

// Errors of the shared vocabulary: parsing and validating values.
enum class Errc
{
    InvalidFormat,  // text does not have the expected shape (e.g. not YYYY-MM-DD)
    ImpossibleDate, // well-formed but not a calendar date (e.g. 2025-02-30)
    OutOfRange,     // outside the supported range (years 1868..2199)
    UnknownCode,    // a code value that no source defines
};

std::string_view toString(Errc code);

using Error = BasicError<Errc>;

} // namespace zaitaku::model
