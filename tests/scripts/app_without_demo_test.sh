#!/usr/bin/env bash
# The tablet app built without ZAITAKU_WITH_DEMO carries none of the facility's code: no gateway,
# no OQS simulator, no demo stack, no virtual card's test PKI, no libpq (architecture step 2).
# The same check must find all of them in the demo build, or it proves nothing.
#   app_without_demo_test.sh WITHOUT_DEMO_BINARY WITH_DEMO_BINARY
set -euo pipefail
without=$1 with=$2
patterns='zaitaku::sync::gateway::|zaitaku::sync::oqs::OqsSimulator|zaitaku::demo::|zaitaku::hardware::TestPki'

symbols() { nm -C --defined-only "$1" | grep -E "$patterns" | sort -u || true; }

found=$(symbols "$with" | wc -l)
if [[ $found -eq 0 ]]; then
    echo "FAIL: the demo build $with shows none of the facility's symbols: the check is blind" >&2
    exit 1
fi
leaked=$(symbols "$without")
if [[ -n "$leaked" ]]; then
    echo "FAIL: the app without the demo links facility code:" >&2
    echo "$leaked" | head -20 >&2
    exit 1
fi
if readelf -d "$without" | grep NEEDED | grep -q libpq; then
    echo "FAIL: the app without the demo needs libpq" >&2
    exit 1
fi
echo "ok: $found facility symbols in the demo build, none in the app without it"
