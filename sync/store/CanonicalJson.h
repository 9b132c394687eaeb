#pragma once

// The one byte form a record is hashed and signed in: JSON with keys sorted, no insignificant
// whitespace, UTF-8 kept as is (nlohmann's object map is ordered by key).

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace zaitaku::sync::store
{

std::string canonicalJson(const nlohmann::json& value);
// Lower-case hex SHA-256 of the bytes.
std::string sha256Hex(std::string_view bytes);

} // namespace zaitaku::sync::store
