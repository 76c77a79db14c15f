#!/usr/bin/env bash
# The main demo, end to end against a private caec-simd (run exactly as
# scripts/demo.sh runs it: scripts/sim-demo-run.sh), with its claims
# checked: four mutual verifications, the read-only store refused, the
# revocation and destruction observed by the consumers, exit 0.
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
expect 'write attempt on my read-only mapping: SIGSEGV' 1
expect "reads A's reply in place" 1
expect 'access now: revoked' 2
expect 'demo complete' 1
[ "$rc" -eq 0 ] || { echo "FAIL: caec-demo exited $rc"; fail=1; }
exit $fail
