#!/usr/bin/env bash
# fw_csm_isolation: three realms on the RMM with its CSM extension -- a
# provider, a read-only consumer and an outsider (firmware/host/scenarios/
# csm_isolation.c, firmware/realm/csm.c).  Asserts, on the console:
#  - the host's read of a CSM granule's PA takes a Granule Protection Fault;
#  - the outsider's grant list is empty and its RESERVE and ATTACH of the
#    grant are DENIED (0x10);
#  - DATA_CREATE of the shared PA into the outsider is refused, and so is
#    RTT_MAP_UNPROTECTED of it (while a Normal-world PA maps there);
#  - the read-only consumer reads the provider's bytes in place, and its
#    store takes an SEA inside the realm (EC 0x25, DFSC 0x10, WnR);
#  - after CSM_REVOKE the consumer's loads take SEAs, the host's
#    DATA_CREATE_UNKNOWN into that range fails (RMI_ERROR_RTT, level 3),
#    and DETACH of the revoked grant is DENIED;
#  - teardown leaves no granule delegated.
set -uo pipefail
# shellcheck source=fw_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/fw_lib.sh"
fw_run csm_isolation

for r in 0 1 2; do
	expect "^\[realm$r\] CSM_REALM_ID status 0, realm ID 0x[0-9a-f]+" "realm$r has no realm ID"
done
ids=$(sed -n 's/^\[realm[012]\] CSM_REALM_ID status 0, realm ID \(0x[0-9a-f]*\)$/\1/p' "$log" | sort -u | wc -l)
[ "$ids" -eq 3 ] || fail "the three realm IDs are not distinct ($ids distinct)"
expect '^\[realm0\] CSM_SHARE\(0x40100000, 64 KB\) status 0, region 0x[0-9a-f]+' "the provider could not share"
expect '^\[host\] read of the CSM granule at PA (0x[0-9a-f]+) from Normal EL2 -> GPF, ESR_EL2=0x96000028 FAR_EL2=0x[0-9a-f]+$' \
	"the host's read of a CSM granule did not take a GPF"
pa=$(sed -n 's/^\[host\] read of the CSM granule at PA \(0x[0-9a-f]*\) .*FAR_EL2=\(0x[0-9a-f]*\)$/\1 \2/p' "$log")
set -- $pa
[ "${1:-x}" = "${2:-y}" ] || fail "GPF address ${2:-?} is not the probed PA ${1:-?}"
expect '^\[host\] DATA_CREATE_UNKNOWN of the CSM granule into the outsider -> status 0x1$' \
	"DATA_CREATE of the shared PA into the outsider was not refused"
expect '^\[host\] RTT_MAP_UNPROTECTED of the CSM granule into the outsider -> status 0x1$' \
	"RTT_MAP_UNPROTECTED of the shared PA was not refused"
expect '^\[host\] control: RTT_MAP_UNPROTECTED of a Normal-world granule there -> status 0x0$' \
	"the control mapping failed (the refusal above would prove nothing)"
expect '^\[realm1\] CSM_ATTACH status 0, perm 1, flags 0x0$' "the consumer could not attach read-only"
expect '^\[realm1\] reads the provider.s data in place: pattern OK$' "the consumer did not see the provider's bytes"
expect '^\[realm1\] store to the read-only grant -> SEA ESR_EL1=0x9[67][0-9a-f]{3}[2367abef][5d]0$' \
	"the read-only consumer's store did not take an SEA"
expect '^\[realm2\] outsider: CSM_GRANT_LIST\(0\) -> status 1 \(nothing granted\)$' "the outsider's grant list was not empty"
expect '^\[realm2\] outsider: CSM_RESERVE of grant 0x[0-9a-f]+ -> status 0x10$' "the outsider's RESERVE was not DENIED"
expect '^\[realm2\] outsider: CSM_ATTACH of grant 0x[0-9a-f]+ -> status 0x10$' "the outsider's ATTACH was not DENIED"
expect '^\[realm0\] CSM_REVOKE status 0$' "the provider could not revoke"
expect '^\[host\] after CSM_REVOKE: DATA_CREATE_UNKNOWN into the consumer.s range -> status 0x304$' \
	"the host could repopulate the revoked range"
expect '^\[realm1\] load after CSM_REVOKE -> SEA ESR_EL1=0x9[67][0-9a-f]{3}[2367abef]10$' \
	"the consumer's load after the revoke did not take an SEA"
expect '^\[realm1\] load of the last page after CSM_REVOKE -> SEA ' "the consumer's last page was still mapped"
expect '^\[realm1\] CSM_DETACH of the revoked grant -> status 0x10$' "DETACH of a revoked grant was not DENIED"
expect '^\[realm0\] CSM_UNSHARE status 0$' "the provider could not unshare"
expect '^\[host\] teardown complete: [1-9][0-9]* granules delegated in total, 0 still delegated$' \
	"granules left delegated after teardown"
fw_finish test_fw_csm_isolation
