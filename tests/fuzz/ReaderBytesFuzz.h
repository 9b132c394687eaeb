#pragma once

// What the contactless reader and the card hand the tablet, under attack (issue 34): RC-S380
// USB frames, ISO 14443-4 blocks, the chip's command responses, Type B answers to REQB, and a
// card photo's bytes (its declared size is checked before any decoding: security review L7).
// Used by libFuzzer (clang, scripts/fuzz.sh reader_bytes) and the corpus-driven GoogleTest.

#include <cstddef>
#include <cstdint>

namespace zaitaku::fuzz
{

// Aborts when an invariant breaks: an error without a message, a frame or block that does not
// survive its own encoding, a decoded photo larger than the size limit.
void runReaderBytes(const std::uint8_t* data, std::size_t size);

} // namespace zaitaku::fuzz
