#!/usr/bin/env bash
# The built packages, unpacked into a scratch root (dpkg -x): the gateway from its installed files
# prints its version, serves (its /etc conffile, a scratch data folder), answers /healthz over TLS
# and stops cleanly on SIGTERM; neither the gateway nor the tablet package pulls in the tools; the
# tablet's programs carry no demo (built with ZAITAKU_WITH_DEMO=OFF).
#   tests/packaging/install-test.sh DEB_DIR
set -euo pipefail
debs="$(cd "$1" && pwd)"
root="$(mktemp -d)"
pid=""
cleanup() {
    [[ -n "$pid" ]] && kill -9 "$pid" 2>/dev/null || true
    rm -rf "$root"
}
trap cleanup EXIT
for deb in "$debs"/*.deb; do
    dpkg-deb -x "$deb" "$root"
done
for pkg in zaitaku-gateway zaitaku-tablet; do
    if dpkg-deb -f "$debs/${pkg}"_*.deb Depends Recommends | grep -q zaitaku-tools; then
        echo "install-test: $pkg pulls in zaitaku-tools" >&2
        exit 1
    fi
done
gateway="$root/usr/bin/zaitaku-gateway"
version="$("$gateway" --version)"
[[ "$version" == "zaitaku-gateway "* ]] || { echo "install-test: --version said '$version'" >&2; exit 1; }
test -f "$root/lib/systemd/system/zaitaku-gateway.service"
test -f "$root/usr/lib/sysusers.d/zaitaku-gateway.conf"
test -x "$root/usr/bin/zaitaku" -a -x "$root/usr/bin/zaitaku-cli" -a -x "$root/usr/bin/zaitaku-oqs-sim"
# The tablet's programs are built without the demo: no gateway, simulator or test PKI in them.
if "$root/usr/bin/zaitaku-cli" demo >/dev/null 2>&1; then
    echo "install-test: the packaged zaitaku-cli has the demo" >&2
    exit 1
fi
if readelf -d "$root/usr/bin/zaitaku" | grep NEEDED | grep -q libpq; then
    echo "install-test: the packaged tablet app links libpq" >&2
    exit 1
fi

mkdir -m 0700 "$root/data"
coproc SERVE { exec "$gateway" serve --data-dir "$root/data" --config "$root/etc/zaitaku/gateway.conf" \
    --listen 127.0.0.1:0 2>"$root/serve.log"; }
pid=$SERVE_PID
read -r -t 60 listening <&"${SERVE[0]}" || { cat "$root/serve.log" >&2; exit 1; }
port="$(printf '%s' "$listening" | sed -n 's/.*"port":\([0-9]*\).*/\1/p')"
health="$(curl -sk --max-time 10 "https://127.0.0.1:$port/healthz")"
[[ "$health" == *'"status":"ok"'* ]] || { echo "install-test: /healthz said '$health'" >&2; exit 1; }
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=""
[[ $status -eq 0 ]] || { echo "install-test: serve ended with $status" >&2; cat "$root/serve.log" >&2; exit 1; }
echo "install-test: $version from the packages: serves, /healthz ok, stops cleanly"
