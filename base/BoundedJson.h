#pragma once

// JSON parsing with a nesting cap. nlohmann's parser is iterative, but dump() and every
// recursive walk over a value (canonicalJson, the field readers) are not: a 200k-deep array from
// an enrolled tablet, a gateway or a file would overflow the stack. Every parse of text that
// came from outside the process goes through parseJson, which refuses nesting beyond the cap
// before a value is built.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>

namespace zaitaku::base
{

// Deeper than any document zaitaku writes (the deepest, a visit payload, nests 6 levels).
inline constexpr std::size_t kMaxJsonDepth = 32;

// True when no array/object in `text` nests deeper than `maxDepth` (brackets inside strings do
// not count). Says nothing about whether the text is valid JSON.
bool jsonNestingWithin(std::string_view text, std::size_t maxDepth = kMaxJsonDepth);

// The value, or a discarded value (is_discarded()) when the text is not JSON or nests deeper
// than `maxDepth`: the same contract as nlohmann::json::parse(text, nullptr, false).
nlohmann::json parseJson(std::string_view text, std::size_t maxDepth = kMaxJsonDepth);

} // namespace zaitaku::base
