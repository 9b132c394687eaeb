#!/usr/bin/env bash
# Sets up the machine (packages), builds the release preset and runs the main job: the embedded
# demo. As root it first starts a private pcscd + vpcd with zaitaku-vcard (scripts/pcsc-sandbox.sh)
# so the demo reads the virtual My Number Card through the real PC/SC stack; it stops what it
# started when the demo ends.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target zaitaku-cli zaitaku-vcard zaitaku
cli=build/release/ui/cli/zaitaku-cli
app=build/release/ui/app/zaitaku
# With a display the demo opens the tablet app (zaitaku --demo) on the prepared route; without
# one, or with --cli, it runs the same visits headless and prints them.

if [[ ${EUID:-$(id -u)} -ne 0 ]]; then
    echo "(not root: the virtual card needs network namespaces, so this demo runs without it;" \
        "run it as root for the card at the door)" >&2
    if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" && "${1:-}" != "--cli" ]]; then
        exec "$app" --demo
    fi
    [[ "${1:-}" == "--cli" ]] && shift
    exec "$cli" demo "$@"
fi

state=$(mktemp -d /tmp/zaitaku-demo-XXXXXX)
trap './scripts/pcsc-sandbox.sh stop "$state"' EXIT
export ZAITAKU_VCARD=build/release/hardware/vcard/zaitaku-vcard
eval "export $(./scripts/pcsc-sandbox.sh start "$state")"
./scripts/pcsc-sandbox.sh vcard "$state" demo --persona valid --pki-dir "$state/pki" \
    --write-ca "$state/jpki-ca.der" >/dev/null
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" && "${1:-}" != "--cli" ]]; then
    "$app" --demo --jpki-ca "$state/jpki-ca.der"
else
    [[ "${1:-}" == "--cli" ]] && shift
    "$cli" demo --card --jpki-ca "$state/jpki-ca.der" "$@"
fi
