#pragma once

// The OQS XML codec under attack: one input goes through every parser (results, each request
// kind, the raw XML reader). Each must return a value or an error with a message; a crash,
// a sanitizer report or an empty error message aborts. Used by libFuzzer and the corpus test.

#include <cstddef>
#include <cstdint>

namespace zaitaku::fuzz
{

// Returns true when the result parser accepted the input.
bool runOqsParsers(const std::uint8_t* data, std::size_t size);

} // namespace zaitaku::fuzz
