#include "base/BaseError.h"

namespace zaitaku::base
{

std::string_view toString(Errc code)
{
    switch (code) {
    case Errc::InvalidFormat:
        return "invalid_format";
    case Errc::ImpossibleDate:
        return "impossible_date";
    case Errc::OutOfRange:
        return "out_of_range";
    case Errc::UnknownCode:
        return "unknown_code";
    case Errc::FileIo:
        return "file_io";
    case Errc::DiskFull:
        return "disk_full";
    case Errc::ReadOnly:
        return "read_only";
    case Errc::FileNotFound:
        return "file_not_found";
    case Errc::FileRefused:
        return "file_refused";
    }
    return "unknown";
}

} // namespace zaitaku::base
