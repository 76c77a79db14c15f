# Sourced by the tests/qemu/test_fw_*.sh scripts: skip checks, one QEMU run
# of a host scenario into $log, and the console assertions.
#   fw_run <scenario> [status]  runs it (QEMU -m $FIRMWARE_MEM, default 1G);
#                          sets $status and $log; a status other than the
#                          expected one (default 0) is a failure
#   expect <regex> <why>   a console line must match
#   fw_finish <name>       exit 0 if no check failed, else 1
# Exit codes: 0 pass, 1 fail, 77 skip (no QEMU >= 10 or no aarch64 cross gcc).
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
builddir=${FIRMWARE_BUILDDIR:-$repo/build/firmware}

if ! command -v aarch64-linux-gnu-gcc >/dev/null 2>&1; then
	echo "SKIP: aarch64-linux-gnu-gcc not installed"
	exit 77
fi
if ! command -v qemu-system-aarch64 >/dev/null 2>&1; then
	echo "SKIP: qemu-system-aarch64 not installed"
	exit 77
fi
qemu_major=$(qemu-system-aarch64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p' | head -1)
if [ "${qemu_major:-0}" -lt 10 ]; then
	echo "SKIP: qemu-system-aarch64 ${qemu_major:-?} < 10 (no FEAT_RME)"
	exit 77
fi
if ! "$repo/scripts/firmware-build.sh" "$builddir"; then
	echo "FAIL: firmware build failed"
	exit 1
fi

failures=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
expect() {	# expect <regex> <reason>
	grep -Eq -- "$1" "$log" || fail "$2 (no line matching /$1/)"
}
fw_run() {	# fw_run <scenario> [expected status]
	FIRMWARE_TIMEOUT=${FIRMWARE_TIMEOUT:-100} "$repo/scripts/firmware-demo.sh" \
		"$builddir" "$1" >"$log" 2>&1
	status=$?
	tr -d '\r' <"$log" >"$log.clean" && mv "$log.clean" "$log"
	cat "$log"
	[ "$status" -eq "${2:-0}" ] || \
		fail "QEMU exit status $status (expected ${2:-0}; 124 = timeout)"
}
fw_finish() {	# fw_finish <name>
	grep -E 'PANIC|FAIL|WRONG' "$log" | grep -v 'RESULT' &&
		fail "panic, failure or WRONG lines in the console"
	expect '^\[host\] RESULT: PASS \(0 failures\)' "host reported failures"
	if [ "$failures" -ne 0 ]; then
		echo "$1: $failures check(s) failed"
		exit 1
	fi
	echo "$1: PASS"
	exit 0
}
