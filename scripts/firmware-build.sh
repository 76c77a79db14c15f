#!/usr/bin/env bash
# Build the caec firmware (EL3 monitor, RMM, host, realm) for QEMU's
# emulated Arm RME with Debian's gcc-aarch64-linux-gnu.
#
#   scripts/firmware-build.sh [builddir]      (default: <repo>/build/firmware)
#
# Idempotent: configures the cross build once, then lets ninja rebuild only
# what changed.  Images: <builddir>/{monitor,rmm,host,realm}.elf
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
builddir=${1:-$repo/build/firmware}

if ! command -v aarch64-linux-gnu-gcc >/dev/null 2>&1; then
	echo "firmware-build: aarch64-linux-gnu-gcc not found (run scripts/setup.sh)" >&2
	exit 2
fi

# A build directory configured before the firmware joined the top-level
# project (source directory firmware/) cannot regenerate itself: made
# again from the repository root.  Options given to that old setup are not
# carried over.
info=$builddir/meson-info/meson-info.json
if [ -f "$info" ] && grep -qF "\"source\": \"$repo/firmware\"" "$info"; then
	echo "firmware-build: $builddir was configured from firmware/; configuring it again" >&2
	rm -rf "$builddir"
fi
if [ ! -f "$builddir/build.ninja" ]; then
	# The bare-metal cross file makes the top-level project the firmware
	# build (meson.build: fw_cross).
	meson setup --cross-file "$repo/firmware/cross/aarch64-none.ini" \
		"$builddir" "$repo" >/dev/null
fi
ninja -C "$builddir" -j "${FIRMWARE_JOBS:-2}" >/dev/null
echo "firmware-build: images in $builddir"
