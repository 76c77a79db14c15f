#!/usr/bin/env bash
# FP/SIMD registers in the EL3 and EL2 images (firmware/meson.build:
# fw_bare_args gives -mgeneral-regs-only per target).  Their C code must
# never name an FP/SIMD register: those registers belong to the lower ELs
# (the host's, or a realm's while the RMM switches them).  The exception
# is mbedTLS (Debian's libmbedcrypto.a, for attestation), which uses SIMD
# and runs only inside the crypto guard (firmware/crypto/include/
# fw_crypto.h) that saves and restores the register file.  Checked here:
#  1. every object compiled from C for the monitor, the RMM, the hosts and
#     the bare test realm (core/ sources included) has no instruction that
#     names an FP/SIMD register;
#  2. in the linked monitor.elf and rmm.elf, every function that does is
#     either defined by libmbedcrypto.a or is fp_save/fp_restore
#     (common/src/aarch64/fp_regs.S: the REC switch and the guard);
#  3. the only C objects that call mbedTLS are the ones listed below, each
#     of which does so only between fw_crypto_begin()/plat_crypto_begin()
#     and the matching end (reviewed; the native fake host aborts on a
#     call outside the guard).
# Exit: 0 pass, 1 fail, 77 skip (no aarch64 cross gcc).
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
builddir=${FIRMWARE_BUILDDIR:-$repo/build/firmware}
mbedcrypto=/usr/lib/aarch64-linux-gnu/libmbedcrypto.a
if ! command -v aarch64-linux-gnu-objdump >/dev/null 2>&1; then
	echo "SKIP: aarch64-linux-gnu binutils not installed"
	exit 77
fi
if ! "$repo/scripts/firmware-build.sh" "$builddir"; then
	echo "FAIL: firmware build failed"
	exit 1
fi

# The objects of each image allowed to call mbedTLS (nm -u names mbedtls_*).
declare -A mbedtls_callers=(
	[monitor.elf.p]="monitor_el3_attest.c.o .._core_token_src_cose.c.o"
	[rmm.elf.p]="rmm_lib_attest_src_attest.c.o .._core_token_src_cose.c.o"
)
fp_regs='(^|[ ,{\[])([qvdshb]([0-9]|[12][0-9]|3[01]))([ ,.}\]]|$)|\b(fpcr|fpsr)\b'

failures=0
checked=0
shopt -s nullglob dotglob
for dir in "$builddir"/monitor.elf.p "$builddir"/rmm.elf.p "$builddir"/host-*.elf.p \
	   "$builddir"/realm-boot.elf.p; do
	for obj in "$dir"/*.c.o; do
		checked=$((checked + 1))
		# Operand field of each instruction; <symbol> annotations removed.
		hits=$(aarch64-linux-gnu-objdump -d --no-show-raw-insn "$obj" |
			awk -F'\t' 'NF >= 3 { print $2 " " $3 }' | sed 's/<[^>]*>//g' |
			grep -E "$fp_regs" | head -3)
		if [ -n "$hits" ]; then
			echo "FAIL: $(basename "$dir")/$(basename "$obj") uses FP/SIMD registers:"
			echo "$hits"
			failures=$((failures + 1))
		fi
		if aarch64-linux-gnu-nm -u "$obj" | grep -q ' mbedtls_'; then
			allowed=${mbedtls_callers[$(basename "$dir")]:-}
			if [[ " $allowed " != *" $(basename "$obj") "* ]]; then
				echo "FAIL: $(basename "$dir")/$(basename "$obj") calls mbedTLS but is not" \
				     "one of the guarded callers listed in this test"
				failures=$((failures + 1))
			fi
		fi
	done
done
if [ "$checked" -lt 20 ]; then
	echo "FAIL: only $checked objects found under $builddir (layout changed?)"
	failures=$((failures + 1))
fi

# Linked images: the functions that name FP/SIMD registers.
lib_syms=$(aarch64-linux-gnu-nm --defined-only "$mbedcrypto" 2>/dev/null |
	awk 'NF == 3 { print $3 }' | sort -u)
for img in monitor.elf rmm.elf; do
	users=$(aarch64-linux-gnu-objdump -d --no-show-raw-insn "$builddir/$img" |
		awk -F'\t' '/^[0-9a-f]+ <.*>:$/ { fn = $0; sub(/^[0-9a-f]+ </, "", fn); sub(/>:$/, "", fn) }
			    NF >= 3 { print fn "\t" $2 " " $3 }' |
		sed 's/<[^>]*>//g' | grep -E "$fp_regs" | cut -f1 | sort -u)
	n=0
	for fn in $users; do
		n=$((n + 1))
		if [ "$fn" = fp_save ] || [ "$fn" = fp_restore ]; then
			continue
		fi
		if ! grep -qx "$fn" <<<"$lib_syms"; then
			echo "FAIL: $img: $fn uses FP/SIMD registers and is not mbedTLS's"
			failures=$((failures + 1))
		fi
	done
	echo "test_fw_no_fp: $img: $n functions use FP/SIMD registers:" $users
done
echo "test_fw_no_fp: $checked C objects of EL3/EL2 images and the bare realm checked"
if [ "$failures" -ne 0 ]; then
	exit 1
fi
echo "test_fw_no_fp: PASS"
