#!/usr/bin/env bash
# The main demo: set everything up, build, and show three realms sharing a
# confidential region on the simulated platform, then the same demo in
# three realms on the firmware under QEMU, isolation enforced by hardware
# checks.
#   scripts/demo.sh [sim|firmware|all]   (default: all)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
what="${1:-all}"

bash "$here/scripts/setup.sh"
bash "$here/scripts/build.sh" release
bld="$here/build/release"

run_sim() {
	echo
	echo "=== caec demo on the simulated platform (caec-simd) ==="
	bash "$here/scripts/sim-demo-run.sh" "$bld/backends/sim/simd/caec-simd" \
		"$bld/examples/regions/caec-demo" "$bld/tools/caec-token/caec-token"
}

# The same demo's roles (examples/regions/demo_roles.c) as applications
# in three realms on the firmware (EL3 monitor, RMM, host) under QEMU's
# emulated Arm RME, through the RSI backend; the host's read of the region
# takes a Granule Protection Fault.
run_firmware() {
	echo
	echo "=== caec demo in three realms: the firmware on QEMU's emulated Arm RME ==="
	bash "$here/scripts/firmware-demo.sh" "$here/build/firmware" libcaec_demo
}

case "$what" in
sim) run_sim ;;
firmware) run_firmware ;;
all) run_sim; run_firmware ;;
*) echo "demo.sh: unknown part '$what' (sim|firmware|all)" >&2; exit 2 ;;
esac
