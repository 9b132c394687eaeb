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

// How deep one input got: which card flows completed against the replayed responses.
struct Reached
{
    bool certificate = false;
    bool signature = false;
    bool photo = false;
};

// Runs every parser on `data`; returns normally unless an invariant breaks (then it aborts, which
// both libFuzzer and the GoogleTest driver report).
Reached runCardParsers(const std::uint8_t* data, std::size_t size);

// Replay format: a sequence of [big-endian u16 length][that many response bytes] (a READ BINARY
// chunk with its status word is 258 bytes, so one length byte is not enough).
std::vector<std::uint8_t> encodeReplay(const std::vector<std::vector<std::uint8_t>>& responses);

} // namespace zaitaku::fuzz
