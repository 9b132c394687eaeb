#!/usr/bin/env bash
# Gateway benchmark: builds the release preset and runs tests/bench/gateway (concurrent tablets on
# loopback over TLS + client certificates; pre-check and visit intake against a baseline route;
# the time to drain 10,000 queued visits).
#   scripts/bench-gateway.sh [CLIENTS] [SECONDS] [DRAIN_VISITS]
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release --target gateway_bench | grep -vE "^\[[0-9]+/[0-9]+\]" || true
build/release/tests/bench/gateway/gateway_bench "$@"
