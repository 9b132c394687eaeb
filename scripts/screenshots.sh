#!/usr/bin/env bash
# Refreshes docs/screenshots/: each main screen of the tablet app in Japanese, as `zaitaku --demo`
# shows it (the demo stack on loopback, the in-process virtual card), rendered offscreen by the
# ui_app_screenshots test program.
#   scripts/screenshots.sh [DIR]     (default: docs/screenshots)
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-docs/screenshots}")"
./scripts/setup.sh >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release --target ui_app_screenshots | grep -vE "^\[[0-9]+/[0-9]+\]" || true
mkdir -p "$out"
rm -f "$out"/[0-9][0-9]-*.png
QT_QPA_PLATFORM=offscreen ZAITAKU_SCREENSHOT_DIR="$out" build/release/tests/ui_app_screenshots
ls "$out"
