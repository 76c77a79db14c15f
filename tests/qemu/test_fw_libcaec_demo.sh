#!/usr/bin/env bash
# caec-demo in three realms (what `scripts/demo.sh firmware` shows): the
# Linux demo's own roles (examples/regions/demo_roles.c) as realm kernel
# applications linked with libcaec's realm build, through the RSI backend
# and the RMM's CSM calls.  Asserted on the console, as tests/sim/
# demo_check.sh asserts the sim run:
#  - four mutual verifications (provider <-> A, provider <-> B) of the
#    RMM's tokens with libcaec's verifier, none rejected, the provider's
#    before it grants and each consumer's before it attaches; each with
#    both reservations a firmware token earns (the platform key is the
#    platform's own word, the lifecycle "unknown");
#  - the provider runs on the 'rsi' platform and both consumers attach;
#  - A's reply is read in place by the provider and by B;
#  - B's store to its read-only mapping is refused (SIGSEGV, caught);
#  - B after the revoke and A after the unshare see their access gone;
#  - the channel part: A woken from caec_channel_recv() by the provider's
#    copy (the doorbell), A's zero-copy reply read by the provider in
#    place at the offset where A wrote it, and A woken from its next wait
#    by the revocation (CAEC_E_CLOSED, region revoked, later calls
#    CAEC_E_CLOSED);
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
count '^\[demo\] \[(provider|A \(rw\)|B \(ro\)) *\] verified peer [0-9a-f]{16}: token signed by the platform, fresh, RIM [0-9a-f]{8}\.\.\. = my own image$' 4 \
	"not four mutual verifications"
count 'REJECTED' 0 "a peer was rejected"
count '^\[demo\] \[(provider|A \(rw\)|B \(ro\)) *\]   reservation: the platform key is not pinned' 4 \
	"a verification without CAEC_VERIFY_W_UNPINNED"
count '^\[demo\] \[(provider|A \(rw\)|B \(ro\)) *\]   reservation: platform lifecycle "unknown" \(0x0000\), not "secured"$' 4 \
	"a verification without CAEC_VERIFY_W_DEBUG_PLATFORM"
# Verified before sharing: the provider's two checks before its grants,
# each consumer's check before it attaches.
before() {	# before <regex a> <regex b> <why>: the last a comes before the first b
	local a b
	a=$(grep -En -- "$1" "$log" | tail -1 | cut -d: -f1)
	b=$(grep -En -- "$2" "$log" | head -1 | cut -d: -f1)
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ] || fail "$3"
}
before '^\[demo\] \[provider\] verified peer' '^\[demo\] \[provider\] granted' \
	"the provider granted before verifying both consumers"
for c in 'A \(rw\)' 'B \(ro\)'; do
	before "^\[demo\] \[$c *\] verified peer" "^\[demo\] \[$c *\] .* attaching" \
		"consumer $c attached before verifying the provider"
done
count '^\[demo\] \[(A \(rw\)|B \(ro\)) *\] mapped 65536 bytes at .*provider says: "hello from realm' 2 \
	"consumers did not read the provider's message"
count "^\[demo\] \[provider\] reads A's reply in place: \"reply from A \(rw\), in place\"" 1 \
	"provider did not read A's reply"
count "^\[demo\] \[B \(ro\) *\] reads A's reply: \"reply from A \(rw\), in place\"" 1 "B did not read A's reply"
count '^\[demo\] \[B \(ro\) *\] write attempt on my read-only mapping: SIGSEGV' 1 \
	"B's store was not refused"
count '^\[demo\] \[(A \(rw\)|B \(ro\)) *\] access now: revoked \(caec_region_enter\(\) -> NULL\)' 2 \
	"a consumer kept access"
# The channel part.
count '^\[demo\] \[A \(rw\) *\] channel: the doorbell woke me after [0-9]+ ms in caec_channel_recv\(\): "ping from the provider \(a copy\)" \(32 bytes, copied\)$' 1 \
	"A was not woken by the provider's copy"
a_off=$(sed -En 's/^\[demo\] \[A \(rw\) *\] channel: zero-copy reply: reserved 4096 bytes at offset (0x[0-9a-f]+) of the region, wrote them in place, committing$/\1/p' "$log")
p_off=$(sed -En 's/^\[demo\] \[provider\] channel: peeked A.s 4096-byte reply in place at offset (0x[0-9a-f]+): "zero-copy reply from A", all as A wrote it \(no copy\)$/\1/p' "$log")
[ -n "$a_off" ] && [ "$a_off" = "$p_off" ] ||
	fail "the provider did not read A's zero-copy reply where A wrote it (A: '$a_off', provider: '$p_off')"
count '^\[demo\] \[A \(rw\) *\] channel: woken by the revocation after [0-9]+ ms: caec_channel_recv\(\) -> CAEC_E_CLOSED$' 1 \
	"A was not woken by the revocation"
count '^\[demo\] \[A \(rw\) *\] channel: region revoked; caec_channel_send\(\) -> CAEC_E_CLOSED$' 1 \
	"A's channel did not close with the revocation"
count '^\[demo\] \[provider\] channel: destroyed the channel region' 1 "the channel region was not destroyed"
count 'NOT |STILL MAPPED| failed: ' 0 "a step did not do what it shows"
count '^\[demo\] \[provider\] demo complete' 1 "the demo did not complete"
expect '^\[host\] the provider.s region: (1[0-9]|[2-9]) granules .*: \1 GPFs' \
	"the host's reads of the region did not all take a GPF"
expect '^\[host\] teardown complete: .* 0 still delegated' "granules left delegated"
fw_finish test_fw_libcaec_demo
