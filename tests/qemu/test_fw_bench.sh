#!/usr/bin/env bash
# fw_bench: the quick variant of the AArch64 instruction-count benchmark
# (bench/a64/run.sh --quick: host-bench_quick.elf and
# host-bench_caec_quick.elf under QEMU -icount shift=0 -seed 1, then
# bench/a64/report.py).  Asserts only that it ran and that
# its output is sane -- never a performance figure:
#   - the counter it measures with counts one per instruction (2,000,000
#     more loop instructions read 2,000,000 more ticks in a realm, give or
#     take the few instructions the other vCPU runs when QEMU's round robin
#     gives it a turn: fewer than 100 here);
#   - both AES-GCM libraries refuse a flipped ciphertext, tag or header
#     bit (in both realms);
#   - every mode ran every quick size, every message arrived and passed the
#     receiver's checks (sequence stamps; for AES-GCM header, sequence and
#     tag), and min <= median <= max for each;
#   - libcaec's channel between two realm kernels ran both its modes at
#     every quick size, every message passing the receiver's checks;
#   - every RMM call of the sweep was measured at every size;
#   - the report wrote its CSV files (and the plots when gnuplot is there);
#   - teardown left no granule delegated.
set -uo pipefail
# shellcheck source=fw_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/fw_lib.sh"

if [ ! -f "$builddir/host-bench_quick.elf" ] || [ ! -f "$builddir/host-bench_caec_quick.elf" ]; then
	echo "SKIP: host-bench_quick.elf not built (Debian's arm64 libmbedtls-dev/libssl-dev missing:" \
		"bash scripts/setup.sh)"
	exit 77
fi
out=$(mktemp -d)
trap 'rm -rf "$out" "$log"' EXIT
FIRMWARE_BUILDDIR=$builddir BENCH_TIMEOUT=${FIRMWARE_TIMEOUT:-100} \
	bash "$repo/bench/a64/run.sh" --quick --out "$out" >"$log" 2>&1
status=$?
cat "$log"
[ "$status" -eq 0 ] || fail "bench/a64/run.sh --quick exited with status $status"
tr -d '\r' <"$out/console.txt" >>"$log" 2>/dev/null || fail "no console saved"

for r in 0 1; do
	expect "^\[realm$r\] counter: CNTFRQ_EL0 1000000000 Hz; .*\(difference 20000[0-9][0-9] for 2000000 more instructions\)$" \
		"realm$r's counter does not count one per instruction (is -icount shift=0 on?)"
done
expect '^\[host\] counter check at NS EL2, 1000000 x a 2-instruction loop: CNTPCT_EL0 \+20000[0-9][0-9], PMCCNTR_EL0 \+20000[0-9][0-9];' \
	"the host's counters do not count one per instruction"
modes="csm-copy csm-zerocopy shm-plain shm-zerocopy gcm-mbedtls gcm-openssl-ce"
for m in gcm-mbedtls gcm-openssl-ce; do
	n=$(grep -c "^\[bench\] $m: a sealed message opens; one flipped ciphertext, tag or header bit is refused$" "$log")
	[ "$n" -eq 2 ] || fail "$m's self-check did not pass in both realms ($n)"
done
for m in $modes; do
	expect "^@mode,$m,1," "mode $m did not run"
	for s in 64 1024 32768 65536; do
		expect "^@comm,$m,$s,5,[1-9][0-9]*,[0-9]+,[0-9]+,[0-9]+,[0-9]+,[1-9][0-9]*$" \
			"no round trip of $m at $s bytes"
		expect "^@rx,$m,$s,[1-9][0-9]*,0$" "the receiver's checks failed for $m at $s bytes"
	done
done
# min <= p25 <= median <= p75 <= max on every line.
bad=$(awk -F, '/^@comm,/ { if (!($5 <= $6 && $6 <= $7 && $7 <= $8 && $8 <= $9)) print }' "$log")
[ -z "$bad" ] || fail "order statistics out of order: $bad"
expect '^\[realm1\] comm: 144 messages received, 0 failed checks$' "messages lost or failed"
# The libcaec modes (host-bench_caec_quick.elf: two realm kernels).
for m in caec-channel-copy caec-channel-zerocopy; do
	for s in 64 1024 32768 65536; do
		expect "@caec,$m,$s,5,[1-9][0-9]*,[0-9]+,[0-9]+,[0-9]+,[0-9]+$" \
			"no round trip of $m at $s bytes"
	done
done
expect '\] bench_caec: receiver: 48 messages, 0 failed checks$' \
	"libcaec's channel lost or corrupted messages"
[ "$(grep -c '^\[host\] RESULT: PASS (0 failures)$' "$log")" -eq 2 ] || \
	fail "both runs (bench, bench_caec) must pass"
expect '^\[realm0\] comm: receiver reports 0 failed checks$' "the sender did not hear the result"
for c in RSI_VERSION CSM_VERSION CSM_REALM_ID CSM_GRANT_LIST RSI_HOST_CALL; do
	expect "^@rmm,[01],$c,0,10,[1-9]" "no measurement of $c"
done
expect '^@rmm,0,CSM_NOTIFY,0,1,[1-9][0-9]*,[0-9]+,[0-9]+,1,' \
	"no measurement of CSM_NOTIFY with its one CSM_DOORBELL exit"
for c in CSM_SHARE CSM_GRANT CSM_RESERVE CSM_ATTACH CSM_DETACH CSM_REVOKE CSM_SEAL CSM_UNSHARE; do
	for p in 1 8 64; do
		expect "^@rmm,[01],$c,$p,1,[1-9]" "no measurement of $c at $p pages"
	done
done
expect '^@rmm,0,CSM_SHARE,64,1,[0-9]+,[0-9]+,[0-9]+,[1-9][0-9]*,[1-9][0-9]*,64$' \
	"the host did not report populating the 64 pages CSM_SHARE asked for"
for f in a64_comm.csv a64_rmm.csv a64_rmm_fit.csv a64_modes.csv a64_host.csv a64_summary.txt; do
	[ -s "$out/$f" ] || fail "report did not write $f"
done
[ "$(grep -c , "$out/a64_comm.csv")" -eq 33 ] || fail "a64_comm.csv should hold 32 rows and a header"
if command -v gnuplot >/dev/null 2>&1; then
	for f in a64_insns.png a64_rmm.png; do
		[ -s "$out/$f" ] || fail "report did not draw $f"
	done
fi
expect '^\[host\] teardown complete: [1-9][0-9]* granules delegated in total, 0 still delegated$' \
	"granules left delegated after teardown"
fw_finish test_fw_bench
