#!/usr/bin/env bash
# The tablet's kiosk user unit (packaging/tablet, issue 31) as systemd reads it: it parses, its
# command exists (pointed at the built app in a scratch copy; the package installs /usr/bin/zaitaku),
# it starts the app with --kiosk and restarts it after a crash but not after a manager's 終了.
#   check-tablet-kiosk-unit.sh APP_BINARY
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
binary="$1"
unit="$here/packaging/tablet/zaitaku-kiosk.service"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
sed "s|/usr/bin/zaitaku|$binary|" "$unit" >"$scratch/zaitaku-kiosk.service"
mkdir -m 0700 "$scratch/run"
XDG_RUNTIME_DIR="$scratch/run" systemd-analyze verify --man=no --user "$scratch/zaitaku-kiosk.service"
grep -qx 'ExecStart=/usr/bin/zaitaku --kiosk' "$unit"
grep -qx 'Restart=on-failure' "$unit"
grep -qx 'WantedBy=graphical-session.target' "$unit"
echo "ok: kiosk unit verifies, --kiosk, restarts on failure"
