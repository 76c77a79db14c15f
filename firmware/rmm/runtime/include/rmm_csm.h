/*
 * Confidential shared memory in the RMM (runtime/csm): core/csm, the one
 * CSM state machine, linked into the RMM, its platform operations over
 * stage 2 and granules, the CSM RSI and RMI calls, and the hooks the
 * standard calls make.  docs/firmware.md ("Confidential shared memory")
 * has the granule model and the lock order.
 *
 * One lock, the CSM lock, serialises every use of the state machine; it
 * comes first in the lock order (lockdep.h).  Each hook below is called
 * with the CSM lock held.
 */
#ifndef RMM_CSM_H
#define RMM_CSM_H

#include <fw_utils.h>

struct csm;
struct granule;
struct s2tt_walk;
struct smc_result;

/* Boot (and every native test reset): a fresh state keyed from RNDR. */
void rmm_csm_boot(void);

void rmm_csm_lock(void);
void rmm_csm_unlock(void);

/* REALM_ACTIVATE, RD locked: the realm joins the CSM and gets its ID. */
void rmm_csm_realm_activate(struct granule *g_rd);

/*
 * PSCI SYSTEM_OFF or SYSTEM_RESET (no granule lock held): the realm's
 * death.  Every grant made to it is detached and deleted, every region it
 * provides revoked from every consumer (their ranges fault afterwards).
 */
void rmm_csm_realm_off(uint64_t rd_addr);

/*
 * REALM_DESTROY, RD locked and found destroyable: the realm's death if it
 * did not power off, then its metadata granules are scrubbed and go back
 * to DELEGATED for the host to undelegate.
 */
void rmm_csm_realm_destroy(struct granule *g_rd);

/*
 * DATA_DESTROY of a CSM page (w's level-3 entry at ipa is a region page or
 * a consumer page), RD locked.  A consumer page: only that mapping goes
 * (the provider's granule is not touched).  A region page: every
 * consumer's mapping of it goes first (TLBI by VMID and IPA), then the
 * provider's; the granule is zeroed and becomes DELEGATED.  The range
 * stays a CSM range: those entries become "gone" (SEA, not populatable).
 * Fills res like DATA_DESTROY (x0, x1 = the PA, x2 = top).
 */
void rmm_csm_data_destroy(struct granule *g_rd, const struct s2tt_walk *w, uint64_t ipa,
			  struct smc_result *res);

/* Is pa a page of a CSM region?  (RTT_MAP_UNPROTECTED refuses it.) */
bool rmm_csm_granule_is_shared(uint64_t pa);

/*
 * For a realm's attestation token (runtime/rsi/attest.c), CSM lock held:
 * its CSM relations in the token's order (core/csm's
 * csm_token_relations(), as caec-simd lists them) into out[0..n), n
 * returned; with more than cap, the first cap - 1 and *omitted the number
 * left out (the token's summary entry).  0 relations for a realm without
 * an ID or a boot without CSM.
 */
struct csm_relation;
int rmm_csm_relations(uint64_t rd_addr, struct csm_relation *out, size_t cap,
		      uint64_t *omitted);

/* For the native tests: the state machine and a realm's ID (CSM lock held). */
struct csm *rmm_csm_state(void);
uint64_t rmm_csm_realm_id(uint64_t rd_addr);

#endif /* RMM_CSM_H */
