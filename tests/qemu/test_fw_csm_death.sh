#!/usr/bin/env bash
# fw_csm_death: the provider powers off (PSCI SYSTEM_OFF) while its consumer
# is attached read-write (firmware/host/scenarios/csm_death.c).  Asserts:
# before, the consumer reads and writes the region; after, its load and its
# store take SEAs inside the realm, its grant list is empty and DETACH is a
# clean DENIED; teardown leaves 0 granules delegated and the region's
# granules read back zeroed from the Normal world.
set -uo pipefail
# shellcheck source=fw_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/fw_lib.sh"
fw_run csm_death

expect '^\[realm1\] CSM_ATTACH status 0, perm 3, flags 0x0$' "the consumer could not attach"
expect '^\[realm1\] reads the provider.s data: pattern OK; store -> OK$' "the consumer could not use the region"
expect '^\[host\] realm0 \(the provider\) powered off while realm1 is attached$' "the provider did not die first"
expect '^\[realm1\] load after the provider.s death -> SEA ESR_EL1=0x9[67][0-9a-f]{3}[2367abef]10$' \
	"the consumer's load after the provider's death did not take an SEA"
expect '^\[realm1\] store after the provider.s death -> SEA ESR_EL1=0x9[67][0-9a-f]{3}[2367abef][5d]0$' \
	"the consumer's store after the provider's death did not take an SEA"
expect '^\[realm1\] CSM_GRANT_LIST\(0\) after the provider.s death -> status 0x1$' "the dead provider's grant is still listed"
expect '^\[realm1\] CSM_DETACH after the provider.s death -> status 0x10$' "DETACH did not answer a clean DENIED"
expect '^\[host\] the region.s 16 granules after teardown: readable from Normal EL2, 0 non-zero words$' \
	"the region's granules were not scrubbed or not returned"
expect '^\[host\] teardown complete: [1-9][0-9]* granules delegated in total, 0 still delegated$' \
	"granules left delegated after teardown"
fw_finish test_fw_csm_death
