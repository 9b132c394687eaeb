#!/usr/bin/env bash
# Sets up the machine (packages) and runs the whole test suite: build with the `ci` preset
# (sanitizers, warnings as errors), then CTest, which prints its summary; then the Debian
# packages are built, checked and installed into a scratch root.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
cmake --preset ci
cmake --build --preset ci
status=0
ctest --preset ci "$@" || status=$?
if [[ $status -ne 0 && -f build/ci/Testing/Temporary/LastTestsFailed.log ]]; then
    # The failures again at the very end, with their output, so the reason is next to the verdict.
    echo "=== output of the failed tests ==="
    while IFS= read -r line; do
        name=${line#*:}
        awk -v want="Testing: $name" 'index($0, want) && length($0) == index($0, want) + length(want) - 1 {p = 1}
            p {print} p && index($0, "<end of output>") {p = 0}' build/ci/Testing/Temporary/LastTest.log | tail -80
    done <build/ci/Testing/Temporary/LastTestsFailed.log
fi
# The Debian packages (issue 30): a Release build, lintian, then unpacked and started
# (tests/packaging/install-test.sh). The unit files, promtool and the OpenAPI check are CTests.
echo "=== packages ==="
if ! ./scripts/package.sh || ! tests/packaging/install-test.sh build/package/debs; then
    echo "=== the packages failed (above) ==="
    status=1
fi
exit "$status"
