#!/usr/bin/env bash
# caec-demo in three realms (what `scripts/demo.sh firmware` shows): the
# Linux demo's own roles (examples/regions/demo_roles.c) as realm kernel
# applications linked with libcaec's realm build, through the RSI backend
# and the RMM's CSM calls.  Asserted on the console, as tests/sim/
# demo_check.sh asserts the sim run:
#  - the provider runs on the 'rsi' platform and both consumers attach;
#  - A's reply is read in place by the provider and by B;
#  - B's store to its read-only mapping is refused (SIGSEGV, caught);
#  - B after the revoke and A after the unshare see their access gone;
#  - the host's reads of every granule of the region take GPFs;
#  - "demo complete", and teardown leaves nothing delegated.
set -uo pipefail

# shellcheck source=fw_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/fw_lib.sh"
fw_run libcaec_demo

count() {	# count <regex> <n> <reason>
	local n
	n=$(grep -Ec -- "$1" "$log")
	[ "$n" -eq "$2" ] || fail "$3 (expected $2 line(s) matching /$1/, got $n)"
}
count "^\[demo\] \[provider\] realm ID [0-9a-f]{16} on the 'rsi' platform" 1 "provider not on rsi"
count '^\[demo\] \[(A \(rw\)|B \(ro\)) *\] mapped 65536 bytes at .*provider says: "hello from realm' 2 \
	"consumers did not read the provider's message"
count "^\[demo\] \[provider\] reads A's reply in place: \"reply from A \(rw\), in place\"" 1 \
	"provider did not read A's reply"
count "^\[demo\] \[B \(ro\) *\] reads A's reply: \"reply from A \(rw\), in place\"" 1 "B did not read A's reply"
count '^\[demo\] \[B \(ro\) *\] write attempt on my read-only mapping: SIGSEGV' 1 \
	"B's store was not refused"
count '^\[demo\] \[(A \(rw\)|B \(ro\)) *\] access now: revoked \(caec_region_enter\(\) -> NULL\)' 2 \
	"a consumer kept access"
count '^\[demo\] \[provider\] demo complete' 1 "the demo did not complete"
expect '^\[host\] the provider.s region: (1[0-9]|[2-9]) granules .*: \1 GPFs' \
	"the host's reads of the region did not all take a GPF"
expect '^\[host\] teardown complete: .* 0 still delegated' "granules left delegated"
fw_finish test_fw_libcaec_demo
