/* RMI_REALM_CREATE / ACTIVATE / DESTROY. */
#include <granule.h>
#include <measurement.h>
#include <plat_memory.h>
#include <realm.h>
#include <rmm_csm.h>
#include <s2tt.h>
#include <smc-handler.h>
#include <smc-rmi.h>
#include <string.h>

static struct rmi_realm_params realm_params[PLAT_MAX_CPUS];	/* per-CPU private copy */

/* Validate the copied parameters; 0 or -1 (RMI_ERROR_INPUT). */
static int validate_realm_params(const struct rmi_realm_params *p)
{
	unsigned long s2sz = p->s2sz & 0xFFUL;

	if (p->flags != 0UL) {
		return -1;	/* reserved bits, or LPA2, SVE, PMU: not supported */
	}
	/* "Number minus one", 0 reserved; at most what RMI_FEATURES reports. */
	if (p->num_bps == 0UL || p->num_bps > REALM_NUM_BPS ||
	    p->num_wps == 0UL || p->num_wps > REALM_NUM_WPS) {
		return -1;
	}
	if (s2sz < 32UL || s2sz > 48UL || p->s2sz != s2sz) {
		return -1;
	}
	if (p->hash_algo != RMI_HASH_SHA_256) {
		return -1;
	}
	/* An Int64 in the spec: range-check before narrowing to int. */
	if (p->rtt_level_start < 0 || p->rtt_level_start > S2TT_PAGE_LEVEL ||
	    !s2tt_params_valid((unsigned int)s2sz, (int)p->rtt_level_start, p->rtt_num_start)) {
		return -1;
	}
	/*
	 * Concatenated root tables must be aligned to their total size
	 * (RMM v1.0 rtt_align): VTTBR_EL2.BADDR ignores the low bits, so a
	 * misaligned base would make the MMU walk granules the RMM never
	 * checked -- possibly the host's own memory.
	 */
	if (!IS_ALIGNED(p->rtt_base, (uint64_t)p->rtt_num_start * GRANULE_SIZE) ||
	    p->vmid > REALM_MAX_VMID) {
		return -1;
	}
	return 0;
}

/*
 * RMI_REALM_CREATE
 *   x1: PA of the RD granule (DELEGATED)
 *   x2: PA of an NS granule holding RmiRealmParams
 * Out:
 *   x0: RMI_SUCCESS
 *       RMI_ERROR_INPUT: params not readable (not an NS granule), invalid
 *       params (flags, s2sz, hash_algo, RTT geometry, rtt_base not aligned
 *       to rtt_num_start granules, VMID in use), RD or
 *       any root RTT granule not DELEGATED, RD inside the RTT range.
 * Transition: RD DELEGATED -> RD (realm NEW), each root RTT DELEGATED -> RTT.
 * The parameters are copied into RMM memory before they are checked, so
 * the host cannot change them between check and use.
 */
void smc_realm_create(unsigned long rd_addr, unsigned long params_ptr, struct smc_result *res)
{
	struct granule_set set[1U + S2TT_MAX_ROOT_TABLES];
	struct rmi_realm_params *p = &realm_params[plat_my_cpu()];
	struct rd *rd;
	unsigned int i, n;

	if (!ns_buffer_read(params_ptr, 0U, p, sizeof(*p)) || validate_realm_params(p) != 0) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	n = p->rtt_num_start;
	set[0].addr = rd_addr;
	set[0].state = GRANULE_STATE_DELEGATED;
	for (i = 0U; i < n; i++) {
		set[1U + i].addr = p->rtt_base + i * GRANULE_SIZE;
		set[1U + i].state = GRANULE_STATE_DELEGATED;
	}
	if (!find_lock_granules(set, n + 1U)) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	if (!vmid_reserve(p->vmid)) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}

	granule_memzero(set[0].g);
	rd = granule_rd(set[0].g);
	rd->state = REALM_NEW;
	rd->hash_algo = p->hash_algo;
	rd->s2.rtt_base = p->rtt_base;
	rd->s2.level_start = (int)p->rtt_level_start;
	rd->s2.num_start = n;
	rd->s2.s2sz = (unsigned int)p->s2sz;
	rd->s2.vmid = p->vmid;
	memcpy(rd->rpv, p->rpv, sizeof(rd->rpv));
	measurement_realm_init(p, rd->rim);
	s2tt_init_root(&rd->s2);

	for (i = 1U; i <= n; i++) {
		granule_set_state(set[i].g, GRANULE_STATE_RTT);
	}
	granule_set_state(set[0].g, GRANULE_STATE_RD);
	res->x[0] = RMI_SUCCESS;
out_unlock:
	for (i = 0U; i <= n; i++) {
		granule_unlock(set[i].g);
	}
}

/*
 * RMI_REALM_ACTIVATE
 *   x1: PA of the RD
 * Out:
 *   x0: RMI_SUCCESS; RMI_ERROR_INPUT if x1 is not an RD; RMI_ERROR_REALM if
 *       the realm is not NEW.
 * Transition: realm NEW -> ACTIVE (no more DATA_CREATE/REC_CREATE/INIT_RIPAS).
 * With its measurement final, the realm joins the CSM and gets its 64-bit
 * realm ID, unpredictable and never reused within a boot (runtime/csm).
 */
void smc_realm_activate(unsigned long rd_addr, struct smc_result *res)
{
	struct granule *g;
	struct rd *rd;

	rmm_csm_lock();
	g = find_lock_granule(rd_addr, GRANULE_STATE_RD);
	if (g == NULL) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out;
	}
	rd = granule_rd(g);
	if (rd->state != REALM_NEW) {
		res->x[0] = RMI_ERROR_REALM;
		goto out_unlock;
	}
	rd->state = REALM_ACTIVE;
	rmm_csm_realm_activate(g);
	res->x[0] = RMI_SUCCESS;
out_unlock:
	granule_unlock(g);
out:
	rmm_csm_unlock();
}

/*
 * RMI_REALM_DESTROY
 *   x1: PA of the RD
 * Out:
 *   x0: RMI_SUCCESS; RMI_ERROR_INPUT if x1 is not an RD; RMI_ERROR_REALM if
 *       the realm is live: it still has RECs, or a root RTT still has a
 *       live entry (TABLE, ASSIGNED, ASSIGNED_NS).
 * Transition: RD -> DELEGATED, root RTTs -> DELEGATED, VMID released.
 * CSM (runtime/csm): a realm that did not power off dies now (detached
 * from every grant made to it, its regions revoked), and its CSM metadata
 * granules go back to DELEGATED, zeroed, for the host to undelegate.
 */
void smc_realm_destroy(unsigned long rd_addr, struct smc_result *res)
{
	struct granule *g;
	struct rd *rd;
	unsigned int i;

	rmm_csm_lock();
	g = find_lock_granule(rd_addr, GRANULE_STATE_RD);
	if (g == NULL) {
		res->x[0] = RMI_ERROR_INPUT;
		rmm_csm_unlock();
		return;
	}
	rd = granule_rd(g);
	if (granule_refcount(g) != 0U) {
		res->x[0] = RMI_ERROR_REALM;
		goto out_unlock;
	}
	for (i = 0U; i < rd->s2.num_start; i++) {
		struct granule *rtt = addr_to_granule(rd->s2.rtt_base + i * GRANULE_SIZE);

		if (granule_refcount(rtt) != 0U) {
			res->x[0] = RMI_ERROR_REALM;
			goto out_unlock;
		}
	}
	rmm_csm_realm_destroy(g);
	for (i = 0U; i < rd->s2.num_start; i++) {
		struct granule *rtt = addr_to_granule(rd->s2.rtt_base + i * GRANULE_SIZE);

		granule_lock(rtt, GRANULE_STATE_RTT);
		granule_memzero(rtt);
		granule_unlock_transition(rtt, GRANULE_STATE_DELEGATED);
	}
	plat_s2_tlbi_vmid(rd->s2.vmid);
	vmid_free(rd->s2.vmid);
	granule_memzero(g);
	granule_set_state(g, GRANULE_STATE_DELEGATED);
	res->x[0] = RMI_SUCCESS;
out_unlock:
	granule_unlock(g);
	rmm_csm_unlock();
}
