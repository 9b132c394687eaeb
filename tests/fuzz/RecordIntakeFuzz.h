#pragma once

// The gateway's record intake and every wire parser under attack (issue 34). Structure-aware: the
// fuzz input is a script of edits (remove, retype, add a field) applied to a genuine visit
// payload, which is then sealed again with the sending tablet's key so the edits reach the checks
// behind the signature — the strict field readers and the visit's basis (store/RecordBasis) —
// instead of stopping at the hash. Plain parsers (tablet requests at the gateway, gateway
// answers at the tablet, enrollment codes, gateway.conf lines) get the raw bytes.
// Used by libFuzzer (clang, scripts/fuzz.sh) and by the corpus-driven GoogleTest (every CI run).

#include <cstddef>
#include <cstdint>

namespace zaitaku::fuzz
{

struct IntakeOutcome
{
    bool accepted = false; // the validator took the edited record
};

// Applies `data` as an edit script to the genuine payload, validates it as a record from the
// sending tablet, and aborts when an invariant breaks: a refusal that names no field, or an
// accepted visit that names another tablet or lacks its basis.
IntakeOutcome runRecordIntake(const std::uint8_t* data, std::size_t size);

// Every wire parser on `data`; aborts when one answers an error without a message.
void runWireParsers(const std::uint8_t* data, std::size_t size);

} // namespace zaitaku::fuzz
