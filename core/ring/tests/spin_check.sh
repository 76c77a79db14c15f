#!/bin/sh
# Model-check the ring + doorbell protocol (core/ring/model/ring_doorbell.pml)
# with SPIN.  For each variant (plain, with close/revoke, with spurious
# futex wake-ups, both) it runs
#   - a safety search (assertions: no loss/duplication/reordering, no
#     overwrite; invalid end states: no lost wake-up, no deadlock), and
#   - a liveness search (LTL <>done under weak fairness: no livelock),
# and fails unless each reports "errors: 0", plus safety of a deeper ring
# (3 records, where the producer's zeroed window runs several slots
# ahead).  It also checks that three deliberately broken models (no
# re-check after announcing; NEXT_CLEAR without zeroing the slot; the
# zeroed window growing past the free space) FAIL, so the check is known
# to be able to fail.
# Exit 77 (skip) when spin or a C compiler is missing.
set -u
SRC=${1:-${CAEC_SOURCE_ROOT:-$(dirname "$0")/../../..}/core/ring/model/ring_doorbell.pml}
command -v spin >/dev/null 2>&1 || { echo "spin not installed: skip"; exit 77; }
CC=${CC_FOR_PAN:-cc}
command -v "$CC" >/dev/null 2>&1 || { echo "no C compiler: skip"; exit 77; }
[ -f "$SRC" ] || { echo "model not found: $SRC"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$SRC" "$work/model.pml"
cd "$work" || exit 1

fail=0
# run <name> <expect: ok|fail> <spin -D flags> <gcc flags> <pan flags>
run() {
	name=$1 expect=$2 dflags=$3 cflags=$4 pflags=$5
	if ! spin -a $dflags model.pml >spin.log 2>&1; then
		echo "FAIL $name: spin -a"; cat spin.log; fail=1; return
	fi
	if ! $CC -O2 -w $cflags -o pan pan.c 2>cc.log; then
		echo "FAIL $name: compiling pan"; cat cc.log; fail=1; return
	fi
	./pan $pflags >pan.log 2>&1
	errs=$(sed -n 's/.*errors: \([0-9][0-9]*\).*/\1/p' pan.log | head -1)
	states=$(sed -n 's/^ *\([0-9e.+]*\) states, stored.*/\1/p' pan.log | head -1)
	if [ -z "$errs" ]; then
		echo "FAIL $name: no result"; cat pan.log; fail=1; return
	fi
	if [ "$expect" = ok ] && [ "$errs" = 0 ]; then
		echo "ok   $name: errors: 0 ($states states)"
	elif [ "$expect" = fail ] && [ "$errs" != 0 ]; then
		echo "ok   $name: broken model rejected (errors: $errs)"
	else
		echo "FAIL $name: errors: $errs (expected $expect)"; cat pan.log; fail=1
	fi
}

for v in "" "-DWITH_CLOSE" "-DSPURIOUS" "-DWITH_CLOSE -DSPURIOUS"; do
	label=${v:-plain}
	run "safety $label" ok "$v" "-DSAFETY -DNOCLAIM" ""
	run "liveness $label" ok "$v" "" "-a -f"
done
run "safety mutant-no-recheck" fail "-DMUTANT_NO_RECHECK" "-DSAFETY -DNOCLAIM" ""
run "safety mutant-no-clear" fail "-DMUTANT_NO_CLEAR" "-DSAFETY -DNOCLAIM" ""
run "safety mutant-zero-unfree" fail "-DMUTANT_ZERO_UNFREE" "-DSAFETY -DNOCLAIM" ""
# A deeper ring: the zeroed window can then run several slots ahead.
run "safety N=3" ok "-DN=3" "-DSAFETY -DNOCLAIM" ""
run "safety N=3 close" ok "-DN=3 -DWITH_CLOSE" "-DSAFETY -DNOCLAIM" ""
exit $fail
