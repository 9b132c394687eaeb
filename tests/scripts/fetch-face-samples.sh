#!/usr/bin/env bash
# Fetches the license-clear face test pictures (docs/FACE.md): demo/sample1..6.jpg of the npm
# package @vladmandic/face-api@1.7.15 (MIT), checked by the tarball's sha1 (the registry's own
# integrity field). The tarball is cached under ~/.cache/zaitaku; the pictures go into DIR.
# Nothing is committed. Usage: fetch-face-samples.sh DIR
set -euo pipefail

DIR="${1:?usage: fetch-face-samples.sh DIR}"
NAME="vladmandic-face-api-1.7.15.tgz"
URL="https://registry.npmjs.org/@vladmandic/face-api/-/face-api-1.7.15.tgz"
SHA1="10cddf5c405f6f52f37605c9ee28c91ac6a23ead"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/zaitaku"

have_all() {
    local i
    for i in 1 2 3 4 5 6; do
        [[ -s "$DIR/sample$i.jpg" ]] || return 1
    done
    [[ -f "$DIR/.sha1-$SHA1" ]]
}

if have_all; then
    exit 0
fi
mkdir -p "$CACHE" "$DIR"
tgz="$CACHE/$NAME"
if [[ ! -f "$tgz" ]] || [[ "$(sha1sum "$tgz" | cut -d' ' -f1)" != "$SHA1" ]]; then
    tmp="$(mktemp "$CACHE/download.XXXXXX")"
    trap 'rm -f "$tmp"' EXIT
    if command -v curl >/dev/null; then
        curl -fsSL --retry 3 --connect-timeout 20 --max-time 300 -o "$tmp" "$URL"
    else
        (cd "$(dirname "$tmp")" && npm pack --silent @vladmandic/face-api@1.7.15 >/dev/null && mv "$NAME" "$tmp")
    fi
    got="$(sha1sum "$tmp" | cut -d' ' -f1)"
    if [[ "$got" != "$SHA1" ]]; then
        echo "fetch-face-samples: $URL has sha1 $got, expected $SHA1" >&2
        exit 1
    fi
    mv "$tmp" "$tgz"
    trap - EXIT
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -xzf "$tgz" -C "$work" package/demo/sample1.jpg package/demo/sample2.jpg package/demo/sample3.jpg \
    package/demo/sample4.jpg package/demo/sample5.jpg package/demo/sample6.jpg
mv "$work"/package/demo/sample*.jpg "$DIR/"
touch "$DIR/.sha1-$SHA1"
echo "fetch-face-samples: 6 pictures in $DIR"
