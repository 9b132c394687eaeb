#!/usr/bin/env bash
# OQS benchmark: builds the release preset and runs tests/bench/oqs (a route pre-check of N
# patients through the gateway, its folder bridge and the simulated 資格確認端末, against the cached
# pre-check as the baseline; the bulk XML codec alone).
#   scripts/bench-oqs.sh [PATIENTS] [ROUNDS] [TERMINAL_POLL_MS]
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release --target oqs_bench | grep -vE "^\[[0-9]+/[0-9]+\]" || true
build/release/tests/bench/oqs/oqs_bench "$@"
