#!/usr/bin/env bash
# Face benchmark: builds the release preset, fetches the sample photos and runs tests/bench/face
# (median latency per stage, the whole one-frame decision against "networks only", the multi-frame
# decision; TAR at FAR 1% / 0.1% when given --pairs FILE --images DIR in LFW's layout).
#   scripts/bench-face.sh [--runs N] [--pairs FILE --images DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release --target face_bench | grep -vE "^\[[0-9]+/[0-9]+\]" || true
samples="build/release/face-samples"
tests/scripts/fetch-face-samples.sh "$samples" >/dev/null
build/release/tests/bench/face/face_bench --samples "$samples" "$@"
