/* RMI_REC_AUX_COUNT / REC_CREATE / REC_DESTROY / REC_ENTER / PSCI_COMPLETE. */
#include <granule.h>
#include <measurement.h>
#include <plat.h>
#include <plat_memory.h>
#include <realm.h>
#include <realm_mem.h>
#include <smc-handler.h>
#include <smc-rmi.h>
#include <smc-rsi.h>
#include <string.h>

/* Per CPU: private copies of host input, and the exit built before copy-out. */
static struct rmi_rec_params rec_params_buf[PLAT_MAX_CPUS];
static struct rmi_rec_entry rec_entry_buf[PLAT_MAX_CPUS];
static struct rmi_rec_exit rec_exit_buf[PLAT_MAX_CPUS];

/*
 * RMI_REC_AUX_COUNT(rd) -> aux_count
 * Failure conditions (RMI_ERROR_INPUT): rd_align, rd_bound, rd_state.
 * aux_count: REC_AUX_GRANULES (3) for every realm: they hold the REC's
 * attestation token between RSI_ATTESTATION_TOKEN_CONTINUE calls
 * (runtime/rsi/attest.c); the rest of the REC state fits in its granule.
 */
void smc_rec_aux_count(unsigned long rd_addr, struct smc_result *res)
{
	struct granule *g = find_lock_granule(rd_addr, GRANULE_STATE_RD);

	if (g == NULL) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	res->x[0] = RMI_SUCCESS;
	res->x[1] = REC_AUX_GRANULES;
	granule_unlock(g);
}

/* The granules REC_CREATE names, locked (struct above its use). */
struct rec_create_locks {
	uint64_t addr[2U + REC_AUX_GRANULES];
	struct granule *g[2U + REC_AUX_GRANULES];
	unsigned int n;
};

static void locks_add(struct rec_create_locks *l, uint64_t addr)
{
	unsigned int i;

	if (addr_to_granule(addr) == NULL) {
		return;		/* misaligned or untracked: it fails a check below */
	}
	for (i = 0U; i < l->n; i++) {
		if (l->addr[i] == addr) {
			return;	/* named twice: locked once (and an alias failure) */
		}
	}
	l->addr[l->n++] = addr;
}

/*
 * Lock every granule REC_CREATE names (rd, rec and, when num_aux is
 * right, the auxiliary granules) in ascending address order, whatever
 * their state: the checks then run in the specification's order, which
 * puts realm_state (RMI_ERROR_REALM) before the aux conditions.
 */
static void locks_take(struct rec_create_locks *l, uint64_t rd_addr, uint64_t rec_addr,
		       const struct rmi_rec_params *p)
{
	unsigned int i, j;

	l->n = 0U;
	locks_add(l, rd_addr);
	locks_add(l, rec_addr);
	for (i = 0U; p->num_aux == REC_AUX_GRANULES && i < REC_AUX_GRANULES; i++) {
		locks_add(l, p->aux[i]);
	}
	for (i = 1U; i < l->n; i++) {
		for (j = i; j > 0U && l->addr[j - 1U] > l->addr[j]; j--) {
			uint64_t t = l->addr[j];

			l->addr[j] = l->addr[j - 1U];
			l->addr[j - 1U] = t;
		}
	}
	for (i = 0U; i < l->n; i++) {
		l->g[i] = addr_to_granule(l->addr[i]);
		(void)granule_lock_on_state(l->g[i], GRANULE_STATE_ANY);
	}
}

static void locks_drop(struct rec_create_locks *l)
{
	unsigned int i;

	for (i = 0U; i < l->n; i++) {
		granule_unlock(l->g[i]);
	}
}

/* The state of a locked granule, or GRANULE_STATE_NR if it is not tracked. */
static enum granule_state state_of(uint64_t addr)
{
	struct granule *g = addr_to_granule(addr);

	return (g == NULL) ? GRANULE_STATE_NR : granule_get_state(g);
}

/* aux_align, aux_alias, aux_state (B4.3.12.2), all RMI_ERROR_INPUT. */
static bool aux_ok(uint64_t rec_addr, const struct rmi_rec_params *p)
{
	unsigned int i, j;

	for (i = 0U; i < REC_AUX_GRANULES; i++) {
		if (!GRANULE_ALIGNED(p->aux[i])) {
			return false;
		}
	}
	for (i = 0U; i < REC_AUX_GRANULES; i++) {
		if (p->aux[i] == rec_addr) {
			return false;
		}
		for (j = 0U; j < i; j++) {
			if (p->aux[i] == p->aux[j]) {
				return false;
			}
		}
	}
	for (i = 0U; i < REC_AUX_GRANULES; i++) {
		if (state_of(p->aux[i]) != GRANULE_STATE_DELEGATED) {
			return false;
		}
	}
	return true;
}

/*
 * RMI_REC_CREATE(rd, rec, params_ptr)
 * Failure conditions, in order: params_align, params_bound, params_pas
 * (params not an NS granule of delegable memory), rec_align, rec_bound,
 * rec_state (not DELEGATED), rd_align, rd_bound, rd_state
 * (RMI_ERROR_INPUT); realm_state (not NEW) and num_recs (the realm has
 * REALM_MAX_RECS RECs): RMI_ERROR_REALM; mpidr_index (params.mpidr is not
 * an RmiRecMpidr, or its index is not the realm's next REC index),
 * num_aux (not RecAuxCount = REC_AUX_GRANULES), aux_align, aux_alias (an
 * auxiliary granule is the REC or named twice) and aux_state (not
 * DELEGATED): RMI_ERROR_INPUT.  Reserved flags bits are an invalid
 * encoding (RMI_ERROR_INPUT), checked last.
 * Success: REC DELEGATED -> REC (ready, runnable as asked, pc and x0..x7
 * from params, other registers zero); the auxiliary granules DELEGATED ->
 * REC_AUX, zeroed; RD refcount (num_recs) + 1; rec index + 1; for a
 * runnable REC the RIM is extended (B4.3.12.4).
 * The parameters are copied into RMM memory first, so the host cannot
 * change them between check and use.
 */
void smc_rec_create(unsigned long rd_addr, unsigned long rec_addr, unsigned long params_ptr,
		    struct smc_result *res)
{
	static struct rec_create_locks locks_buf[PLAT_MAX_CPUS];
	struct rec_create_locks *l = &locks_buf[plat_my_cpu()];
	struct rmi_rec_params *p = &rec_params_buf[plat_my_cpu()];
	struct granule *g_rd, *g_rec;
	struct rd *rd;
	struct rec *rec;
	uint64_t index;
	unsigned int i;

	if (!ns_buffer_read(params_ptr, 0U, p, sizeof(*p))) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	locks_take(l, rd_addr, rec_addr, p);
	/* rec_* and rd_*: all RMI_ERROR_INPUT. */
	if (rd_addr == rec_addr || state_of(rec_addr) != GRANULE_STATE_DELEGATED ||
	    state_of(rd_addr) != GRANULE_STATE_RD) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}
	g_rd = addr_to_granule(rd_addr);
	g_rec = addr_to_granule(rec_addr);
	rd = granule_rd(g_rd);
	if (rd->state != REALM_NEW || granule_refcount(g_rd) >= REALM_MAX_RECS) {
		res->x[0] = RMI_ERROR_REALM;
		goto out_unlock;
	}
	if (!rmi_rec_mpidr_index(p->mpidr, &index) || index != rd->num_recs_created ||
	    p->num_aux != REC_AUX_GRANULES || !aux_ok(rec_addr, p) ||
	    (p->flags & ~REC_PARAMS_FLAG_RUNNABLE) != 0UL) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}

	granule_memzero(g_rec);
	rec = granule_rec(g_rec);
	memcpy(rec->regs, p->gprs, sizeof(p->gprs));
	rec->pc = p->pc;
	rec->pstate = REC_INITIAL_PSTATE;
	rec->rd_addr = rd_addr;
	rec->mpidr = rmi_rec_mpidr_to_mpidr(p->mpidr);
	rec->runnable = (p->flags & REC_PARAMS_FLAG_RUNNABLE) != 0UL;
	rec->vmid = rd->s2.vmid;
	rec->s2 = rd->s2;
	/* Realm EL1 starts with MMU and caches off, as after a reset. */
	rec->sysregs.sctlr_el1 = REC_INITIAL_SCTLR;
	rec->sysregs.vmpidr_el2 = rec->mpidr | BIT(31);
	for (i = 0U; i < REC_AUX_GRANULES; i++) {
		struct granule *g_aux = addr_to_granule(p->aux[i]);

		rec->aux[i] = p->aux[i];
		granule_memzero(g_aux);
		granule_set_state(g_aux, GRANULE_STATE_REC_AUX);
	}
	rd->num_recs_created++;
	measurement_rec_extend(rd->rim, p);	/* runnable RECs only */

	granule_get(g_rd);
	granule_set_state(g_rec, GRANULE_STATE_REC);
	res->x[0] = RMI_SUCCESS;
out_unlock:
	locks_drop(l);
}

/*
 * RMI_REC_DESTROY(rec)
 * Failure conditions, in order: rec_align, rec_bound, rec_gran_state (not
 * a REC) (RMI_ERROR_INPUT); rec_state (running: RMI_ERROR_REC).
 * Success: REC -> DELEGATED and its auxiliary granules REC_AUX ->
 * DELEGATED, all zeroed; owning RD refcount (num_recs) - 1.
 */
void smc_rec_destroy(unsigned long rec_addr, struct smc_result *res)
{
	struct granule *g = find_lock_granule(rec_addr, GRANULE_STATE_REC);
	struct granule *g_rd, *g_aux;
	unsigned int i;

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
	/* Reached from the locked REC: leaf locks, one at a time. */
	for (i = 0U; i < REC_AUX_GRANULES; i++) {
		g_aux = find_lock_granule_leaf(granule_rec(g)->aux[i], GRANULE_STATE_REC_AUX);
		RMM_ASSERT(g_aux != NULL);
		granule_memzero(g_aux);
		granule_unlock_transition(g_aux, GRANULE_STATE_DELEGATED);
	}
	granule_put(g_rd);
	granule_memzero(g);
	granule_set_state(g, GRANULE_STATE_DELEGATED);
	res->x[0] = RMI_SUCCESS;
out_unlock:
	granule_unlock(g);
}

/*
 * RMI_REC_ENTER(rec, run_ptr)
 * Failure conditions, in order: run_align, run_bound, run_pas (run not an
 * NS granule), rec_align, rec_bound, rec_gran_state (not a REC)
 * (RMI_ERROR_INPUT); realm_new (RMI_ERROR_REALM, index 0); system_off
 * (RMI_ERROR_REALM, index 1); rec_state (running), rec_runnable (not
 * runnable), rec_mmio (enter.flags.emul_mmio, but the last exit was not an
 * emulatable data abort; likewise, as in TF-RMM, enter.flags.inject_sea
 * when it was no data abort at an unprotected IPA), rec_gicv3 (the GIC state the host passes is not
 * valid: Gicv3ConfigIsValid), rec_psci (waiting for RMI_PSCI_COMPLETE):
 * RMI_ERROR_REC.
 * Success: the answers to a pending HOST_CALL and IPA_STATE_SET reach the
 * realm, the REC runs, and RmiRecRun.exit says why it stopped.  If the
 * RsiHostCall of a pending host call is no longer mapped, the REC does not
 * run: the exit is the stage-2 data abort at its IPA (A4.2.2).  If the
 * run granule is no longer NS when the exit is written (delegated from
 * another CPU meanwhile), the result is RMI_ERROR_INPUT (A4.3.3).
 * The REC is marked busy (refcount 1, as TF-RMM does) instead of staying
 * locked while the realm runs: RSI handlers then take only the RD lock,
 * so no lock is ever taken while a REC lock is held, and REC_DESTROY or a
 * second REC_ENTER on a running REC fail with RMI_ERROR_REC.
 */
void smc_rec_enter(unsigned long rec_addr, unsigned long run_ptr, struct smc_result *res)
{
	struct rmi_rec_entry *entry = &rec_entry_buf[plat_my_cpu()];
	struct rmi_rec_exit *exit = &rec_exit_buf[plat_my_cpu()];
	struct granule *g;
	struct rec *rec;
	uint32_t realm_state;
	bool run = true;

	if (!ns_buffer_read(run_ptr, 0U, entry, sizeof(*entry))) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	g = find_lock_granule(rec_addr, GRANULE_STATE_REC);
	if (g == NULL) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	rec = granule_rec(g);
	/*
	 * The RD outlives its RECs (REALM_DESTROY needs num_recs == 0, and
	 * the REC lock we hold keeps this one alive), and its state is one
	 * word that changes under the RD lock: a plain atomic read is a
	 * consistent snapshot, without taking the RD lock after a REC lock
	 * (RTT_SET_RIPAS takes them in address order).
	 */
	realm_state = __atomic_load_n(&((struct rd *)plat_granule_va(rec->rd_addr))->state,
				      __ATOMIC_ACQUIRE);
	if (realm_state == REALM_NEW) {
		res->x[0] = rmi_pack(RMI_ERROR_REALM, 0UL);
	} else if (realm_state == REALM_SYSTEM_OFF) {
		res->x[0] = rmi_pack(RMI_ERROR_REALM, 1UL);
	} else if (granule_refcount(g) != 0U || rec->runnable == 0U ||
		   !rec_entry_abort_flags_valid(rec, entry) ||
		   !rec_entry_gic_valid(entry) || rec->psci_pending != 0U) {
		res->x[0] = RMI_ERROR_REC;
	} else {
		res->x[0] = RMI_SUCCESS;
		granule_get(g);		/* busy: REC_DESTROY now fails */
	}
	granule_unlock(g);
	if (res->x[0] != RMI_SUCCESS) {
		return;
	}

	/*
	 * A4.2.3: enter.flags.emul_mmio completes the emulatable data abort
	 * of the last exit, enter.flags.inject_sea answers a data abort at an
	 * unprotected IPA with an SEA (emul_mmio is then ignored).
	 */
	rec_entry_complete_abort(rec, entry);
	memset(exit, 0, sizeof(*exit));
	if (rec->host_call_pending != 0U) {
		run = host_call_complete(rec, entry, exit);
	}
	if (run) {
		ripas_change_complete(rec, entry);
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
	} else {
		/* The REC did not run: its last exit is this abort, not emulatable. */
		rec->emulatable_abort = 0U;
		rec->unprot_abort = 0U;
		rec_exit_report_state(rec, exit);
	}
	/*
	 * run_ptr was NS when read; if the host delegated it meanwhile the
	 * write is refused (ns_buffer_write holds the granule's lock) and
	 * REC_ENTER fails with RMI_ERROR_INPUT (A4.3.3), as in TF-RMM: the
	 * REC did run, but the host must not take a stale record for its exit.
	 */
	if (!ns_buffer_write(run_ptr, sizeof(struct rmi_rec_entry), exit, sizeof(*exit))) {
		res->x[0] = RMI_ERROR_INPUT;	/* A4.3.3: the exit record is lost */
	}
	granule_put(g);
}

/* PsciReturnCodePermitted (B3.27): SUCCESS, or DENIED for a CPU_ON of an off REC. */
static bool psci_status_permitted(const struct rec *caller, const struct rec *target,
				  bool target_busy, unsigned long status)
{
	if (status == PSCI_SUCCESS) {
		return true;
	}
	return caller->regs[0] == PSCI_CPU_ON_AARCH64 && status == PSCI_DENIED &&
	       target->runnable == 0U && !target_busy;
}

/*
 * RMI_PSCI_COMPLETE(calling_rec, target_rec, status)
 * Failure conditions (all RMI_ERROR_INPUT), in order: alias (the same
 * REC), calling_align, calling_bound, calling_state, target_align,
 * target_bound, target_state (not RECs), pending (no PSCI request
 * pending on the caller), owner (RECs of different realms), target (the
 * target's MPIDR is not the caller's x1), status (not permitted: SUCCESS
 * always; DENIED only for CPU_ON of a REC that is not runnable).
 * Success: CPU_ON: the caller's x0 = ALREADY_ON if the target runs or is
 * runnable, else DENIED as asked, else SUCCESS and the target starts at
 * the caller's x2 with x0 = the caller's x3, every other register zero,
 * EL1h, MMU off, runnable.  AFFINITY_INFO: the caller's x0 = SUCCESS (on)
 * or PSCI_OFF.  Either way the caller's x1..x3 become zero and its
 * request is no longer pending.
 */
void smc_psci_complete(unsigned long calling_rec, unsigned long target_rec, unsigned long status,
		       struct smc_result *res)
{
	struct granule_set set[2];
	struct rec *caller, *target;
	bool target_busy, target_on;

	if (calling_rec == target_rec) {
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
	/* A running REC is runnable: it only stops being so by its own CPU_OFF. */
	target_busy = granule_refcount(set[1].g) != 0U;
	target_on = target_busy || target->runnable != 0U;
	if (caller->psci_pending == 0U || caller->rd_addr != target->rd_addr ||
	    target->mpidr != caller->regs[1] ||
	    !psci_status_permitted(caller, target, target_busy, status)) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}
	if (caller->regs[0] == PSCI_AFFINITY_INFO_AARCH64) {
		caller->regs[0] = target_on ? PSCI_SUCCESS : PSCI_OFF;
	} else if (target_on) {
		caller->regs[0] = PSCI_ALREADY_ON;
	} else if (status == PSCI_DENIED) {
		caller->regs[0] = PSCI_DENIED;
	} else {
		memset(target->regs, 0, sizeof(target->regs));
		memset(&target->sysregs, 0, sizeof(target->sysregs));
		target->sysregs.sctlr_el1 = REC_INITIAL_SCTLR;
		target->sysregs.vmpidr_el2 = target->mpidr | BIT(31);
		target->regs[0] = caller->regs[3];
		target->pc = caller->regs[2];
		target->pstate = REC_INITIAL_PSTATE;
		target->runnable = 1U;
		caller->regs[0] = PSCI_SUCCESS;
	}
	caller->regs[1] = 0UL;
	caller->regs[2] = 0UL;
	caller->regs[3] = 0UL;
	caller->psci_pending = 0U;
	res->x[0] = RMI_SUCCESS;
out_unlock:
	granule_unlock(set[0].g);
	granule_unlock(set[1].g);
}
