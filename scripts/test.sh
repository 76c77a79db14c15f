#!/usr/bin/env bash
# Set everything up and run every test of caec:
#   1. release build (gcc, -Werror): all suites, the QEMU firmware boot included
#   2. ASan+UBSan build: all suites except QEMU and the model check (scaled-down loop counts)
#   3. TSan build: the concurrent suites (rings, doorbells, channels, sim)
#   4. clang + libFuzzer: each fuzz target for a bounded smoke time
# Any failure, or a step in which no test ran, fails the whole run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
jobs="${CAEC_JOBS:-2}"

bash scripts/setup.sh

total_ok=0
total_fail=0
failed_steps=()

# meson test wrapper: counts results, treats "no test ran" as failure.
run_meson_tests() {
	local step="$1" dir="$2"
	shift 2
	echo
	echo "=== tests: $step ==="
	local log rc=0
	log="$(mktemp)"
	meson test -C "$dir" --print-errorlogs --num-processes "$jobs" "$@" 2>&1 | tee "$log" || rc=$?
	local ok fail to
	ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$log" | tail -1)
	fail=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p' "$log" | tail -1)
	to=$(sed -n 's/^Timeout: *\([0-9]*\).*/\1/p' "$log" | tail -1)
	rm -f "$log"
	ok=${ok:-0}; fail=${fail:-0}; to=${to:-0}
	total_ok=$((total_ok + ok))
	total_fail=$((total_fail + fail + to))
	if [ "$rc" -ne 0 ] || [ "$fail" -ne 0 ] || [ "$to" -ne 0 ]; then
		failed_steps+=("$step")
	elif [ "$ok" -eq 0 ]; then
		echo "test.sh: step '$step' ran no test" >&2
		failed_steps+=("$step (no test ran)")
		total_fail=$((total_fail + 1))
	fi
}

# 1. release
bash scripts/build.sh release
run_meson_tests "release" build/release

# 2. ASan + UBSan (everything but the QEMU boot and the Promela model
#    check, which run no host code)
bash scripts/build.sh asan
CAEC_TEST_SCALE=0.1 \
ASAN_OPTIONS="abort_on_error=1:detect_leaks=1" \
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
	run_meson_tests "asan+ubsan" build/asan --no-suite qemu --no-suite bench \
		--no-suite model \
		--timeout-multiplier 4

# 3. TSan: the concurrent parts
bash scripts/build.sh tsan
suites=()
for s in ring sim; do suites+=(--suite "$s"); done
CAEC_TEST_SCALE=0.05 TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1" \
	run_meson_tests "tsan" build/tsan "${suites[@]}" --no-suite slow \
		--no-suite model \
		--timeout-multiplier 4

# 4. fuzz smoke: every libFuzzer target for a bounded time (each target's
#    meson test sets its own budget, 20-60 s)
bash scripts/build.sh fuzz
run_meson_tests "fuzz (libFuzzer smoke)" build/fuzz --suite fuzz

echo
if [ "${#failed_steps[@]}" -ne 0 ]; then
	echo "failed steps: ${failed_steps[*]}"
fi
echo "caec: $total_ok passed, $total_fail failed"
[ "$total_fail" -eq 0 ] && [ "${#failed_steps[@]}" -eq 0 ]
