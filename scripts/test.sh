#!/usr/bin/env bash
# Set everything up and run every test of caec:
#   1. release build (gcc, -Werror): all suites, the QEMU firmware boot included
#   2. ASan+UBSan build: all suites except QEMU (scaled-down loop counts)
#   3. TSan build: the concurrent suites (rings, doorbells, channels, sim)
#   4. clang + libFuzzer: each fuzz target for a bounded smoke time
# Any failure, or a step in which no test ran, fails the whole run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
fuzz_secs="${CAEC_FUZZ_SECONDS:-20}"
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

# 2. ASan + UBSan (everything but the QEMU boot, which runs no host code)
bash scripts/build.sh asan
CAEC_TEST_SCALE=0.1 \
ASAN_OPTIONS="abort_on_error=1:detect_leaks=1" \
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
	run_meson_tests "asan+ubsan" build/asan --no-suite qemu --no-suite bench \
		--timeout-multiplier 4

# 3. TSan: the concurrent parts
bash scripts/build.sh tsan
suites=()
for s in ring sim; do suites+=(--suite "$s"); done
CAEC_TEST_SCALE=0.05 TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1" \
	run_meson_tests "tsan" build/tsan "${suites[@]}" --no-suite slow \
		--timeout-multiplier 4

# 4. fuzz smoke
echo
echo "=== fuzz smoke (${fuzz_secs}s per target) ==="
bash scripts/build.sh fuzz
mapfile -t targets < <(find build/fuzz/fuzz -maxdepth 2 -type f -name 'fuzz_*' -perm -u+x | sort)
if [ "${#targets[@]}" -eq 0 ]; then
	echo "test.sh: no fuzz targets were built" >&2
	failed_steps+=("fuzz (no targets)")
	total_fail=$((total_fail + 1))
fi
for t in "${targets[@]}"; do
	name="$(basename "$t")"
	corpus_src="$here/fuzz/$(basename "$(dirname "$t")")/corpus"
	work="$(mktemp -d)"
	[ -d "$corpus_src" ] && cp -r "$corpus_src"/. "$work"/ 2>/dev/null || true
	if "$t" -max_total_time="$fuzz_secs" -print_final_stats=0 "$work" >"$work.log" 2>&1; then
		echo "fuzz $name: OK ($(grep -c . "$work.log") log lines)"
		total_ok=$((total_ok + 1))
	else
		echo "fuzz $name: FAILED"; tail -40 "$work.log"
		failed_steps+=("fuzz $name")
		total_fail=$((total_fail + 1))
	fi
	rm -rf "$work" "$work.log"
done

echo
if [ "${#failed_steps[@]}" -ne 0 ]; then
	echo "failed steps: ${failed_steps[*]}"
fi
echo "caec: $total_ok passed, $total_fail failed"
[ "$total_fail" -eq 0 ] && [ "${#failed_steps[@]}" -eq 0 ]
