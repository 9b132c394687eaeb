#!/usr/bin/env bash
# Enforces the one-way dependencies of docs/ARCHITECTURE.md by looking at #include lines:
#   base              → base/ only (the bottom: no domain, no device)
#   device            → device/, base/
#   hardware          → hardware/, device/, base/
#   verify            → verify/, device/, base/
#   sync/sql          → sync/sql/, sync/SyncError.h, base/ (the SQL layer both ends share)
#   sync/protocol     → sync/protocol/, sync/SyncError.h, verify/, device/, base/ (the wire)
#   sync              → sync/, verify/, device/, base/
#   ui/session        → ui/session/, sync/, verify/, device/, hardware/, base/ (no Qt, not cli or app)
#   ui/demo           → ui/demo/, ui/session/ and below
#   ui/app            → ui/app/, ui/session/ and below (never ui/cli; ui/demo only in main.cpp)
#   ui/gateway        → ui/gateway/, the shared command-line core of ui/cli, sync/, verify/model/, device/, base/
#   ui/cli            → anything
# The tablet and the facility share only the wire, the SQL layer and transport:
#   the facility (sync/gateway, sync/oqs, ui/gateway) includes nothing from sync/store or
#   sync/client — except ui/gateway's `records import`, which reads a lost tablet's export archive
#   (sync/store/StoreExport.h);
#   the tablet (sync/store, sync/client, ui/session, ui/app, ui/cli) includes nothing from
#   sync/gateway or sync/oqs — except ui/cli's `oqs` tool (OqsCommand.cpp) and `demo`
#   (DemoCommand.cpp, built only with the demo).
# And the header hygiene rules: no Qt outside ui/app; Beast/Asio only in sync/ .cpp files;
# OpenCV only in .cpp files; sqlite3.h (SQLCipher's) only in sync/sql .cpp files; libpq-fe.h
# only in sync/gateway/Pg*.cpp; libusb.h only in hardware/rcs380 and hardware/readers .cpp files;
# umockdev only in tests. Prints every violation and fails if there is one.
set -euo pipefail
cd "$(dirname "$0")/.."

violations=0
report() {
    echo "layering: $1" >&2
    violations=$((violations + 1))
}

check_dir() { # dir allowed-prefix-regex [excepted-line-regex]
    local dir=$1 allowed=$2 excepted=${3:-} line
    [[ -d "$dir" ]] || return 0
    while IFS= read -r line; do
        local inc=${line#*#include \"}
        inc=${inc%%\"*}
        if [[ -n "$excepted" && "$line" =~ $excepted ]]; then
            continue
        fi
        if [[ "$inc" == */* && ! "$inc" =~ ^($allowed) ]]; then
            report "$line"
        fi
    done < <(grep -rn --include='*.h' --include='*.cpp' --include='*.hpp' '#include "' "$dir" || true)
}

# The app's main() is where a demo build composes the demo in (ZAITAKU_WITH_DEMO).
app_main_demo='^ui/app/main\.cpp:[0-9]+:#include "ui/demo/DemoStack\.h"'
check_dir base 'base/'
check_dir device 'device/|base/'
check_dir hardware 'device/|hardware/|base/'
check_dir verify 'verify/|device/|base/'
check_dir sync/sql 'sync/sql/|sync/SyncError\.h|base/'
check_dir sync/protocol 'sync/protocol/|sync/SyncError\.h|verify/|device/|base/'
check_dir sync 'sync/|verify/|device/|base/'
check_dir ui/session 'ui/session/|sync/|verify/|device/|hardware/|base/'
check_dir ui/demo 'ui/demo/|ui/session/|sync/|verify/|device/|hardware/|base/'
check_dir ui/app 'ui/app/|ui/session/|sync/|verify/|device/|hardware/|base/' "$app_main_demo"
check_dir ui/gateway 'ui/gateway/|ui/cli/(CommandOptions|CliContext|SecretPrompt)\.h|sync/|verify/model/|device/|base/'

check_forbidden() { # what forbidden-include-regex [allowed-line-regex] dirs...
    local what=$1 forbidden=$2 allowed=$3 line
    shift 3
    while IFS= read -r line; do
        if [[ -z "$allowed" || ! "$line" =~ $allowed ]]; then
            report "$what: $line"
        fi
    done < <(grep -rnE --include='*.h' --include='*.cpp' "#include \"($forbidden)" "$@" 2>/dev/null || true)
}

check_forbidden "the facility includes the tablet" 'sync/store/|sync/client/' \
    '^ui/gateway/GatewayCommand\.cpp:[0-9]+:#include "sync/store/StoreExport\.h"' sync/gateway sync/oqs ui/gateway
check_forbidden "the tablet includes the facility" 'sync/gateway/|sync/oqs/|ui/demo/' "$app_main_demo" \
    sync/store sync/client ui/session ui/app
check_forbidden "the tablet's command line includes the facility" 'sync/gateway/|sync/oqs/' \
    '^ui/cli/(OqsCommand|DemoCommand)\.cpp:' ui/cli

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
    report "sqlite3.h outside sync/sql sources: $line"
done < <(grep -rnE '#include <sqlite3(ext)?\.h>' base device hardware verify sync ui 2>/dev/null |
    grep -vE '^sync/sql/[^:]*\.cpp:' || true)

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
