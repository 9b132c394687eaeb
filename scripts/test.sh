#!/usr/bin/env bash
# Sets up the machine (packages) and runs the whole test suite: build with the `ci` preset
# (sanitizers, warnings as errors), then CTest, which prints its summary.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
cmake --preset ci
cmake --build --preset ci
ctest --preset ci "$@"
