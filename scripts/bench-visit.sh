#!/usr/bin/env bash
# Visit benchmark: builds the release preset and runs tests/bench/visit (machine time of a first
# visit and a revisit, operator input excluded, against the store commit alone).
#   scripts/bench-visit.sh [VISITS]
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release --target visit_bench | grep -vE "^\[[0-9]+/[0-9]+\]" || true
build/release/tests/bench/visit/visit_bench "$@"
