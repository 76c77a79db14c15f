#!/usr/bin/env bash
# fw_csm_ring: a provider and a consumer exchange 10,000 checksummed
# messages over a core/ring ring in CSM memory (firmware/realm/csm_ring.c),
# blocking with core/doorbell: a full or empty ring is a WFI the host traps,
# CSM_NOTIFY exits with CSM_DOORBELL naming the peer and the host enters the
# waiting realm again.  Asserts: every message arrives once, in order, with
# its checksum; both sides blocked in WFIs and were woken by doorbells; the
# host never found both realms waiting (a lost wake-up fails the run);
# teardown leaves no granule delegated.
set -uo pipefail
# shellcheck source=fw_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/fw_lib.sh"
fw_run csm_ring

expect '^\[realm0\] ring of [0-9]+ bytes in CSM memory \(format 0\), CSM_GRANT\(read-write\) status 0$' \
	"the producer could not set the ring up in CSM memory"
expect '^\[realm1\] CSM_ATTACH status 0, perm 3; ring_init 0$' "the consumer could not attach the ring"
expect '^\[realm0\] producer: sent 10000 messages \(status 0\), [1-9][0-9]* doorbell waits, [1-9][0-9]* CSM_NOTIFY$' \
	"the producer did not send every message, or never blocked or notified"
expect '^\[realm1\] consumer: received 10000 of 10000 messages: 0 lost, 0 duplicated, 0 out of order, 0 bad checksums \(status 0\); [1-9][0-9]* doorbell waits, [1-9][0-9]* CSM_NOTIFY$' \
	"messages were lost, duplicated, reordered or corrupted, or the consumer never blocked"
for r in 0 1; do
	expect "^\[host\] realm$r: [0-9]+ REC exits; CSM exits: .* [1-9][0-9]* DOORBELL rung; woken by [1-9][0-9]* doorbells; [1-9][0-9]* trapped WFIs$" \
		"realm$r did not both ring and wait on doorbells"
done
grep -q 'a wake-up was lost' "$log" && fail "a wake-up was lost"
expect '^\[realm1\] CSM_DETACH status 0$' "the consumer could not detach"
expect '^\[realm0\] CSM_UNSHARE status 0$' "the provider could not unshare"
expect '^\[host\] teardown complete: [1-9][0-9]* granules delegated in total, 0 still delegated$' \
	"granules left delegated after teardown"
fw_finish test_fw_csm_ring
