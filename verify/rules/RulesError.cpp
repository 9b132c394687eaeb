#include "verify/rules/RulesError.h"

#include <string>

namespace zaitaku::rules
{

Error dateOrderError(std::string_view laterField,
                     std::string_view later,
                     std::string_view earlierField,
                     std::string_view earlier)
{
    return Error{Errc::DateOrder,
                 "'" + std::string(laterField) + "' (" + std::string(later) + ") is before '" +
                     std::string(earlierField) + "' (" + std::string(earlier) + ")",
                 std::string(laterField)};
}

} // namespace zaitaku::rules
