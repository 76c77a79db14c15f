#!/usr/bin/env bash
# fw_exit_hygiene: for each exit kind the host sees exactly the ESR, FAR
# and HPFAR bits RMM v1.0 lists, never a stale HPFAR; the realm's timer,
# debug and PMU state does not reach the host; HVC, semihosting HLT and
# debug/PMU register writes are an UNDEF in the realm and do not stop the run;
# enter.flags.inject_sea turns an unprotected abort into an SEA in the realm;
# the host shows a realm's console line that starts with "[host]" behind
# the realm's name and an escape character as '?'.
set -uo pipefail
# shellcheck source=fw_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/fw_lib.sh"
fw_run exit_hygiene

for p in 'HVC #0' 'Semihosting HLT #0xF000 SYS_EXIT' 'MDSCR_EL1 write' 'PMU PMCR_EL0/PMCCNTR_EL0 write' 'TPIDR2_EL0 write'; do
	expect "^\[realm0\] $p -> UNDEF \(Unknown exception\), ESR_EL1=0x2000000$" "$p was not an UNDEF in the realm"
done
n=$(grep -c '^\[host\] exit hygiene: .*: 0x[0-9a-f]* ok$' "$log")
[ "$n" -eq 24 ] || fail "expected 24 exit hygiene checks ok, got $n"
# INJECT_SEA (RMM v1.0 A4.2.3): an SEA in the realm for the load the host
# did not emulate (emul_mmio ignored), refused after other exits.
expect '^\[realm0\] load the host does not emulate -> SEA \(EC 0x25, EA, DFSC 0x10\), load not done, ESR_EL1=0x9[0-9a-f]{4}[2367abef]10 FAR_EL1=0xa001000, x5=0xbad$' \
	"INJECT_SEA did not give the realm an SEA for its load"
for after in 'a host call' 'an abort at a protected IPA'; do
	expect "^\[host\] exit hygiene: INJECT_SEA after $after: REC_ENTER status 3\$" \
		"INJECT_SEA after $after was not refused with RMI_ERROR_REC"
done
grep -q 'exit hygiene: .* WRONG' "$log" && fail "an exit carried bits the spec does not allow"
expect '^\[realm0\] host breakpoint on 0x[0-9a-f]+ -> not taken, ESR_EL1=0x0$' "a breakpoint the host set fired in the realm"
expect '^\[realm0\] T32 EL0: trapped 16-bit WFI, then movs r0, #1 -> r0=1 \(resumed after the WFI\), ESR_EL1=0x44000000$' "a trapped 16-bit WFI did not resume at the next instruction"
expect '^\[realm0\] ICC_SGI1R_EL1 write -> resumed after it$' "the realm's SGI write did not reach the host and come back"
expect '^\[realm0\] ID registers: SVE 0 SME 0 PMUVer 0 APA/API 0 ZFR0 0x0$' "the realm is told of SVE, SME, a PMU or PAuth it cannot use"
expect '^\[realm0\] DISR_EL1 after a host call: 0x80000123$' "the realm's DISR_EL1 did not survive its exit, or shows the host's value"
expect '^\[realm0\] hygiene probes done$' "the realm did not survive its probes (semihosting?)"
expect '^\[realm0\] \[host\] RESULT: PASS \(0 failures\), says realm0$' \
	"the realm's line with a [host] tag was not shown behind its name"
[ "$(grep -c '^\[host\] RESULT' "$log")" -eq 1 ] || fail "a realm wrote a line that reads as the host's"
expect '^\[realm0\] an escape sequence: \?\[2J$' "the realm's escape character was not shown as '?'"
grep -q $'\033' "$log" && fail "a realm's escape character reached the console"
fw_finish test_fw_exit_hygiene
