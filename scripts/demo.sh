#!/usr/bin/env bash
# The main demo: set everything up, build, and show three realms sharing a
# confidential region on the simulated platform (then, when the firmware
# is built, the same isolation enforced by hardware checks under QEMU).
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

run_firmware() {
	if [ -x "$here/scripts/firmware-demo.sh" ] || [ -f "$here/scripts/firmware-demo.sh" ]; then
		echo
		echo "=== caec firmware on QEMU's emulated Arm RME ==="
		bash "$here/scripts/firmware-demo.sh"
	fi
}

case "$what" in
sim) run_sim ;;
firmware) run_firmware ;;
all) run_sim; run_firmware ;;
*) echo "demo.sh: unknown part '$what' (sim|firmware|all)" >&2; exit 2 ;;
esac
