#!/usr/bin/env bash
# The EL3 monitor, the RMM, the hosts and the bare test realm are C built
# with -mgeneral-regs-only (firmware/meson.build: fw_bare_args, given per
# target since realm runtime code must use FP/SIMD).  This checks every
# object compiled from C for those images: not one instruction may name an
# FP/SIMD register, so EL2/EL3 C code can never clobber the registers of
# the lower ELs.  (Their assembly, e.g. the RMM's FP context switch, is
# written by hand and not checked here.)
# Exit: 0 pass, 1 fail, 77 skip (no aarch64 cross gcc).
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
builddir=${FIRMWARE_BUILDDIR:-$repo/build/firmware}
if ! command -v aarch64-linux-gnu-objdump >/dev/null 2>&1; then
	echo "SKIP: aarch64-linux-gnu binutils not installed"
	exit 77
fi
if ! "$repo/scripts/firmware-build.sh" "$builddir"; then
	echo "FAIL: firmware build failed"
	exit 1
fi

failures=0
checked=0
shopt -s nullglob
for dir in "$builddir"/monitor.elf.p "$builddir"/rmm.elf.p "$builddir"/host-*.elf.p \
	   "$builddir"/realm-boot.elf.p; do
	for obj in "$dir"/*.c.o; do
		checked=$((checked + 1))
		# Operand field of each instruction; <symbol> annotations removed.
		hits=$(aarch64-linux-gnu-objdump -d --no-show-raw-insn "$obj" |
			awk -F'\t' 'NF >= 3 { print $2 " " $3 }' | sed 's/<[^>]*>//g' |
			grep -E '(^|[ ,{\[])([qvdshb]([0-9]|[12][0-9]|3[01]))([ ,.}\]]|$)|\b(fpcr|fpsr)\b' |
			head -3)
		if [ -n "$hits" ]; then
			echo "FAIL: $(basename "$dir")/$(basename "$obj") uses FP/SIMD registers:"
			echo "$hits"
			failures=$((failures + 1))
		fi
	done
done
if [ "$checked" -lt 20 ]; then
	echo "FAIL: only $checked objects found under $builddir (layout changed?)"
	failures=$((failures + 1))
fi
echo "test_fw_no_fp: $checked C objects of EL3/EL2 images and the bare realm checked"
if [ "$failures" -ne 0 ]; then
	exit 1
fi
echo "test_fw_no_fp: PASS"
