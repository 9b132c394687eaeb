#!/usr/bin/env bash
# Open-ended fuzzing with libFuzzer (clang, ASan/UBSan). CI runs each target over a deterministic
# corpus instead (ctest -L fuzz).
#   scripts/fuzz.sh [SECONDS] [TARGET...]   default 60 s each, every target; findings land in
#                                           build/fuzz/findings/TARGET/, the corpus grows in
#                                           build/fuzz/corpus/TARGET/
# Targets: card_parsers (APDU, TLV, certificates, photo), oqs_xml (the OQS codec),
# record_intake (the gateway's intake, structure-aware), gateway_handle (GatewayService::handle
# as an enrolled tablet's session presents requests), wire_parsers (every wire message parser,
# enrollment codes, gateway.conf lines, record parts), reader_bytes (RC-S380 frames, 14443-4
# blocks, chip answers, card photos sized before decoding). A finding becomes a regression test: add
# its bytes to the target's corpus test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    targets=(card_parsers oqs_xml record_intake wire_parsers reader_bytes gateway_handle)
fi
./scripts/setup.sh >/dev/null
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target "${targets[@]/%/_fuzzer}"
for target in "${targets[@]}"; do
    mkdir -p "build/fuzz/corpus/$target" "build/fuzz/findings/$target"
    echo "== $target: $seconds s"
    build/fuzz/tests/"${target}_fuzzer" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
        -artifact_prefix="build/fuzz/findings/$target/" "build/fuzz/corpus/$target" 2>&1 |
        grep -E "^#[0-9]+.*(DONE|pulse)|stat::|ERROR|SUMMARY|Test unit written" || true
done
