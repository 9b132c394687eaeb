#!/usr/bin/env bash
# ThreadSanitizer over the tests where threads meet (issue 34): the gateway (HTTPS server threads,
# group commit, OQS jobs, background chores), the sync engine against it, the OQS bridge and
# simulator, the gateway's fault injection and storage. Not part of CI (its build takes as long
# as CI's); run it after a change to anything concurrent.
#   scripts/tsan.sh [CTEST_REGEX]
# Suppressions (tests/tsan.supp) are for third-party code only, each with its reason.
set -euo pipefail
cd "$(dirname "$0")/.."
# Both storage backends (the pg. run and the storage suite's postgresql case start the test server).
regex=${1:-'GatewaySyncTest|GatewayOqsFlowTest|GatewayOqsTest|OqsJobsTest|GatewayFaultTest|GatewayKillTest|GatewayStorageTest|RateLimiterTest|PostgresOperationsTest'}
./scripts/setup.sh >/dev/null
cmake --preset tsan >/dev/null
targets=(gateway_sync_test gateway_oqs_test sync_gateway_test gateway_fault_test gateway_storage_test)
cmake --build --preset tsan --target "${targets[@]}" zaitaku-gateway zaitaku-cli
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/tests/tsan.supp"
start=$(date +%s)
ctest --test-dir build/tsan -j2 -R "$regex" --output-on-failure
echo "tsan: clean in $(( $(date +%s) - start )) s"
