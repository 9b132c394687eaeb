#!/usr/bin/env bash
# Installs every Debian package zaitaku needs (build, tests, demo, GUI), idempotently.
# Safe to re-run: when everything is already installed it does nothing but check.
#
# SQLCipher 4.6.1 comes from bookworm-backports. The backports suite is added to the machine's
# existing Debian apt source by deriving the URI from that entry: no mirror host is written here.
set -euo pipefail

# The apt configuration directory; overridable only so tests can exercise the source parsing.
APT_DIR="${ZAITAKU_APT_DIR:-/etc/apt}"

SUDO=""
if [[ ${EUID:-$(id -u)} -ne 0 ]]; then
    if ! command -v sudo >/dev/null; then
        echo "[setup] error: run as root, or install sudo" >&2
        exit 1
    fi
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

# Packages from bookworm (main).
PACKAGES=(
    # toolchain
    build-essential cmake ninja-build ccache pkg-config git clang-format
    # clang + libFuzzer runtime for scripts/fuzz.sh
    clang libclang-rt-14-dev
    # Qt 6 Widgets + DBus + Linguist (lupdate/lrelease) + QTest; a GL dev package for Qt6Gui's
    # CMake config; dbus-daemon for the test that plays logind on a private bus
    dbus-daemon qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools linguist-qt6 libgl-dev
    # face verification (OpenCV 4.6 DNN, JPEG 2000 via OpenJPEG)
    libopencv-dev libopenjp2-7-dev
    # crypto, networking, JSON, XML
    libssl-dev openssl libboost1.74-dev nlohmann-json3-dev libxml2-dev
    # tests and benchmarks
    libgtest-dev libgmock-dev googletest libbenchmark-dev
    # readers: libusb (RC-S380), PC/SC stack, virtual reader, OpenSC tools; umockdev emulates
    # an RC-S380 on a USB bus for the driver's tests
    libusb-1.0-0-dev pcscd libpcsclite-dev pcsc-tools opensc vsmartcard-vpcd libccid
    umockdev libumockdev-dev
    # stores: zlib for the static SQLCipher link, stock SQLite (benchmark baseline), Qt's QSQLITE
    # plugin (the interposition test loads it on purpose), PostgreSQL client + server (gateway)
    zlib1g-dev libsqlite3-dev sqlite3 libqt6sql6-sqlite libpq-dev postgresql
    # headless GUI, Japanese fonts, network namespaces for loopback-only tests
    xvfb xauth fonts-noto-cjk iproute2 procps util-linux
    # the face tests fetch their license-clear sample pictures from the npm registry
    curl ca-certificates
    # the TLS scan's report is read with python3 (testssl.sh itself comes from backports, below);
    # python3-jsonschema checks record payloads against docs/schemas independently of the C++ code
    python3 python3-jsonschema
    # the gateway as a service (issue 30): sd_notify from libsystemd; promtool (only in Debian's
    # prometheus package) checks /metrics; lintian checks the .deb packages
    libsystemd-dev prometheus lintian
)
# Packages that must come from bookworm-backports.
BACKPORTS_PACKAGES=(libsqlcipher-dev sqlcipher testssl.sh)
BACKPORTS_SQLCIPHER_MIN="4.6.1"

log() { printf '[setup] %s\n' "$*"; }

missing_packages() {
    local pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            printf '%s\n' "$pkg"
        fi
    done
}

sqlcipher_is_new_enough() {
    local have
    have=$(dpkg-query -W -f='${Version}' libsqlcipher-dev 2>/dev/null || true)
    [[ -n "$have" ]] && dpkg --compare-versions "$have" ge "$BACKPORTS_SQLCIPHER_MIN"
}

backports_configured() {
    grep -rqsE '^[^#]*(^|[[:space:]])bookworm-backports([[:space:]]|$)' "$APT_DIR/sources.list" "$APT_DIR/sources.list.d/"
}

# Finds the URI of the machine's Debian archive entry (the one serving the bookworm suite),
# in deb822 (*.sources) or one-line (sources.list) format.
debian_archive_uri() {
    local f candidates=()
    for f in "$APT_DIR"/sources.list.d/*.sources; do
        [[ -f "$f" ]] || continue
        # deb822: the URIs of the first enabled stanza whose Suites contain "bookworm".
        candidates+=("$(awk '
            BEGIN { RS = ""; FS = "\n" }
            {
                uris = ""; suites = ""; enabled = 1
                for (i = 1; i <= NF; i++) {
                    if ($i ~ /^URIs:/)    { uris = $i; sub(/^URIs:[ \t]*/, "", uris) }
                    if ($i ~ /^Suites:/)  { suites = $i; sub(/^Suites:/, "", suites); suites = suites " " }
                    if ($i ~ /^Enabled:[ \t]*no/) { enabled = 0 }
                }
                if (enabled && suites ~ /[ \t]bookworm[ \t]/ && uris != "") {
                    split(uris, u, /[ \t]+/); print u[1]; exit
                }
            }' "$f")")
    done
    for f in "$APT_DIR/sources.list" "$APT_DIR"/sources.list.d/*.list; do
        [[ -f "$f" ]] || continue
        # one-line format: deb [options] URI bookworm components...
        candidates+=("$(awk '$1 == "deb" {
                 n = 2; if ($2 ~ /^\[/) { while ($n !~ /\]$/) n++; n++ }
                 if ($(n + 1) == "bookworm") { print $n; exit }
             }' "$f")")
    done
    local c
    for c in "${candidates[@]}"; do
        if [[ -n "$c" ]]; then
            printf '%s\n' "$c"
            return 0
        fi
    done
    return 1
}

add_backports() {
    if backports_configured; then
        log "bookworm-backports already configured"
        return
    fi
    local uri
    if ! uri=$(debian_archive_uri); then
        log "error: no Debian bookworm entry found in $APT_DIR/sources.list or $APT_DIR/sources.list.d/" >&2
        exit 1
    fi
    log "adding bookworm-backports from the existing Debian source: $uri"
    $SUDO tee "$APT_DIR/sources.list.d/zaitaku-bookworm-backports.sources" >/dev/null <<SOURCES
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
}

main() {
    add_backports
    mapfile -t missing < <(missing_packages "${PACKAGES[@]}")
    local need_backports=0
    if ! sqlcipher_is_new_enough || [[ -n "$(missing_packages "${BACKPORTS_PACKAGES[@]}")" ]]; then
        need_backports=1
    fi
    if [[ ${#missing[@]} -eq 0 && $need_backports -eq 0 ]]; then
        log "all packages present"
    else
        log "installing: ${missing[*]} $([[ $need_backports -eq 1 ]] && echo "${BACKPORTS_PACKAGES[*]} (backports)")"
        $SUDO apt-get update -q
        if [[ ${#missing[@]} -gt 0 ]]; then
            $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
            # Only promtool is wanted: the Prometheus server the package starts is stopped again.
            if [[ " ${missing[*]} " == *" prometheus "* && -d /run/systemd/system ]]; then
                $SUDO systemctl disable --now prometheus.service >/dev/null 2>&1 || true
            fi
        fi
        if [[ $need_backports -eq 1 ]]; then
            $SUDO apt-get install -y -q --no-install-recommends -t bookworm-backports "${BACKPORTS_PACKAGES[@]}"
        fi
    fi
    if ! sqlcipher_is_new_enough; then
        log "error: libsqlcipher-dev >= $BACKPORTS_SQLCIPHER_MIN is required" >&2
        exit 1
    fi
    log "ok: SQLCipher $(dpkg-query -W -f='${Version}' libsqlcipher-dev), $(cmake --version | head -n1)"
}

case "${1:-}" in
--print-archive-uri) # for tests: the URI the backports entry would use
    debian_archive_uri
    ;;
--add-backports-only) # for tests: write the backports entry, install nothing
    add_backports
    ;;
"")
    main
    ;;
*)
    echo "usage: scripts/setup.sh" >&2
    exit 2
    ;;
esac
