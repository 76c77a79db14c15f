#!/usr/bin/env bash
# libcaec's conformance suite in realms (tests/conformance, docs/conformance.md):
# three realms under QEMU with FEAT_RME, each running the realm kernel with
# the suite's realm runner linked with libcaec's realm build, so every
# case goes through the RSI backend, the /dev/caec driver and the RMM's
# CSM calls.  Role r of a case runs in realm r.  Asserted:
#  - realm 0's summary: every case that runs in realms passed (M failed = 0),
#    and they are at least 80% of the suite's cases;
#  - the realm runner lists as many cases as the sim build of the same
#    suite (argument 1: its test_conformance, when given);
#  - the attestation cases ran and passed: the sealed hash in both sides'
#    tokens, and mutual caec_verify_peer() between realms 0 and 1 with
#    both of the firmware's reservations (unpinned key, lifecycle
#    "unknown": 3);
#  - the host carried harness messages and answered CSM exits, and
#    teardown left nothing delegated.
set -uo pipefail

# shellcheck source=fw_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/fw_lib.sh"
sim_exe=${1:-}
fw_run libcaec

summary=$(grep -Eo '^\[conformance\] realm conformance: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
ran=$(sed -n 's/^\[conformance\] realm conformance: \([0-9]*\) of \([0-9]*\) cases run in realms.*/\1 \2/p' "$log" | tail -1)
echo "collected: ${summary:-no summary line}; run/total: ${ran:-?}"
[ -n "$summary" ] || fail "no 'realm conformance: N passed, M failed' line"
passed=$(sed -n 's/.*realm conformance: \([0-9]*\) passed.*/\1/p' <<<"$summary")
failed=$(sed -n 's/.*passed, \([0-9]*\) failed/\1/p' <<<"$summary")
[ "${failed:-1}" -eq 0 ] || fail "$failed case(s) failed in realms"
read -r run total <<<"${ran:-0 0}"
[ "${passed:-0}" -eq "$run" ] || fail "$passed passed of $run run"
[ "$total" -gt 0 ] && [ $((run * 100)) -ge $((total * 80)) ] ||
	fail "only $run of $total cases run in realms (at least 80% must)"
if [ -n "$sim_exe" ] && [ -x "$sim_exe" ]; then
	sim_total=$("$sim_exe" --list | wc -l)
	[ "$sim_total" -eq "$total" ] || fail "the sim build lists $sim_total cases, the realms $total"
fi
for c in seal_hash_in_tokens attest_verify_peer; do
	expect "^\[conformance\] conformance: $c +ok$" "$c did not pass in realms"
done
n=$(grep -Ec '^\[conformance\] r[01]: attest_verify_peer role [01]: .* caec_verify_peer\(\) [0-9]+ ms .*lifecycle 0x0000, reservations 3$' "$log")
[ "$n" -eq 2 ] || fail "$n of 2 realm-to-realm verifications reported lifecycle 0 and reservations 3"
n_ok=$(grep -c '^\[conformance\] conformance: .* ok$' "$log")
[ "$n_ok" -eq "$run" ] || fail "$n_ok per-case ok lines for $run cases run"
expect '^\[host\] realm kernels: .* peer harness: [1-9][0-9]* messages sent' "no harness messages"
expect '^\[host\] realm0: .* CSM exits: [1-9][0-9]* POPULATE' "realm 0 shared nothing"
expect '^\[host\] teardown complete: .* 0 still delegated' "granules left delegated"
fw_finish test_fw_libcaec_conformance
