#!/usr/bin/env bash
# Sets up the machine (packages), builds the release preset and runs the main job: the embedded
# demo (`zaitaku-cli demo`).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target zaitaku-cli
exec ./build/release/ui/cli/zaitaku-cli demo "$@"
