#!/usr/bin/env bash
# The main demo, end to end against a private caec-simd (run exactly as
# scripts/demo.sh runs it: scripts/sim-demo-run.sh), with its claims
# checked: four mutual verifications (with the reservations the platform
# earns), the read-only store refused, the revocation and destruction
# observed by the consumers, exit 0.
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
expect 'demo complete' 1
[ "$rc" -eq 0 ] || { echo "FAIL: caec-demo exited $rc"; fail=1; }
exit $fail
