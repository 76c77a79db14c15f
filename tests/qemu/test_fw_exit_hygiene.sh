#!/usr/bin/env bash
# fw_exit_hygiene: for each exit kind the host sees exactly the ESR, FAR
# and HPFAR bits RMM v1.0 lists, never a stale HPFAR; the realm's timer,
# debug and PMU state does not reach the host; HVC, semihosting HLT and
# debug/PMU register writes are an UNDEF in the realm and do not stop the run.
set -uo pipefail
# shellcheck source=fw_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/fw_lib.sh"
fw_run exit_hygiene

for p in 'HVC #0' 'Semihosting HLT #0xF000 SYS_EXIT' 'MDSCR_EL1 write' 'PMU PMCR_EL0/PMCCNTR_EL0 write'; do
	expect "realm0\] $p -> UNDEF \(Unknown exception\), ESR_EL1=0x2000000" "$p was not an UNDEF in the realm"
done
n=$(grep -c '^\[host\] exit hygiene: .*: 0x[0-9a-f]* ok$' "$log")
[ "$n" -eq 17 ] || fail "expected 17 exit hygiene checks ok, got $n"
grep -q 'exit hygiene: .* WRONG' "$log" && fail "an exit carried bits the spec does not allow"
expect 'realm0\] hygiene probes done' "the realm did not survive its probes (semihosting?)"
fw_finish test_fw_exit_hygiene
