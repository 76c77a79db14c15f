#!/usr/bin/env bash
# The AArch64 instruction-count benchmark (issue 18; docs/benchmarks.md,
# "Inter-realm communication on AArch64"): the paper's Fig. 5 inside two
# Arm CCA realms and the RMM's CSM costs, counted in instructions under
# QEMU -icount shift=0.  Builds the firmware, boots host-bench.elf (every
# mode, the RMM's costs) and host-bench_caec.elf (libcaec's channel in
# realm kernels), turns the console into CSV, plots and a summary
# (bench/a64/report.py).
#
#   bash bench/a64/run.sh [--quick] [--out DIR] [--console FILE] [--no-plots]
#     --quick         the short variant the test suite runs (host-bench_quick.elf,
#                     host-bench_caec_quick.elf)
#     --out DIR       where the outputs go (default bench/out/a64)
#     --console FILE  do not run QEMU: report on a console saved earlier
#     --no-plots      do not run gnuplot (a64_plots.gp is written all the same)
#     -h, --help      this help
# Environment: FIRMWARE_BUILDDIR (default build/firmware), BENCH_TIMEOUT
# (seconds, default 1800).
# Exit status: 0 done; 1 the run or its report failed; 2 usage error.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
builddir=${FIRMWARE_BUILDDIR:-$repo/build/firmware}
out=$repo/bench/out/a64
scenario=bench
console=""
report_args=()
usage_error() { echo "run.sh: $*" >&2; echo "Try 'bash bench/a64/run.sh --help'." >&2; exit 2; }
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) scenario=bench_quick ;;
	--out|--console)
		[ $# -ge 2 ] || usage_error "option '$1' needs an argument"
		if [ "$1" = --out ]; then out=$2; else console=$2; fi
		shift ;;
	--no-plots) report_args+=(--no-plots) ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) usage_error "unknown option '$1'" ;;
	esac
	shift
done
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ -z "$console" ]; then
	"$repo/scripts/firmware-build.sh" "$builddir" >&2
	for s in "$scenario" "${scenario/bench/bench_caec}"; do
		if [ ! -f "$builddir/host-$s.elf" ]; then
			echo "bench/a64: $builddir/host-$s.elf was not built: it needs Debian's" \
				"arm64 libmbedtls-dev and libssl-dev (bash scripts/setup.sh)" >&2
			exit 2
		fi
	done
	console=$out/console.txt
	{
		qemu-system-aarch64 --version | head -1
		echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); host: $(uname -srm)," \
			"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
	} >"$console"
	# Two runs: the bare-metal realm program (every mode, the RMM's
	# costs), then the realm kernels with libcaec's channel.
	for s in "$scenario" "${scenario/bench/bench_caec}"; do
		echo "command: FIRMWARE_QEMU_ARGS='-icount shift=0 -seed 1'" \
			"scripts/firmware-demo.sh $builddir $s" >>"$console"
		start=$(date +%s)
		set +e
		FIRMWARE_QEMU_ARGS="-icount shift=0 -seed 1" FIRMWARE_TIMEOUT=${BENCH_TIMEOUT:-1800} \
			"$repo/scripts/firmware-demo.sh" "$builddir" "$s" >>"$console" 2>&1
		status=$?
		set -e
		echo "wall time: $(( $(date +%s) - start )) s (QEMU exit status $status)" >>"$console"
		if [ "$status" -ne 0 ]; then
			tail -20 "$console" >&2
			echo "bench/a64: the run of $s failed (status $status); console in $console" >&2
			exit 1
		fi
	done
fi
python3 "$repo/bench/a64/report.py" "$console" "$out" ${report_args[@]+"${report_args[@]}"}
