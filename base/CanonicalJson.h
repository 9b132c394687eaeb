#pragma once

// The one byte form a record is hashed and signed in: JSON with keys sorted, no insignificant
// whitespace, UTF-8 kept as is (nlohmann's object map is ordered by key).

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace zaitaku::base
{

std::string canonicalJson(const nlohmann::json& value);

} // namespace zaitaku::base
