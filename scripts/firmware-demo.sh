#!/usr/bin/env bash
# Build the firmware and boot one host scenario on QEMU's emulated Arm RME:
# EL3 monitor -> RMM (Realm EL2) -> host-<scenario>.elf (Normal EL2) -> realms.
# The console goes to the terminal.  The host's verdict is its
# "[host] RESULT: PASS|FAIL" line: the machine then powers off through the
# monitor (PSCI SYSTEM_OFF -> secure GPIO -> QEMU's gpio-pwr), since QEMU
# runs without semihosting (which a realm could otherwise use to stop it).
# Exit status: 0 if the console says PASS, 1 if not, 124 on timeout.
#
#   scripts/firmware-demo.sh [builddir] [scenario]     (scenario: boot, ...)
# Environment: FIRMWARE_TIMEOUT (s, default 120), FIRMWARE_MEM (QEMU -m,
# default 1G), FIRMWARE_QEMU_ARGS (more QEMU options, split on spaces: the
# benchmark's "-icount shift=0").
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
builddir=${1:-$repo/build/firmware}
scenario=${2:-boot}
timeout_s=${FIRMWARE_TIMEOUT:-120}
mem=${FIRMWARE_MEM:-1G}

"$repo/scripts/firmware-build.sh" "$builddir" >&2
if [ ! -f "$builddir/host-$scenario.elf" ]; then
	echo "firmware-demo: no host scenario '$scenario' ($builddir/host-$scenario.elf)" >&2
	exit 2
fi

# -device loader: the monitor ELF sets CPU 0's PC (it starts at EL3 there),
# addr=<monitor entry>,cpu-num=1 sets CPU 1's; the RMM and host ELFs are
# only loaded.  -smp 2: two physical CPUs.  -no-reboot: SYSTEM_RESET ends
# the run.  -nic none: no PCI NIC ROM needed.
monitor_entry=$(aarch64-linux-gnu-readelf -h "$builddir/monitor.elf" | sed -n 's/.*Entry point address: *//p')
console=$(mktemp)
trap 'rm -f "$console"' EXIT
set +e
timeout "$timeout_s" qemu-system-aarch64 \
	-M virt,secure=on,virtualization=on,gic-version=3 \
	-cpu max,x-rme=on -smp 2 -m "$mem" -nographic -nic none -no-reboot \
	${FIRMWARE_QEMU_ARGS:-} \
	-device loader,file="$builddir/monitor.elf",cpu-num=0 \
	-device loader,addr="$monitor_entry",cpu-num=1 \
	-device loader,file="$builddir/rmm.elf" \
	-device loader,file="$builddir/host-$scenario.elf" </dev/null | tee "$console"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -eq 124 ]; then
	echo "firmware-demo: QEMU timed out after ${timeout_s}s" >&2
	exit 124
fi
if [ "$status" -ne 0 ]; then
	echo "firmware-demo: QEMU exit status $status" >&2
	exit "$status"
fi
tr -d '\r' <"$console" | grep -q '^\[host\] RESULT: PASS' || exit 1
exit 0
