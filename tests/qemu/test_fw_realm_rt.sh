#!/usr/bin/env bash
# The realm C runtime (firmware/realm/rt) under QEMU with FEAT_RME, -smp 2:
# the host builds one realm from realm/rt-test (an image with the realm
# image header and 4 MB of heap) and the console must show picolibc at
# work in the realm (printf %f/%e/%g, libm), FP/SIMD registers surviving
# an exception, a malloc/free stress with no corruption and ENOMEM past
# the heap, the SIMD string functions right at every alignment and up to
# an unmapped page, each stage-1 permission violation reported with
# ESR/FAR/ELR while the realm continues, a 2 MB block and 4 KB pages in
# the map, a stack overflow caught in the guard page, and finally an
# unhandled fault reported with its class, ESR, FAR and ELR, after which
# the realm ends cleanly (exit status 128 + EC to the host, SYSTEM_OFF)
# and teardown leaves nothing delegated.
set -uo pipefail

# shellcheck source=fw_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/fw_lib.sh"
fw_run realm_rt

hex='0x[0-9a-f]+'
expect '^\[host\] realm0: [2-9] level-3 RTTs for its RAM' "image RAM did not span several level-3 RTTs"
expect '^\[rt-test\] hello from a picolibc realm program' "the realm program did not start"
expect "^\[rt\]   heap   $hex-$hex RW XN \(4096 KB" "runtime did not report a 4 MB heap"
got=$(sed -n 's/^\[rt-test\] RIM=\([0-9a-f]\{64\}\).*/\1/p' "$log" | head -1)
want=$(sed -n 's/^\[host\] realm0 expected RIM=\([0-9a-f]\{64\}\).*/\1/p' "$log" | head -1)
if [ -z "$got" ] || [ "$got" != "$want" ]; then
	fail "realm RIM '$got' differs from the host's prediction '$want'"
fi
expect '^\[rt-test\] printf: "3\.141593 1\.414 6\.022141e\+23 0\.5"$' "printf %f/%e/%g"
expect '^\[rt-test\] float math: sqrt\(2\)=1\.414213562 sin\(pi/6\)=0\.500000 exp\(1\)=2\.718282$' \
	"libm results"
expect '^\[rt-test\] FP/SIMD registers across an exception: 0 of 24 registers and FPCR changed$' \
	"FP/SIMD state not preserved across an exception"
expect '^\[rt-test\] malloc/free stress: [0-9]{4,} allocations, [0-9]+ frees, peak [0-9]+ KB live, 0 bad' \
	"malloc/free stress"
expect '^\[rt-test\] malloc beyond the heap: NULL \(errno ENOMEM\)' "malloc past the heap"
expect '^\[rt-test\] memcpy/memset/memcmp: 6400 alignment/length cases, 0 bad' "memcpy/memset"
expect '^\[rt-test\] strlen/memchr/strchr: 464 cases \(64 ending on the last byte before an unmapped page\), 0 bad' \
	"strlen/memchr/strchr"
expect "^\[rt-test\] write to \.text: Data Abort \(same EL\), permission fault, level 3; ESR_EL1=0x9600004f FAR_EL1=$hex ELR_EL1=$hex; realm continues" \
	"write to .text not refused"
expect "^\[rt-test\] write to \.rodata: Data Abort \(same EL\), permission fault, level 3; ESR_EL1=0x9600004f" \
	"write to .rodata not refused"
expect "^\[rt-test\] execute from \.data: Instruction Abort \(same EL\), permission fault, level 3; ESR_EL1=0x8600000f" \
	"execution from .data not refused"
expect "^\[rt-test\] execute from the heap: Instruction Abort \(same EL\), permission fault, level 3; ESR_EL1=0x8600000f" \
	"execution from the heap not refused"
expect "^\[rt-test\] read of the stack guard page: Data Abort \(same EL\), translation fault, level 3; ESR_EL1=0x96000007" \
	"stack guard page readable"
expect '^\[rt-test\] stage 1: text at 0x40000000 mapped at level 3 \(4 KB page\)' "text not in 4 KB pages"
expect "^\[rt-test\] stage 1: heap at $hex mapped at level 2 \(2 MB block\)" "no 2 MB block in the heap"
expect "^\[rt-test\] stack overflow after [0-9]+ frames: Data Abort \(same EL\) at FAR_EL1=$hex \(guard page $hex\), ESR_EL1=0x96000047; recovered with longjmp" \
	"stack overflow not caught in the guard page"
expect '^\[rt-test\] PASS \(0 failures\)' "the realm program's own checks failed"
expect '^\[rt\] unhandled exception: Data Abort \(same EL\), taken from EL1 with SP_EL0, sync$' \
	"unhandled fault not reported with its class"
expect '^\[rt\]   ESR_EL1=0x96000046 \(EC 0x25, ISS 0x46: translation fault, level 2, write\)$' \
	"unhandled fault's ESR not reported"
expect "^\[rt\]   FAR_EL1=0x10 ELR_EL1=$hex SPSR_EL1=$hex SP=$hex$" "unhandled fault's FAR/ELR not reported"
expect '^\[rt\] realm ends: exit status 165$' "realm did not end with 128 + EC"
expect '^\[host\] realm0 REC0 reports exit status 165$' "host did not get the exit status"
expect '^\[host\] realm0: PSCI SYSTEM_OFF from REC0' "realm did not end with SYSTEM_OFF"
grep -q '^\[rt-test\] FAIL' "$log" && fail "the realm program reported a failed check"
expect '^\[host\] teardown complete: [1-9][0-9]* granules delegated in total, 0 still delegated' \
	"granules left delegated after teardown"
fw_finish test_fw_realm_rt
