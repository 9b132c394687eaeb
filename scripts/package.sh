#!/usr/bin/env bash
# Builds the three Debian packages (packaging/CMakeLists.txt) into build/package/debs and checks
# them with lintian (errors fail the build; warnings are printed).
#   scripts/package.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh >/dev/null
cmake --preset package >/dev/null
cmake --build --preset package --target zaitaku-gateway zaitaku-cli zaitaku zaitaku-oqs-sim zaitaku-vcard \
    zaitaku_package_docs | grep -vE "^\[[0-9]+/[0-9]+\]" || true
out=build/package/debs
rm -rf "$out"
mkdir -p "$out"
(cd build/package && cpack -G DEB -B "$PWD/debs" >/dev/null)
rm -rf "$out/_CPack_Packages"
ls -1 "$out"/*.deb
# lintian: E: fails, W:/I: shown. Not applicable to a CPack build: the Debian source package tags.
status=0
lintian --no-tag-display-limit --suppress-tags \
    no-manual-page,no-copyright-file,initial-upload-closes-no-bugs,extended-description-is-probably-too-short \
    "$out"/*.deb >"$out/lintian.txt" 2>&1 || status=$?
cat "$out/lintian.txt"
if grep -q '^E: ' "$out/lintian.txt"; then
    echo "package: lintian reports errors" >&2
    exit 1
fi
echo "package: $(ls "$out"/*.deb | wc -l) packages, lintian: $(grep -c '^E: ' "$out/lintian.txt" || true) errors, $(grep -c '^W: ' "$out/lintian.txt" || true) warnings"
