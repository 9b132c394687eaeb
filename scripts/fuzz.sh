#!/usr/bin/env bash
# Open-ended fuzzing of the card parsers with libFuzzer (clang). CI runs the same target over a
# deterministic 100k-case corpus instead (ctest -L fuzz).
#   scripts/fuzz.sh [SECONDS]     default 60; findings land in build/fuzz/findings/
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
./scripts/setup.sh >/dev/null
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
mkdir -p build/fuzz/corpus build/fuzz/findings
exec build/fuzz/tests/card_parsers_fuzzer -max_total_time="$seconds" -max_len=4096 \
    -artifact_prefix=build/fuzz/findings/ build/fuzz/corpus
