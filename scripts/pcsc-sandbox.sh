#!/usr/bin/env bash
# A private PC/SC stack for tests, demos and development: pcscd with the vpcd driver in its own
# network namespace (only `lo`, so vpcd's 0.0.0.0:35963/35964 listeners exist nowhere else) and
# its own mount namespace (so its /run/pcscd is STATE_DIR/run and never clashes with a system
# pcscd). Clients reach it with PCSCLITE_CSOCK_NAME=STATE_DIR/run/pcscd.comm.
#
#   pcsc-sandbox.sh start STATE_DIR              start pcscd; prints the PCSCLITE_CSOCK_NAME line
#   pcsc-sandbox.sh vcard STATE_DIR NAME [ARGS]  start zaitaku-vcard ARGS inside the namespace
#                                                (binary: $ZAITAKU_VCARD); returns once pcscd sees
#                                                the card; pid in STATE_DIR/vcard-NAME.pid
#   pcsc-sandbox.sh stop-vcard STATE_DIR NAME    stop that vcard (the card leaves the reader)
#   pcsc-sandbox.sh stop STATE_DIR               stop every process this sandbox started, nothing else
#
# Needs root (namespaces, bind mount). Reader names: "Virtual PCD 00 00" (port 35963) and
# "Virtual PCD 00 01" (port 35964).
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[[ -n "$cmd" && -n "$dir" ]] || {
    sed -n '2,14p' "$0" >&2
    exit 2
}

alive() { # pidfile expected-command
    local pid
    [[ -f "$1" ]] || return 1
    pid=$(cat "$1")
    [[ -n "$pid" && -r /proc/$pid/cmdline ]] && tr '\0' ' ' </proc/"$pid"/cmdline | grep -q -- "$2"
}

stop_pidfile() { # pidfile expected-command
    local f=$1 pid i
    if alive "$f" "$2"; then
        pid=$(cat "$f")
        kill -TERM "$pid" 2>/dev/null || true
        for i in $(seq 50); do
            alive "$f" "$2" || break
            sleep 0.1
        done
        alive "$f" "$2" && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
}

case "$cmd" in
start)
    mkdir -p "$dir/run"
    dir=$(cd "$dir" && pwd)
    if alive "$dir/pcscd.pid" pcscd; then
        echo "PCSCLITE_CSOCK_NAME=$dir/run/pcscd.comm"
        exit 0
    fi
    if [[ ! -d /run/pcscd ]]; then
        mkdir -p /run/pcscd
        touch "$dir/created-run-pcscd"
    fi
    rm -f "$dir/run/pcscd.comm" "$dir/run/pcscd.pid"
    # unshare execs sh, which execs pcscd: the recorded pid is pcscd's.
    unshare --net --mount --propagation private \
        sh -c "mount --bind '$dir/run' /run/pcscd && ip link set lo up && exec pcscd --foreground" \
        >"$dir/pcscd.log" 2>&1 &
    echo $! >"$dir/pcscd.pid"
    for _ in $(seq 100); do
        [[ -S "$dir/run/pcscd.comm" ]] && break
        sleep 0.1
    done
    if [[ ! -S "$dir/run/pcscd.comm" ]]; then
        echo "pcsc-sandbox: pcscd did not start; log:" >&2
        cat "$dir/pcscd.log" >&2
        stop_pidfile "$dir/pcscd.pid" pcscd
        exit 1
    fi
    echo "PCSCLITE_CSOCK_NAME=$dir/run/pcscd.comm"
    ;;
vcard)
    name=${3:?usage: pcsc-sandbox.sh vcard STATE_DIR NAME [ARGS]}
    shift 3
    alive "$dir/pcscd.pid" pcscd || {
        echo "pcsc-sandbox: not started" >&2
        exit 1
    }
    vcard=${ZAITAKU_VCARD:-$(dirname "$0")/../build/release/hardware/vcard/zaitaku-vcard}
    [[ -x "$vcard" ]] || {
        echo "pcsc-sandbox: no zaitaku-vcard at $vcard (set ZAITAKU_VCARD)" >&2
        exit 1
    }
    stop_pidfile "$dir/vcard-$name.pid" zaitaku-vcard
    nsenter --net=/proc/"$(cat "$dir/pcscd.pid")"/ns/net "$vcard" "$@" >"$dir/vcard-$name.log" 2>&1 &
    echo $! >"$dir/vcard-$name.pid"
    # Wait until pcscd reports the card on the reader of the vcard's port (35963 → "00 00").
    port=35963
    args=("$@")
    for ((i = 0; i < ${#args[@]} - 1; i++)); do
        [[ "${args[i]}" == --port ]] && port=${args[i + 1]}
    done
    slot=$(printf '%02d' $((port - 35963)))
    for _ in $(seq 150); do
        PCSCLITE_CSOCK_NAME="$dir/run/pcscd.comm" opensc-tool -l 2>/dev/null |
            grep -qE "^[0-9]+ +Yes .*Virtual PCD 00 $slot\$" && break
        alive "$dir/vcard-$name.pid" zaitaku-vcard || break
        sleep 0.1
    done
    if ! PCSCLITE_CSOCK_NAME="$dir/run/pcscd.comm" opensc-tool -l 2>/dev/null |
        grep -qE "^[0-9]+ +Yes .*Virtual PCD 00 $slot\$"; then
        echo "pcsc-sandbox: pcscd does not see the card of '$name'; log:" >&2
        cat "$dir/vcard-$name.log" >&2
        exit 1
    fi
    cat "$dir/vcard-$name.pid"
    ;;
stop-vcard)
    name=${3:?usage: pcsc-sandbox.sh stop-vcard STATE_DIR NAME}
    stop_pidfile "$dir/vcard-$name.pid" zaitaku-vcard
    ;;
stop)
    for f in "$dir"/vcard-*.pid; do
        [[ -e "$f" ]] && stop_pidfile "$f" zaitaku-vcard
    done
    stop_pidfile "$dir/pcscd.pid" pcscd
    if [[ -f "$dir/created-run-pcscd" ]]; then
        rmdir /run/pcscd 2>/dev/null || true
        rm -f "$dir/created-run-pcscd"
    fi
    ;;
*)
    echo "pcsc-sandbox: unknown command '$cmd'" >&2
    exit 2
    ;;
esac
