#!/usr/bin/env bash
# Store benchmark: builds the release preset and runs tests/bench/store (SQLCipher vs stock SQLite
# on the store's own workload, in one process, plus the unlock time).
#   scripts/bench-store.sh [VISITS] [PATIENTS] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release --target store_bench | grep -vE "^\[[0-9]+/[0-9]+\]" || true
build/release/tests/bench/store/store_bench "$@"
