#pragma once

// The card-side parsers under attack: one fuzz input drives the APDU, TLV and certificate parsers,
// the 個人番号 firewall, and whole My Number Card flows against a replay reader whose responses
// are cut from the input (OpenSC's fuzzer_reader pattern). Used by libFuzzer (clang) and by the
// corpus-driven GoogleTest (every CI run).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace zaitaku::fuzz
{

// Runs every parser on `data`; returns normally unless an invariant breaks (then it aborts, which
// both libFuzzer and the GoogleTest driver report).
void runCardParsers(const std::uint8_t* data, std::size_t size);

// Replay format: a sequence of [length byte][that many response bytes].
std::vector<std::uint8_t> encodeReplay(const std::vector<std::vector<std::uint8_t>>& responses);

} // namespace zaitaku::fuzz
