#!/usr/bin/env bash
# The main demo, end to end against a private caec-simd (run exactly as
# scripts/demo.sh runs it: scripts/sim-demo-run.sh), with its claims
# checked: four mutual verifications (with the reservations the platform
# earns), the read-only store refused, the revocation and destruction
# observed by the consumers; then the channel part: A woken from
# caec_channel_recv() by the provider's copy (the doorbell), A's zero-copy
# reply read by the provider in place at the offset where A wrote it, and
# A woken from its next wait by the revocation (CAEC_E_CLOSED, the region
# revoked, later calls CAEC_E_CLOSED); exit 0.
set -uo pipefail
simd="$1"; demo="$2"; token="$3"; runner="$4"
out=$(bash "$runner" "$simd" "$demo" "$token" 2>&1); rc=$?
echo "$out"
fail=0
expect() {
	local n; n=$(grep -c -- "$1" <<<"$out")
	if [ "$n" -ne "$2" ]; then echo "FAIL: expected $2 line(s) matching '$1', got $n"; fail=1; fi
}
expect 'verified peer .*= my own image' 4
expect 'REJECTED' 0
# As root the daemon isolates the realms ("secured") and the key is pinned:
# no reservation.  Otherwise a development platform: both, on each check.
if grep -q '^(caec-simd runs as root' <<<"$out"; then
	expect 'reservation:' 0
else
	expect 'reservation: platform lifecycle "non-PSA RoT debug"' 4
fi
expect 'write attempt on my read-only mapping: SIGSEGV' 1
expect "reads A's reply in place" 1
expect 'access now: revoked' 2
# The channel part.
expect '\[A (rw)  \] channel: the doorbell woke me after [0-9]* ms in caec_channel_recv(): "ping from the provider (a copy)" (32 bytes, copied)$' 1
a_off=$(sed -n 's/.*\[A (rw)  \] channel: zero-copy reply: reserved 4096 bytes at offset \(0x[0-9a-f]*\) of the region, wrote them in place, committing$/\1/p' <<<"$out")
p_off=$(sed -n 's/.*\[provider\] channel: peeked A.s 4096-byte reply in place at offset \(0x[0-9a-f]*\): "zero-copy reply from A", all as A wrote it (no copy)$/\1/p' <<<"$out")
if [ -z "$a_off" ] || [ "$a_off" != "$p_off" ]; then
	echo "FAIL: the provider did not read A's zero-copy reply where A wrote it (A: '$a_off', provider: '$p_off')"
	fail=1
fi
expect '\[A (rw)  \] channel: woken by the revocation after [0-9]* ms: caec_channel_recv() -> CAEC_E_CLOSED$' 1
expect '\[A (rw)  \] channel: region revoked; caec_channel_send() -> CAEC_E_CLOSED$' 1
expect '\[provider\] channel: destroyed the channel region' 1
expect 'NOT \|STILL MAPPED\| failed: ' 0
expect 'demo complete' 1
[ "$rc" -eq 0 ] || { echo "FAIL: caec-demo exited $rc"; fail=1; }
exit $fail
