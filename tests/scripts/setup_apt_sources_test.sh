#!/usr/bin/env bash
# The setup script derives the bookworm-backports entry from the machine's existing Debian source,
# in deb822 and one-line formats, and writes it once (idempotent). Runs against scratch apt
# directories; installs nothing.
set -euo pipefail
setup="$(cd "$(dirname "$0")/../.." && pwd)/scripts/setup.sh"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# deb822 (Debian 12 default), with a security stanza first and a comment line inside the stanza.
d1="$scratch/deb822"
mkdir -p "$d1/sources.list.d"
cat >"$d1/sources.list.d/debian.sources" <<'SRC'
Types: deb
URIs: http://security.mirror.test/debian-security
Suites: bookworm-security
Components: main

Types: deb
# a comment
URIs: http://archive.mirror.test/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
uri=$(ZAITAKU_APT_DIR="$d1" "$setup" --print-archive-uri)
[[ "$uri" == "http://archive.mirror.test/debian" ]] || fail "deb822: got '$uri'"
ZAITAKU_APT_DIR="$d1" "$setup" --add-backports-only >/dev/null
written="$d1/sources.list.d/zaitaku-bookworm-backports.sources"
grep -q "^URIs: http://archive.mirror.test/debian$" "$written" || fail "deb822: backports entry has the wrong URI"
grep -q "^Suites: bookworm-backports$" "$written" || fail "deb822: backports entry has the wrong suite"
before=$(sha256sum "$written")
ZAITAKU_APT_DIR="$d1" "$setup" --add-backports-only | grep -q "already configured" || fail "deb822: not idempotent"
[[ "$(sha256sum "$written")" == "$before" ]] || fail "deb822: entry rewritten"
[[ $(ls "$d1/sources.list.d" | wc -l) -eq 2 ]] || fail "deb822: extra files written"

# one-line sources.list with options and a commented-out backports line (which does not count).
d2="$scratch/oneline"
mkdir -p "$d2/sources.list.d"
cat >"$d2/sources.list" <<'SRC'
# deb http://old.mirror.test/debian bookworm-backports main
deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://one.mirror.test/debian bookworm main contrib
deb http://one.mirror.test/debian-security bookworm-security main
SRC
uri=$(ZAITAKU_APT_DIR="$d2" "$setup" --print-archive-uri)
[[ "$uri" == "http://one.mirror.test/debian" ]] || fail "one-line: got '$uri'"
ZAITAKU_APT_DIR="$d2" "$setup" --add-backports-only >/dev/null
grep -q "^URIs: http://one.mirror.test/debian$" "$d2/sources.list.d/zaitaku-bookworm-backports.sources" ||
    fail "one-line: backports entry has the wrong URI"

# an existing backports line in one-line format is respected.
d3="$scratch/existing"
mkdir -p "$d3/sources.list.d"
printf 'deb http://x.mirror.test/debian bookworm main\ndeb http://x.mirror.test/debian bookworm-backports main\n' \
    >"$d3/sources.list"
ZAITAKU_APT_DIR="$d3" "$setup" --add-backports-only | grep -q "already configured" || fail "existing: added twice"
[[ -z "$(ls "$d3/sources.list.d")" ]] || fail "existing: wrote a file"

# no Debian entry at all: a clear error, nothing written.
d4="$scratch/none"
mkdir -p "$d4/sources.list.d"
printf 'deb https://packages.example.test/apt stable main\n' >"$d4/sources.list"
if ZAITAKU_APT_DIR="$d4" "$setup" --add-backports-only 2>"$scratch/err"; then
    fail "none: succeeded without a Debian entry"
fi
grep -q "no Debian bookworm entry" "$scratch/err" || fail "none: unclear error"

# The repository names no mirror host.
if grep -nE 'deb\.debian\.org|ftp\.[a-z]+\.debian\.org|mirror' "$setup" | grep -v '^\s*#' | grep -vi 'mirror host\|follows whatever mirror'; then
    fail "setup.sh names a mirror host"
fi
echo "setup apt sources: ok"
