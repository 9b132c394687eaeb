#include "base/CanonicalJson.h"

#include <nlohmann/json.hpp>

namespace zaitaku::base
{

std::string canonicalJson(const nlohmann::json& value)
{
    // Invalid UTF-8 never reaches a hash: it is an error, not replaced silently.
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
}

} // namespace zaitaku::base
