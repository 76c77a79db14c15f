#!/usr/bin/env bash
# fw_preempt: three realms; realm0 spins for ever, realm1 (CPU 0) and
# realm2 (CPU 1, at the same time) count and wait on their virtual timer
# (trapped WFI, timer injected through the list registers).  The host's EL2
# timer preempts them (RMI_EXIT_IRQ); both workers finish, the spinner is
# destroyed, and every granule ends undelegated and zero.
set -uo pipefail
# shellcheck source=fw_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/fw_lib.sh"
fw_run preempt

expect '^\[realm0\] spinning for ever, no exits$' "the spinner did not start"
for r in 1 2; do
	expect "^\[realm$r\] virtual timer wait: asked [0-9]+ ticks, waited [0-9]+ \(not early\), [1-9][0-9]* wake-up\(s\)$" \
		"realm$r's timed wait did not work"
	expect "^\[host\] realm$r: PSCI SYSTEM_OFF from REC0" "realm$r did not finish"
	# Printed by realm1 (cpu0) and realm2 (cpu1) at the same time: each
	# line whole, none lost (the host emulates the realms' UART and
	# prints their lines under its console lock).
	n=$(grep -Ec "^\[realm$r\] console line [0-9]{2} of 40: 0123456789 [a-z]{26} [A-Z]{26}\$" "$log")
	[ "$n" -eq 40 ] || fail "realm$r: $n of its 40 console lines came out whole"
done
expect '^\[host\] realm0 on cpu0: [0-9]+ REC exits, ([3-9]|[1-9][0-9]+) preempted by the host timer \(RMI_EXIT_IRQ\), 0 WFx exits, 0 virtual timer injections, still running' \
	"the spinner was not preempted by the host timer"
expect '^\[host\] realm1 on cpu0: [0-9]+ REC exits, [1-9][0-9]* preempted .* [1-9][0-9]* WFx exits, [1-9][0-9]* virtual timer injections, finished' \
	"realm1 was not preempted, did not wait or did not finish"
expect '^\[host\] realm2 on cpu1: [0-9]+ REC exits, [1-9][0-9]* preempted .* [1-9][0-9]* WFx exits, [1-9][0-9]* virtual timer injections, finished' \
	"realm2 did not run on cpu1 or did not finish"
expect '^\[host\] RECs ran on both CPUs at once: yes' "the two CPUs did not run RECs at the same time"
expect '^\[host\] realm0 destroyed and its granules undelegated' "the spinner was not destroyed"
expect '^\[host\] after teardown: 0 granules still delegated; [1-9][0-9]* former realm pages read back from Normal EL2, 0 non-zero words' \
	"granules left delegated or not scrubbed"
fw_finish test_fw_preempt
