#!/usr/bin/env bash
# The gateway's systemd files (packaging/gateway, issue 30) as systemd itself reads them:
#   systemd-analyze verify    the unit parses, its commands exist (ExecStart pointed at the built
#                             program in a scratch copy: the package installs it as /usr/bin)
#   systemd-analyze security  exposure 2.5 or lower ("OK"), offline, without a running systemd
#   systemd-sysusers/tmpfiles their lines apply to a scratch root
#   check-gateway-unit.sh GATEWAY_BINARY
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
binary="$1"
unit="$here/packaging/gateway/zaitaku-gateway.service"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

sed "s|/usr/bin/zaitaku-gateway|$binary|" "$unit" >"$scratch/zaitaku-gateway.service"
systemd-analyze verify --man=no "$scratch/zaitaku-gateway.service"

report="$(systemd-analyze security --offline=true --threshold=25 "$unit")"
score="$(printf '%s\n' "$report" | sed -n 's/.*Overall exposure level for zaitaku-gateway.service: \([0-9.]*\).*/\1/p')"
echo "systemd-analyze security: $score"
awk -v s="$score" 'BEGIN { exit !(s != "" && s <= 2.5) }'

mkdir -p "$scratch/root/etc"
systemd-sysusers --root="$scratch/root" "$here/packaging/gateway/zaitaku-gateway.sysusers"
grep -q '^zaitaku-gateway:' "$scratch/root/etc/passwd"
systemd-tmpfiles --root="$scratch/root" --create "$here/packaging/gateway/zaitaku-gateway.tmpfiles"
test "$(stat -c %a "$scratch/root/var/lib/zaitaku-gateway")" = 700
echo "ok: verify, security $score, sysusers, tmpfiles"
