#!/usr/bin/env bash
# Build the firmware and boot one host scenario on QEMU's emulated Arm RME:
# EL3 monitor -> RMM (Realm EL2) -> host-<scenario>.elf (Normal EL2) -> realms.
# The console goes to the terminal; the exit status is the host's verdict
# (0 = every check passed), or 124 on timeout.
#
#   scripts/firmware-demo.sh [builddir] [scenario]     (scenario: boot, ...)
# Environment: FIRMWARE_TIMEOUT (s, default 120), FIRMWARE_MEM (QEMU -m,
# default 1G).
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

# -device loader: the monitor ELF sets the PC (CPU 0 starts at EL3 there);
# the RMM and host ELFs are only loaded.  -nic none: no PCI NIC ROM needed.
set +e
timeout "$timeout_s" qemu-system-aarch64 \
	-M virt,secure=on,virtualization=on,gic-version=3 \
	-cpu max,x-rme=on -m "$mem" -nographic -nic none \
	-semihosting-config enable=on,target=native \
	-device loader,file="$builddir/monitor.elf",cpu-num=0 \
	-device loader,file="$builddir/rmm.elf" \
	-device loader,file="$builddir/host-$scenario.elf" </dev/null
status=$?
set -e
if [ "$status" -eq 124 ]; then
	echo "firmware-demo: QEMU timed out after ${timeout_s}s" >&2
fi
exit "$status"
