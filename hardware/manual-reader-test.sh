#!/usr/bin/env bash
# Manual test of real readers on a tablet (no emulation): a Sony RC-S380 and, if present, an
# RC-S300 with a real My Number Card or a JPKI test card. Run as the operator account, with the
# udev rules installed (hardware/READERS.md). Each step says what to do and what to expect; the
# script checks what it can and stops at the first failure.
#
#   hardware/manual-reader-test.sh [path/to/zaitaku-cli]
#
# Never type a PIN here: the steps use only what needs no PIN (card status, certificate read).
set -euo pipefail
cli=${1:-build/release/ui/cli/zaitaku-cli}
[[ -x "$cli" ]] || { echo "no zaitaku-cli at $cli (build the release preset, or pass its path)" >&2; exit 2; }

step=0
say() { step=$((step + 1)); printf '\n== step %d: %s\n' "$step" "$1"; }
expect() { printf '   expect: %s\n' "$1"; }
pause() { read -r -p "   press Enter when ready " _; }
fail() { printf '   FAILED: %s\n' "$1" >&2; exit 1; }
ok() { printf '   ok: %s\n' "$1"; }

say "the RC-S380 is on the bus"
expect "a line with ID 054c:06c3"
lsusb -d 054c:06c3 || fail "no RC-S380 on the bus: plug it in (a USB hub with its own power is fine)"
ok "found"

say "the operator may open it (udev rule)"
node=$(lsusb -d 054c:06c3 | awk '{printf "/dev/bus/usb/%s/%s", $2, substr($4, 1, 3)}')
ls -l "$node"
[[ -r "$node" && -w "$node" ]] || fail "$node is not read/writable: install hardware/udev/60-zaitaku-readers.rules and add $(id -un) to plugdev"
ok "$node is open to $(id -un)"
if lsmod | grep -q '^port100'; then
    echo "   note: the kernel's port100 driver is loaded; zaitaku detaches it on use (blacklist it: READERS.md)"
fi

say "both readers are listed with their ids"
expect "rcs380:0 (and pcsc:N for an RC-S300 through pcscd), no 'problem' field"
"$cli" card readers --json
"$cli" card readers --json | grep -q '"id":"rcs380:0"' || fail "rcs380:0 is not listed"
"$cli" card readers --json | grep -q '"problem"' && fail "a reader is listed with a problem"
ok "listed"

say "place the card on the RC-S380"
pause
expect "card_type my_number_card, auth_pin_tries_left 1..3, auth_cert_state valid; about 12 APDUs in 1-2 s"
time "$cli" card status --json --reader rcs380:0 | tee /tmp/zaitaku-rcs380-status.json
grep -q '"card_type":"my_number_card"' /tmp/zaitaku-rcs380-status.json || fail "not read as a My Number Card"
ok "status read over the RC-S380"

if "$cli" card readers --json | grep -q '"id":"pcsc:0"'; then
    say "move the same card to the RC-S300 (pcsc:0)"
    pause
    "$cli" card status --json --reader pcsc:0 | tee /tmp/zaitaku-pcsc-status.json
    strip() { sed -E 's/"reader":"[^"]*",?//' "$1"; }
    if diff <(strip /tmp/zaitaku-rcs380-status.json) <(strip /tmp/zaitaku-pcsc-status.json); then
        ok "the same JSON over both readers (apart from the reader's name)"
    else
        fail "the two readers disagree (above)"
    fi
    say "put the card back on the RC-S380"
    pause
fi

say "take the card away in the middle of a read"
expect "within 10 reads: an error with code card_removed (never a crash, never a hang)"
echo "   lift the card off the reader while the reads run"
seen=no
for _ in $(seq 10); do
    if ! out=$("$cli" card read-cert --json --reader rcs380:0 --out /tmp/zaitaku-cert.der 2>&1); then
        echo "   $out"
        grep -qE 'card_removed|no_card' <<<"$out" && { seen=yes; break; }
        fail "an unexpected error"
    fi
done
[[ $seen == yes ]] || fail "the card never left the reader"
ok "removal reported"

say "pull the reader's USB cable while a status runs"
expect "an error with code reader_detached, then the reader is gone from 'card readers'"
echo "   place the card, then unplug the reader within 2 s of pressing Enter"
pause
if out=$("$cli" card status --json --reader rcs380:0 2>&1); then
    echo "   (the read finished before the unplug: try again if you want the mid-exchange case)"
else
    echo "   $out"
    grep -qE 'reader_detached|no_reader' <<<"$out" || fail "an unexpected error"
fi
sleep 1
"$cli" card readers --json | grep -q '"id":"rcs380:0"' && fail "the unplugged reader is still listed"
ok "unplug reported"

printf '\nAll steps passed. Record the reader, firmware and card in hardware/READERS.md.\n'
