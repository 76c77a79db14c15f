/* RMI_REC_AUX_COUNT / REC_CREATE / REC_DESTROY / REC_ENTER. */
#include <granule.h>
#include <measurement.h>
#include <plat.h>
#include <plat_memory.h>
#include <realm.h>
#include <smc-handler.h>
#include <smc-rmi.h>
#include <smc-rsi.h>
#include <string.h>

/* Per CPU: private copies of host input, and the exit built before copy-out. */
static struct rmi_rec_params rec_params_buf[PLAT_MAX_CPUS];
static struct rmi_rec_entry rec_entry_buf[PLAT_MAX_CPUS];
static struct rmi_rec_exit rec_exit_buf[PLAT_MAX_CPUS];

/*
 * RMI_REC_AUX_COUNT
 *   x1: PA of the RD
 * Out:
 *   x0: RMI_SUCCESS, or RMI_ERROR_INPUT if x1 is not an RD
 *   x1: number of auxiliary granules a REC needs: 0, the whole REC state
 *       (no SVE/SME/PMU context) fits in the REC granule.
 */
void smc_rec_aux_count(unsigned long rd_addr, struct smc_result *res)
{
	struct granule *g = find_lock_granule(rd_addr, GRANULE_STATE_RD);

	if (g == NULL) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	res->x[0] = RMI_SUCCESS;
	res->x[1] = 0UL;
	granule_unlock(g);
}

/*
 * RMI_REC_CREATE
 *   x1: PA of the RD, x2: PA of the REC granule (DELEGATED),
 *   x3: PA of an NS granule holding RmiRecParams
 * Out:
 *   x0: RMI_SUCCESS
 *       RMI_ERROR_INPUT: params unreadable, num_aux != 0, unknown flags,
 *       MPIDR not an RmiRecMpidr (bits outside Aff0[3:0], Aff1..Aff3), RD
 *       not an RD, REC not DELEGATED, MPIDR's index is not the realm's next
 *       REC index (RECs are created in MPIDR order: 0, 1, ... 15, 0x100...)
 *       RMI_ERROR_REALM: realm not NEW
 * Transition: REC DELEGATED -> REC; RD refcount + 1; RIM extended with the
 * REC descriptor (flags, pc, gprs).
 */
void smc_rec_create(unsigned long rd_addr, unsigned long rec_addr, unsigned long params_ptr,
		    struct smc_result *res)
{
	struct granule_set set[2];
	struct rmi_rec_params *p = &rec_params_buf[plat_my_cpu()];
	struct rd *rd;
	struct rec *rec;
	uint64_t index;

	if (!ns_buffer_read(params_ptr, 0U, p, sizeof(*p)) || p->num_aux != 0UL ||
	    (p->flags & ~REC_PARAMS_FLAG_RUNNABLE) != 0UL || !rec_mpidr_index(p->mpidr, &index)) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	set[0].addr = rd_addr;
	set[0].state = GRANULE_STATE_RD;
	set[1].addr = rec_addr;
	set[1].state = GRANULE_STATE_DELEGATED;
	if (!find_lock_granules(set, 2U)) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	rd = granule_rd(set[0].g);
	if (index != rd->num_recs_created) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}
	if (rd->state != REALM_NEW) {
		res->x[0] = RMI_ERROR_REALM;
		goto out_unlock;
	}

	granule_memzero(set[1].g);
	rec = granule_rec(set[1].g);
	memcpy(rec->regs, p->gprs, sizeof(p->gprs));
	rec->pc = p->pc;
	rec->pstate = REC_INITIAL_PSTATE;
	rec->rd_addr = rd_addr;
	rec->mpidr = p->mpidr;
	rec->runnable = (p->flags & REC_PARAMS_FLAG_RUNNABLE) != 0UL;
	rec->vmid = rd->s2.vmid;
	rec->s2 = rd->s2;
	/* Realm EL1 starts with MMU and caches off, as after a reset. */
	rec->sysregs.sctlr_el1 = REC_INITIAL_SCTLR;
	rec->sysregs.vmpidr_el2 = p->mpidr | BIT(31);
	rd->num_recs_created++;
	measurement_rec_extend(rd->rim, p);

	granule_get(set[0].g);
	granule_set_state(set[1].g, GRANULE_STATE_REC);
	res->x[0] = RMI_SUCCESS;
out_unlock:
	granule_unlock(set[0].g);
	granule_unlock(set[1].g);
}

/*
 * RMI_REC_DESTROY
 *   x1: PA of the REC
 * Out:
 *   x0: RMI_SUCCESS; RMI_ERROR_INPUT if x1 is not a REC; RMI_ERROR_REC if
 *       the REC is running (REC_ENTER in progress on another CPU).
 * Transition: REC -> DELEGATED (zeroed); owning RD refcount - 1.
 */
void smc_rec_destroy(unsigned long rec_addr, struct smc_result *res)
{
	struct granule *g = find_lock_granule(rec_addr, GRANULE_STATE_REC);
	struct granule *g_rd;

	if (g == NULL) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	if (granule_refcount(g) != 0U) {
		res->x[0] = RMI_ERROR_REC;
		goto out_unlock;
	}
	g_rd = addr_to_granule(granule_rec(g)->rd_addr);
	RMM_ASSERT(g_rd != NULL);
	granule_put(g_rd);
	granule_memzero(g);
	granule_set_state(g, GRANULE_STATE_DELEGATED);
	res->x[0] = RMI_SUCCESS;
out_unlock:
	granule_unlock(g);
}

/*
 * Complete a HOST_CALL: the host's x0..x6 go back into the RsiHostCall.
 * If the host unmapped that page meanwhile, the answer cannot be delivered
 * and the realm must not believe it was: x0 = RSI_ERROR_INPUT.
 */
static void complete_host_call(struct rec *rec, const struct rmi_rec_entry *entry)
{
	struct granule *g_rd = find_lock_granule(rec->rd_addr, GRANULE_STATE_RD);
	struct rsi_host_call *hc;
	unsigned int i;

	RMM_ASSERT(g_rd != NULL);
	hc = realm_ipa_to_va(&rec->s2, rec->host_call_ipa, sizeof(*hc));
	if (hc != NULL) {
		for (i = 0U; i < 7U; i++) {
			hc->gprs[i] = entry->gprs[i];
		}
	}
	granule_unlock(g_rd);
	rec->regs[0] = (hc != NULL) ? RSI_SUCCESS : RSI_ERROR_INPUT;
	rec->host_call_pending = 0U;
}

/*
 * RMI_REC_ENTER
 *   x1: PA of the REC, x2: PA of an NS granule holding RmiRecRun
 * Out:
 *   x0: RMI_SUCCESS (the REC ran and RmiRecRun.exit says why it stopped)
 *       RMI_ERROR_INPUT: x1 not a REC, x2 not an NS granule
 *       RMI_ERROR_REALM: realm not ACTIVE (NEW or SYSTEM_OFF)
 *       RMI_ERROR_REC: REC not runnable (never was, or PSCI CPU_OFF),
 *       already running, or waiting for RMI_PSCI_COMPLETE
 * The REC is marked busy (refcount 1, as TF-RMM does) instead of staying
 * locked while the realm runs: RSI handlers then take only the RD lock,
 * so no lock is ever taken while a REC lock is held, and REC_DESTROY or a
 * second REC_ENTER on a running REC fail with RMI_ERROR_REC.
 */
void smc_rec_enter(unsigned long rec_addr, unsigned long run_ptr, struct smc_result *res)
{
	struct rmi_rec_entry *entry = &rec_entry_buf[plat_my_cpu()];
	struct rmi_rec_exit *exit = &rec_exit_buf[plat_my_cpu()];
	struct granule *g, *g_rd;
	struct rec *rec;
	uint32_t realm_state;

	if (!ns_buffer_read(run_ptr, 0U, entry, sizeof(*entry)) || !rec_entry_gic_valid(entry)) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	g = find_lock_granule(rec_addr, GRANULE_STATE_REC);
	if (g == NULL) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	if (granule_refcount(g) != 0U) {
		granule_unlock(g);
		res->x[0] = RMI_ERROR_REC;
		return;
	}
	granule_get(g);			/* busy: REC_DESTROY now fails */
	granule_unlock(g);
	rec = granule_rec(g);

	g_rd = find_lock_granule(rec->rd_addr, GRANULE_STATE_RD);
	RMM_ASSERT(g_rd != NULL);	/* an RD cannot die while it has RECs */
	realm_state = granule_rd(g_rd)->state;
	granule_unlock(g_rd);

	if (realm_state != REALM_ACTIVE) {
		res->x[0] = RMI_ERROR_REALM;
		goto out_idle;
	}
	if (rec->runnable == 0U || rec->psci_pending != 0U) {
		res->x[0] = RMI_ERROR_REC;
		goto out_idle;
	}
	/*
	 * A4.2.3: EMUL_MMIO completes the emulatable data abort of the last
	 * exit (a read gets enter.gprs[0]) and resumes after the access; it is
	 * refused if the last exit was not one.
	 */
	if ((entry->flags & REC_ENTRY_FLAG_EMUL_MMIO) != 0UL) {
		if (rec->emulatable_abort == 0U) {
			res->x[0] = RMI_ERROR_REC;
			goto out_idle;
		}
		if (rec->emul_write == 0U && rec->emul_srt != 31U) {
			rec->regs[rec->emul_srt] = entry->gprs[0];
		}
		rec->pc += 4UL;
		rec->emulatable_abort = 0U;
	}
	if (rec->host_call_pending != 0U) {
		complete_host_call(rec, entry);
	}
	/* A4.2, A6.1: this entry's WFx traps and virtual interrupt state. */
	rec->trap_wfi = (entry->flags & REC_ENTRY_FLAG_TRAP_WFI) != 0UL;
	rec->trap_wfe = (entry->flags & REC_ENTRY_FLAG_TRAP_WFE) != 0UL;
	rec->gic.hcr = entry->gicv3_hcr;
	memcpy(rec->gic.lrs, entry->gicv3_lrs, sizeof(rec->gic.lrs));

	for (;;) {
		struct realm_exception exc;

		plat_rec_run(rec, &exc);
		if (handle_realm_exit(rec, &exc, exit)) {
			break;
		}
	}
	/*
	 * run_ptr was NS when read; if the host delegated it meanwhile the
	 * write is refused (ns_buffer_write holds the granule's lock).
	 */
	(void)ns_buffer_write(run_ptr, sizeof(struct rmi_rec_entry), exit, sizeof(*exit));
	res->x[0] = RMI_SUCCESS;
out_idle:
	granule_put(g);
}

/*
 * RMI_PSCI_COMPLETE
 *   x1: PA of the calling REC (its PSCI CPU_ON exit is pending)
 *   x2: PA of the target REC (same realm, MPIDR = the CPU_ON target)
 *   x3: PSCI status the host chose: PSCI_SUCCESS or PSCI_DENIED
 * Out:
 *   x0: RMI_SUCCESS
 *       RMI_ERROR_INPUT: not two distinct RECs, different realms, no PSCI
 *       request pending, MPIDR mismatch, other status values
 *       RMI_ERROR_REC: one of the RECs is running
 * Effect: the caller's x0 becomes the PSCI result (SUCCESS, DENIED, or
 * ALREADY_ON if the target is runnable); on SUCCESS the target starts
 * runnable at the requested entry point with x0 = context id, EL1h, MMU off.
 */
void smc_psci_complete(unsigned long calling_rec, unsigned long target_rec, unsigned long status,
		       struct smc_result *res)
{
	struct granule_set set[2];
	struct rec *caller, *target;

	if (status != PSCI_SUCCESS && status != PSCI_DENIED) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	set[0].addr = calling_rec;
	set[0].state = GRANULE_STATE_REC;
	set[1].addr = target_rec;
	set[1].state = GRANULE_STATE_REC;
	if (!find_lock_granules(set, 2U)) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	caller = granule_rec(set[0].g);
	target = granule_rec(set[1].g);
	if (granule_refcount(set[0].g) != 0U || granule_refcount(set[1].g) != 0U) {
		res->x[0] = RMI_ERROR_REC;
		goto out_unlock;
	}
	if (caller->rd_addr != target->rd_addr || caller->psci_pending == 0U ||
	    caller->psci_target != target->mpidr) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}
	if (status == PSCI_DENIED) {
		caller->regs[0] = PSCI_DENIED;
	} else if (target->runnable != 0U) {
		caller->regs[0] = PSCI_ALREADY_ON;
	} else {
		memset(target->regs, 0, sizeof(target->regs));
		memset(&target->sysregs, 0, sizeof(target->sysregs));
		target->sysregs.sctlr_el1 = REC_INITIAL_SCTLR;
		target->sysregs.vmpidr_el2 = target->mpidr | BIT(31);
		target->regs[0] = caller->psci_context;
		target->pc = caller->psci_entry;
		target->pstate = REC_INITIAL_PSTATE;
		target->runnable = 1U;
		caller->regs[0] = PSCI_SUCCESS;
	}
	caller->psci_pending = 0U;
	res->x[0] = RMI_SUCCESS;
out_unlock:
	granule_unlock(set[0].g);
	granule_unlock(set[1].g);
}
