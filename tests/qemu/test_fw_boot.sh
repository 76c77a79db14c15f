#!/usr/bin/env bash
# Boot the caec firmware stack under QEMU (FEAT_RME) and check the console:
# both realms report RIM and realm config, each RIM equals the one the host
# predicted, the host's read of a realm granule takes a GPF (DFSC 0x28) that
# it survives, the secret is nowhere in Normal-world memory, teardown leaves
# no granule delegated, the second CPU boots (PSCI CPU_ON from the monitor,
# per-CPU RMM boot), the machine powers off with PSCI SYSTEM_OFF, the
# memory layout comes from QEMU's device tree, and the RMM's stage-1
# self-test finds every region exactly as mapped (W^X, PAS, unmapped).
#   test_fw_boot.sh [qemu -m] [DRAM size] [end of the delegable range]
# (default: 1G 0x40000000 0x80000000; meson runs 512M and 2G as well).
# Exit: 0 pass, 1 fail, 77 skip (no QEMU >= 10 or no aarch64 cross gcc).
set -uo pipefail

export FIRMWARE_MEM=${1:-1G}
dram_size=${2:-0x40000000}
ns_top=${3:-0x80000000}

# shellcheck source=fw_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/fw_lib.sh"
fw_run boot

expect "^\[el3\] device tree: DRAM 0x40000000\+$dram_size \([0-9]+ MB\); delegable 0x40800000-$ns_top " \
	"monitor did not find DRAM 0x40000000+$dram_size in the device tree"
expect "^\[host\] memory from the monitor: DRAM 0x40000000\+$dram_size .* delegable 0x40800000-$ns_top " \
	"the host did not get the layout in its boot registers"
expect "^\[rmm\] caec RMM at Realm EL2: .* granules at 0x40800000-$ns_top, stage-1 MMU on \(W\^X\)" \
	"RMM did not boot with the delegable range from the monitor"
expect '^\[el3\] GPT on: GPCCR_EL3=0x13500' "monitor did not enable the GPT"
# The RMM's stage-1 self-test (rmm/plat/qemu/mmu_selftest.c): what the MMU enforces.
expect '^\[rmm\] stage-1 self-test: 11 regions, 0 wrong$' "RMM stage-1 self-test"
n=$(grep -cE '^\[rmm\] stage-1 .*: ok$' "$log")
[ "$n" -eq 11 ] || fail "expected 11 stage-1 regions ok, got $n"
expect '^\[rmm\] stage-1 text 0x[0-9a-f]+: L3 desc 0x[0-9a-f]+; AT R ok attr 0xff, AT W fault; load ok, exec ran, store faulted: ok' \
	"RMM text is not read-only and executable"
expect '^\[rmm\] stage-1 rodata 0x[0-9a-f]+: L3 .* AT W fault; load ok, exec faulted, store faulted: ok' \
	"RMM rodata is not read-only and execute-never"
expect '^\[rmm\] stage-1 data 0x[0-9a-f]+: L3 .* AT W ok; load ok, exec faulted, store ok: ok' \
	"RMM data is not read-write and execute-never"
expect '^\[rmm\] stage-1 delegable \(Realm PAS\) 0x[0-9a-f]+: L2 .* AT W ok; load GPF, exec faulted: ok' \
	"the delegable range is not RW+XN in the Realm PAS"
expect '^\[rmm\] stage-1 delegable \(NS alias\) 0x[0-9a-f]+: L2 .* AT W ok; load ok, exec faulted: ok' \
	"the NS alias is not RW+XN in the Non-secure PAS"
expect '^\[rmm\] stage-1 UART 0x9000000: L3 .* attr 0x0, AT W ok;' "the UART is not Device memory"
for what in 'DTB' 'monitor \(Root PAS\)' 'GIC distributor' 'past the delegable range'; do
	expect "^\[rmm\] stage-1 $what 0x[0-9a-f]+: unmapped .*: ok" "RMM maps the $what"
done
expect '^\[rmm\] caec RMM at Realm EL2' "RMM did not boot"
for r in 0 1; do
	expect "^\[realm$r\] realm config: status 0 ipa_width=39 hash_algo=SHA-256" \
		"realm$r did not print its realm config"
	expect "^\[realm$r\] RIM=[0-9a-f]{64} \(status 0\)" "realm$r did not print its RIM"
	got=$(sed -n "s/^\[realm$r\] RIM=\([0-9a-f]\{64\}\).*/\1/p" "$log" | head -1)
	want=$(sed -n "s/^\[host\] realm$r expected RIM=\([0-9a-f]\{64\}\).*/\1/p" "$log" | head -1)
	if [ -z "$got" ] || [ "$got" != "$want" ]; then
		fail "realm$r RIM '$got' differs from the host's prediction '$want'"
	fi
	expect "^\[host\] realm$r says its secret is at IPA 0x[0-9a-f]+ = PA 0x[0-9a-f]+" \
		"host did not try to read realm$r's secret"
	expect "^\[host\] realm$r secret: no copy in the [0-9]+ MB of NS memory the host can read" \
		"a copy of realm$r's secret found in Normal-world memory"
	expect "^\[realm$r\] host call returned status 0, .*secret intact" "realm$r secret corrupted"
	expect "^\[host\] realm$r: stage-2 fault ESR=0x90000007 at IPA 0x[0-9a-f]+ -> DATA_CREATE_UNKNOWN" \
		"host did not resolve realm$r's stage-2 fault"
	expect "^\[realm$r\] on-demand page at IPA 0x[0-9a-f]+: read 0x0, write/read-back OK" \
		"realm$r's on-demand page did not work"
	# EC 0x25 (IL, ISS of the load kept), EA set (RMM v1.0 A5.2.7), DFSC 0x10
	expect "^\[realm$r\] read of IPA 0x[0-9a-f]+ \(RIPAS EMPTY\) -> SEA injected by the RMM, ESR_EL1=0x9[67][0-9a-f]{3}[2367abef]10\$" \
		"realm$r did not get an SEA for RIPAS EMPTY memory"
	expect "^\[host\] realm$r REC0: PSCI CPU_ON of MPIDR 0x1 -> PSCI_COMPLETE status 0" \
		"host did not complete realm$r's PSCI CPU_ON"
	expect "^\[realm$r\] cpu1 \(MPIDR 0x1\) started by PSCI CPU_ON, context 0x$r" \
		"realm$r's second REC did not start"
	expect "^\[realm$r\] PSCI CPU_ON\(MPIDR 1\) -> 0$" "realm$r's CPU_ON did not return PSCI_SUCCESS"
	expect "^\[host\] realm$r destroyed and its granules undelegated" "realm$r not torn down"
	expect "^\[host\] realm$r secret PA 0x[0-9a-f]+ after undelegate: readable, content zeroed" \
		"realm$r secret granule not scrubbed before it returned to the host"
	expect "^\[host\] realm$r RTT_READ_ENTRY\(0x40000000, 3\): level 3 state ASSIGNED" \
		"realm$r RTT_READ_ENTRY did not show the first page"
	# The realm's console is the host's emulated PL011: every character
	# written is two emulated accesses (a flag register read, a data
	# register write), and every line it printed is on the console.
	expect "^\[host\] realm$r created: .* console: emulated PL011 at IPA 0x4009000000\$" \
		"realm$r's console is not the emulated UART"
	read -r lines chars accesses calls < <(sed -n "s/^\[host\] realm$r console: \([0-9]*\) line(s), \([0-9]*\) characters; \([0-9]*\) emulated UART accesses, \([0-9]*\) console host calls\$/\1 \2 \3 \4/p" "$log")
	if [ -z "${lines:-}" ] || [ "$chars" -eq 0 ] || [ "$accesses" -ne $((2 * chars)) ] ||
	   [ "$calls" -ne 0 ]; then
		fail "realm$r console: ${lines:-?} lines, ${chars:-?} characters, ${accesses:-?} UART accesses (2 per character expected), ${calls:-?} host calls (0 expected)"
	fi
	n=$(grep -c "^\[realm$r\] " "$log")
	[ "$n" -eq "${lines:-0}" ] || fail "realm$r printed ${lines:-?} lines, $n on the console"
done
rim0=$(sed -n 's/^\[realm0\] RIM=\([0-9a-f]*\).*/\1/p' "$log" | head -1)
rim1=$(sed -n 's/^\[realm1\] RIM=\([0-9a-f]*\).*/\1/p' "$log" | head -1)
[ -n "$rim0" ] && [ "$rim0" = "$rim1" ] && fail "both realms report the same RIM"
# The GPF: a data abort at EL2 (EC 0x25) with DFSC 0x28, at the realm PA.
gpf_lines=$(grep -Ec '^\[host\] GPF caught: ESR_EL2=0x9[0-9a-f]{5}28 \(EC=0x25, DFSC=0x28 Granule Protection Fault\) FAR_EL2=0x[0-9a-f]+; host survives' "$log")
[ "$gpf_lines" -eq 2 ] || fail "expected 2 GPF reports with DFSC 0x28, got $gpf_lines"
while read -r pa far; do
	[ "$pa" = "$far" ] || fail "GPF address $far is not the probed PA $pa"
done < <(paste -d' ' \
	<(sed -n 's/^\[host\] realm[01] says its secret is at IPA 0x[0-9a-f]* = PA \(0x[0-9a-f]*\).*/\1/p' "$log") \
	<(sed -n 's/^\[host\] GPF caught: .*FAR_EL2=\(0x[0-9a-f]*\);.*/\1/p' "$log"))
expect '^\[host\] read of RMM image \(Realm PAS\) at PA 0x40200000 -> GPF, ESR_EL2=0x96000028' \
	"host could read the RMM's memory"
expect '^\[host\] read of EL3 monitor and GPT \(Root PAS\) at PA 0x40100000 -> GPF, ESR_EL2=0x96000028' \
	"host could read the monitor's memory"
expect '^\[host\] scanner self-test: planted pattern found 1 time' "secret scanner self-test failed"
expect '^\[host\] after teardown: copies of the secrets in the NS memory the host can read: 0 ' \
	"secret visible after teardown"
expect '^\[host\] realm EL1 registers checked after [1-9][0-9]* REC exits: 0 left to the host' \
	"the host did not check that the RMM scrubs the realm's EL1 registers"
expect '^\[host\] teardown complete: [1-9][0-9]* granules delegated in total, 0 still delegated' \
	"granules left delegated after teardown"
expect '^\[rmm\] cpu1: per-CPU boot done' "the RMM did not boot on the second CPU"
expect '^\[host\] PSCI \(EL3\) VERSION 0x10001, FEATURES\(CPU_ON\) 0, CPU_ON\(1\) 0, CPU_ON\(1\) again -[45], cpu1: RMI_VERSION status 0 version 0x10000, AFFINITY_INFO\(1\) after CPU_OFF 1' \
	"physical PSCI from the monitor or RMI on the second CPU did not work"
expect '^\[el3\] cpu0: PSCI SYSTEM_OFF: powering off' "the run did not end with PSCI SYSTEM_OFF"
fw_finish test_fw_boot
