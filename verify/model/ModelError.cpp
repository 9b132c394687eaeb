#include "verify/model/ModelError.h"

namespace zaitaku::model
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
    }
    return "unknown";
}

} // namespace zaitaku::model
