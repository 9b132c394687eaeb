#!/usr/bin/env bash
# Disk full and read-only media, for real: the store lives on a 2 MiB tmpfs inside a private mount
# namespace (unshare --mount, needs root). The CLI must give a clear error and leave the last
# committed state intact.
#   store_media_test.sh ZAITAKU_CLI
set -euo pipefail
CLI=$1
if [[ $(id -u) -ne 0 ]] || ! unshare --mount true 2>/dev/null; then
    echo "store_media_test: needs root and mount namespaces; skipped"
    exit 77
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cat >"$WORK/roster.sh" <<'ROSTER'
# roster N PREFIX: a JSON roster of N patients
roster() {
    local n=$1 prefix=$2 i sep=""
    printf '['
    for ((i = 0; i < n; i++)); do
        printf '%s{"id":"%s-%04d","name":"山田 %s","name_kana":"ヤマダ タロウ","birthdate":"1948-04-02","insurer_number":"39131015","insured_symbol":"記号","insured_number":"%08d","insured_branch":"00"}' \
            "$sep" "$prefix" "$i" "$(head -c 280 /dev/zero | tr '\0' 'x')" "$i"
        sep=","
    done
    printf ']'
}
ROSTER

unshare --mount --propagation private bash -euo pipefail -c '
    CLI=$1 WORK=$2
    source "$WORK/roster.sh"
    MNT=$WORK/mnt
    mkdir -p "$MNT"
    mount -t tmpfs -o size=2m tmpfs "$MNT"
    echo "media passphrase 1" >"$WORK/pass"
    chmod 600 "$WORK/pass"
    store() { "$CLI" store "$@" --db "$MNT/s.db" --passphrase-file "$WORK/pass" --json; }
    expect_code() { # expect_code EXIT CODE -- command...
        local want_exit=$1 want_code=$2 out rc=0
        shift 3
        out=$("$@" 2>/dev/null) || rc=$?
        if [[ $rc -ne $want_exit || "$out" != *"\"code\":\"$want_code\""* ]]; then
            echo "FAIL: $* -> exit $rc, $out (wanted exit $want_exit, code $want_code)" >&2
            exit 1
        fi
        echo "ok: $want_code: $out"
    }

    "$CLI" store init --db "$MNT/s.db" --passphrase-file "$WORK/pass" --kdf-log-n 10 --json >/dev/null 2>&1
    roster 10 first >"$WORK/first.json"
    store import-patients "$WORK/first.json" >/dev/null

    # Disk full: fill the filesystem, then try to import a roster that needs new pages.
    dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null || true
    roster 400 second >"$WORK/second.json"
    expect_code 1 disk_full -- store import-patients "$WORK/second.json"
    rm "$MNT/fill"
    out=$(store stats)
    [[ "$out" == *"\"patient\":10,"* ]] || { echo "FAIL: after disk full: $out" >&2; exit 1; }
    store verify-audit | grep -q "\"ok\":true" || { echo "FAIL: audit after disk full" >&2; exit 1; }
    echo "ok: the last committed state survived a full disk"
    store import-patients "$WORK/second.json" >/dev/null
    echo "ok: with space again the import succeeds"

    # Read-only media: a clear error, nothing changed.
    mount -o remount,ro "$MNT"
    expect_code 1 store_read_only -- store import-patients "$WORK/first.json"
    mount -o remount,rw "$MNT"
    out=$(store stats)
    [[ "$out" == *"\"patient\":410,"* ]] || { echo "FAIL: after read-only: $out" >&2; exit 1; }
    store verify-audit | grep -q "\"ok\":true"
    echo "ok: read-only media changed nothing"
' _ "$CLI" "$WORK"
echo "store_media_test: passed"
