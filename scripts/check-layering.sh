#!/usr/bin/env bash
# Enforces the one-way dependencies of docs/ARCHITECTURE.md by looking at #include lines:
#   base              → base/ only (the bottom: no domain, no device)
#   device            → device/, base/
#   hardware          → hardware/, device/, base/
#   verify            → verify/, device/, base/
#   sync              → sync/, verify/, device/, base/
#   ui/session        → ui/session/, sync/, verify/, device/, hardware/, base/ (no Qt, not cli or app)
#   ui/app            → ui/app/, ui/session/ and below (never ui/cli)
#   ui/gateway        → ui/gateway/, the shared command-line core of ui/cli, sync/, verify/model/, device/, base/
#   ui/cli            → anything
# and the header hygiene rules: no Qt outside ui/app; Beast/Asio only in sync/ .cpp files;
# OpenCV only in .cpp files; sqlite3.h (SQLCipher's) only in sync/store .cpp files; libpq-fe.h
# only in sync/gateway/Pg*.cpp; libusb.h only in hardware/rcs380 and hardware/readers .cpp files;
# umockdev only in tests. Prints every
# violation and fails if there is one.
set -euo pipefail
cd "$(dirname "$0")/.."

violations=0
report() {
    echo "layering: $1" >&2
    violations=$((violations + 1))
}

check_dir() { # dir allowed-prefix-regex
    local dir=$1 allowed=$2 line
    [[ -d "$dir" ]] || return 0
    while IFS= read -r line; do
        local inc=${line#*#include \"}
        inc=${inc%%\"*}
        if [[ "$inc" == */* && ! "$inc" =~ ^($allowed) ]]; then
            report "$line"
        fi
    done < <(grep -rn --include='*.h' --include='*.cpp' --include='*.hpp' '#include "' "$dir" || true)
}

check_dir base 'base/'
check_dir device 'device/|base/'
check_dir hardware 'device/|hardware/|base/'
check_dir verify 'verify/|device/|base/'
check_dir sync 'sync/|verify/|device/|base/'
check_dir ui/session 'ui/session/|sync/|verify/|device/|hardware/|base/'
check_dir ui/app 'ui/app/|ui/session/|sync/|verify/|device/|hardware/|base/'
check_dir ui/gateway 'ui/gateway/|ui/cli/(CommandOptions|CliContext|SecretPrompt)\.h|sync/|verify/model/|device/|base/'

while IFS= read -r line; do
    report "Qt outside ui/app: $line"
done < <(grep -rnE '#include <Q[A-Za-z]*(/|>)' base device hardware verify sync ui 2>/dev/null | grep -v '^ui/app/' || true)

while IFS= read -r line; do
    report "Boost.Asio/Beast outside sync/transport sources: $line"
done < <(grep -rnE '#include <boost/(asio|beast)' base device hardware verify sync ui 2>/dev/null |
    grep -vE '^sync/transport/[^:]*\.cpp:' || true)

while IFS= read -r line; do
    report "OpenCV in a header: $line"
done < <(grep -rnE '#include <opencv2/' --include='*.h' --include='*.hpp' base device hardware verify sync ui 2>/dev/null || true)

while IFS= read -r line; do
    report "sqlite3.h outside sync/store sources: $line"
done < <(grep -rnE '#include <sqlite3(ext)?\.h>' base device hardware verify sync ui 2>/dev/null |
    grep -vE '^sync/store/[^:]*\.cpp:' || true)

while IFS= read -r line; do
    report "libpq outside the gateway's PostgreSQL sources: $line"
done < <(grep -rnE '#include <libpq-fe\.h>' base device hardware verify sync ui 2>/dev/null |
    grep -vE '^sync/gateway/Pg[A-Za-z]*\.cpp:' || true)

while IFS= read -r line; do
    report "libusb outside the USB reader sources: $line"
done < <(grep -rnE '#include <libusb(-1\.0/libusb)?\.h>' base device hardware verify sync ui 2>/dev/null |
    grep -vE '^hardware/(rcs380|readers)/[^:]*\.cpp:' || true)

while IFS= read -r line; do
    report "umockdev outside tests: $line"
done < <(grep -rnE '#include <umockdev' base device hardware verify sync ui 2>/dev/null || true)

if [[ $violations -gt 0 ]]; then
    echo "layering: $violations violation(s)" >&2
    exit 1
fi
echo "layering: ok"
