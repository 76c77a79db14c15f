/* The host's side of confidential shared memory (see host_csm.h). */
#include "host_csm.h"

#include <s2tt.h>
#include <smc-csm.h>
#include <string.h>

#define ESR_EC(esr)	(((esr) >> 26) & 0x3FUL)
#define ESR_EC_WFX	0x01UL

static struct host_realm *realms;
static struct host_csm *csms;
static unsigned int nrealms;
static uint64_t board[HOST_CSM_KEYS];

void host_csm_init(struct host_realm *rs, struct host_csm *cs, unsigned int n)
{
	unsigned int i;

	realms = rs;
	csms = cs;
	nrealms = n;
	memset(board, 0, sizeof(board));
	for (i = 0U; i < n; i++) {
		memset(&cs[i], 0, sizeof(cs[i]));
		cs[i].r = &rs[i];
		cs[i].win_base = HOST_CSM_WINDOW;
		cs[i].win_top = HOST_CSM_WINDOW + HOST_CSM_WINDOW_PAGES * GRANULE_SIZE;
		rs[i].ram_extra_base = cs[i].win_base;
		rs[i].ram_extra_top = cs[i].win_top;
	}
}

void host_csm_set_window(struct host_csm *c, uint64_t base, uint64_t top)
{
	c->win_base = base;
	c->win_top = top;
	c->r->ram_extra_base = 0UL;
	c->r->ram_extra_top = 0UL;
}

uint64_t host_csm_get(uint64_t key)
{
	return (key < HOST_CSM_KEYS) ? board[key] : 0UL;
}

void host_csm_post(uint64_t key, uint64_t value)
{
	if (key < HOST_CSM_KEYS) {
		board[key] = value;
	}
}

static bool in_window(const struct host_csm *c, uint64_t base, uint64_t top)
{
	return base >= c->win_base && top > base && top <= c->win_top;
}

/*
 * The RTT entry of ipa at level 3 (out[] as RTT_READ_ENTRY answers),
 * creating the missing RTTs below the level the walk reached first.
 */
static bool read_l3(struct host_csm *c, uint64_t ipa, uint64_t out[5])
{
	unsigned long level;

	RMI_MUST("RTT_READ_ENTRY", SMC_RMI_RTT_READ_ENTRY, c->r->rd, ipa, 3, 0, 0, out);
	for (level = out[1] + 1UL; level <= 3UL; level++) {
		if (c->nrtt == HOST_CSM_MAX_RTTS) {
			host_fail("the CSM window needs more RTTs than the host keeps", ipa);
			return false;
		}
		c->rtt[c->nrtt].pa = alloc_delegated();
		c->rtt[c->nrtt].ipa = ipa & ~(s2tt_map_size((int)level - 1) - 1UL);
		c->rtt[c->nrtt].level = level;
		RMI_MUST("RTT_CREATE (CSM window)", SMC_RMI_RTT_CREATE, c->r->rd, c->rtt[c->nrtt].pa,
			 c->rtt[c->nrtt].ipa, level, 0, NULL);
		c->nrtt++;
	}
	if (out[1] != 3UL) {
		RMI_MUST("RTT_READ_ENTRY", SMC_RMI_RTT_READ_ENTRY, c->r->rd, ipa, 3, 0, 0, out);
	}
	return true;
}

/*
 * CSM_POPULATE: a granule for every unpopulated RAM page of the range
 * (after creating the RTTs it lacks: the RMM makes their pages RAM when the
 * realm calls again, and exits CSM_POPULATE once more).
 */
static void populate(struct host_csm *c, uint64_t base, uint64_t top)
{
	uint64_t ipa, out[5];

	if (!in_window(c, base, top)) {
		host_fail("CSM_POPULATE outside the CSM window", base);
		return;
	}
	for (ipa = base; ipa < top; ipa += GRANULE_SIZE) {
		if (!read_l3(c, ipa, out)) {
			return;
		}
		if (out[2] != RMI_UNASSIGNED || out[4] != RIPAS_RAM) {
			continue;
		}
		if (c->npop == HOST_CSM_MAX_POP) {
			host_fail("CSM window fully populated already", ipa);
			return;
		}
		c->pop[c->npop] = alloc_delegated();
		RMI_MUST("DATA_CREATE_UNKNOWN (CSM_POPULATE)", SMC_RMI_DATA_CREATE_UNKNOWN, c->r->rd,
			 c->pop[c->npop], ipa, 0, 0, NULL);
		c->npop++;
	}
	c->populates++;
}

/* A granule DATA_DESTROY gave back: undelegate it if the host populated it. */
static void got_back(struct host_csm *c, uint64_t pa)
{
	unsigned int i;

	for (i = 0U; i < c->npop; i++) {
		if (c->pop[i] == pa) {
			c->pop[i] = c->pop[--c->npop];
			undelegate(pa);
			return;
		}
	}
}

/* CSM_RELEASE: take back the realm's own granules in the range. */
static void release(struct host_csm *c, uint64_t base, uint64_t top)
{
	uint64_t ipa, out[5];

	if (!in_window(c, base, top)) {
		host_fail("CSM_RELEASE outside the CSM window", base);
		return;
	}
	for (ipa = base; ipa < top; ipa += GRANULE_SIZE) {
		if (!read_l3(c, ipa, out)) {
			return;
		}
		if (out[2] == RMI_ASSIGNED &&
		    rmi(SMC_RMI_DATA_DESTROY, c->r->rd, ipa, 0, 0, 0, out) == RMI_SUCCESS) {
			got_back(c, out[1]);
		}
	}
	c->releases++;
}

static void meta_add(struct host_csm *c)
{
	if (c->nmeta == HOST_CSM_MAX_META) {
		host_fail("too many CSM metadata granules", c->nmeta);
		return;
	}
	c->meta[c->nmeta] = alloc_delegated();
	RMI_MUST("CSM_META_ADD", SMC_RMI_CSM_META_ADD, c->r->rd, c->meta[c->nmeta], 0, 0, 0, NULL);
	c->nmeta++;
	c->metas++;
}

/* A doorbell names the target's RD: it may run again. */
static void doorbell(struct host_csm *from, uint64_t target_rd)
{
	unsigned int i;

	from->rung++;
	for (i = 0U; i < nrealms; i++) {
		if (realms[i].rd == target_rd) {
			csms[i].woken++;
			if (csms[i].waiting) {
				csms[i].waiting = false;
			} else {
				csms[i].bell = true;	/* it will not block on its next WFI */
			}
			return;
		}
	}
	host_fail("CSM_DOORBELL for an unknown realm", target_rd);
}

bool host_csm_exit(struct host_csm *c, struct rmi_rec_run *run)
{
	const struct rmi_rec_exit *e = &run->exit;

	switch (e->exit_reason) {
	case RMI_EXIT_CSM_POPULATE:
		populate(c, e->ripas_base, e->ripas_top);
		return true;
	case RMI_EXIT_CSM_RELEASE:
		release(c, e->ripas_base, e->ripas_top);
		return true;
	case RMI_EXIT_CSM_META:
		meta_add(c);
		return true;
	case RMI_EXIT_CSM_DOORBELL:
		doorbell(c, e->gprs[0]);
		return true;
	case RMI_EXIT_SYNC:
		if (ESR_EC(e->esr) != ESR_EC_WFX) {
			return false;
		}
		/* A WFI: sleep until a doorbell, unless one rang meanwhile. */
		c->wfis++;
		if (c->bell) {
			c->bell = false;
		} else {
			c->waiting = true;
		}
		return true;
	case RMI_EXIT_HOST_CALL:
		memset(run->entry.gprs, 0, sizeof(run->entry.gprs));
		if (e->imm == HC_POST) {
			host_csm_post(e->gprs[0], e->gprs[1]);
			return true;
		}
		if (e->imm == HC_GET) {
			run->entry.gprs[0] = host_csm_get(e->gprs[0]);
			return true;
		}
		return false;
	default:
		return false;
	}
}

void host_csm_run(host_exit_hook hook)
{
	unsigned int i, alive, waiting;

	for (;;) {
		alive = 0U;
		waiting = 0U;
		for (i = 0U; i < nrealms; i++) {
			struct host_realm *r = &realms[i];
			struct rmi_rec_run *run = (struct rmi_rec_run *)(uintptr_t)r->run[0];

			if (!realm_alive(r)) {
				continue;
			}
			alive++;
			if (csms[i].waiting) {
				waiting++;
				continue;
			}
			/*
			 * A doorbell does not preempt the realm that rang it:
			 * it is entered again at once (the target just becomes
			 * runnable).
			 */
			do {
				run->entry.flags = REC_ENTRY_FLAG_TRAP_WFI | REC_ENTRY_FLAG_TRAP_WFE;
				realm_step(r, 0U, hook);
			} while (run->exit.exit_reason == RMI_EXIT_CSM_DOORBELL && realm_alive(r));
		}
		if (alive == 0U) {
			break;
		}
		if (waiting == alive) {
			fw_printf("[host] FAIL: every live realm waits for a doorbell: a wake-up was "
				  "lost\n");
			host_count_failure();
			break;
		}
	}
}

static void destroy_pages(struct host_csm *c, uint64_t base, uint64_t top)
{
	uint64_t ipa, out[5];

	for (ipa = base; ipa < top; ipa += GRANULE_SIZE) {
		if (rmi(SMC_RMI_DATA_DESTROY, c->r->rd, ipa, 0, 0, 0, out) == RMI_SUCCESS) {
			got_back(c, out[1]);	/* a consumer's view: the PA is not ours */
		}
	}
}

void host_csm_unmap_window(struct host_csm *c)
{
	unsigned int i;

	if (c->r->ram_extra_top != 0UL) {
		destroy_pages(c, c->win_base, c->win_top);
	}
	for (i = 0U; i < c->nrtt; i++) {
		if (c->rtt[i].level == 3UL) {
			destroy_pages(c, c->rtt[i].ipa, c->rtt[i].ipa + s2tt_map_size(2));
		}
	}
	if (c->npop != 0U) {
		host_fail("populated CSM granules not given back", c->npop);
	}
	/* Children before parents: the reverse of the order of creation. */
	while (c->nrtt > 0U) {
		c->nrtt--;
		RMI_MUST("RTT_DESTROY (CSM window)", SMC_RMI_RTT_DESTROY, c->r->rd, c->rtt[c->nrtt].ipa,
			 c->rtt[c->nrtt].level, 0, 0, NULL);
		undelegate(c->rtt[c->nrtt].pa);
	}
}

void host_csm_after_teardown(struct host_csm *c)
{
	unsigned int i;

	for (i = 0U; i < c->nmeta; i++) {
		undelegate(c->meta[i]);
	}
	c->nmeta = 0U;
}

void host_csm_report(void)
{
	unsigned int i;

	for (i = 0U; i < nrealms; i++) {
		fw_printf("[host] realm%u: %u REC exits; CSM exits: %u POPULATE, %u RELEASE, %u META, "
			  "%u DOORBELL rung; woken by %u doorbells; %u trapped WFIs\n", i, realms[i].exits,
			  csms[i].populates, csms[i].releases, csms[i].metas, csms[i].rung,
			  csms[i].woken, csms[i].wfis);
	}
}
