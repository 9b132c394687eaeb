#!/usr/bin/env bash
# Card flows benchmark: builds the release preset, starts a private pcscd + vpcd + zaitaku-vcard
# (scripts/pcsc-sandbox.sh), runs tests/bench/card, stops what it started.
#   scripts/bench-card.sh [ITERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-20}
./scripts/setup.sh >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release --target card_bench zaitaku-vcard | grep -vE "^\[[0-9]+/[0-9]+\]" || true
state=$(mktemp -d /tmp/zaitaku-bench-XXXXXX)
trap './scripts/pcsc-sandbox.sh stop "$state"' EXIT
export ZAITAKU_VCARD=build/release/hardware/vcard/zaitaku-vcard
eval "export $(./scripts/pcsc-sandbox.sh start "$state")"
./scripts/pcsc-sandbox.sh vcard "$state" bench --persona valid --pki-dir "$state/pki" >/dev/null
build/release/tests/bench/card/card_bench "Virtual PCD 00 00" "$state/pki" "$iterations"
