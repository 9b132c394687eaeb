#!/usr/bin/env bash
# RC-S380 driver benchmark: builds the release preset and runs tests/bench/rcs380 (the card flows
# over the in-process emulator baseline, the driver in memory, and the driver on libusb against
# an emulated RC-S380 on a umockdev USB bus).
#   scripts/bench-rcs380.sh [ITERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-50}
./scripts/setup.sh >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release --target rcs380_bench | grep -vE "^\[[0-9]+/[0-9]+\]" || true
pki=$(mktemp -d /tmp/zaitaku-bench-pki-XXXXXX)
trap 'rm -rf "$pki"' EXIT
build/release/tests/bench/rcs380/rcs380_bench "$pki" "$iterations"
