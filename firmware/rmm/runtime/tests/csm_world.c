/* The CSM test world (see csm_world.h). */
#include "csm_world.h"

#include <string.h>

#define ESR_SMC		((0x17UL << 26) | (1UL << 25))
#define ESR_DABT	((0x24UL << 26) | (1UL << 25))
#define ESR_WNR		(1UL << 6)
#define DFSC_TRANS(l)	(0x04UL | (unsigned long)(l))
#define DFSC_PERM(l)	(0x0CUL | (unsigned long)(l))
#define REALM_VBAR	0x40000800UL	/* where an injected exception lands (+0x200) */

/* Granule allocator that reuses what the world gave back (long fuzz runs). */
static uint64_t free_list[2048];
static unsigned int nfree;

uint64_t w_alloc_ns(void)
{
	uint64_t pa;

	if (nfree > 0U) {
		pa = free_list[--nfree];
		memset(fake_pa_ptr(pa), 0, G);
		return pa;
	}
	return alloc_ns();
}

void w_free_ns(uint64_t pa)
{
	assert_true(nfree < 2048U);
	free_list[nfree++] = pa;
}

void w_world_reset(void)
{
	nfree = 0U;
}

uint64_t w_alloc_delegated(void)
{
	uint64_t pa = w_alloc_ns();

	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_DELEGATE, pa, 0, 0, 0, 0, NULL));
	return pa;
}

void w_undelegate(uint64_t pa)
{
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_UNDELEGATE, pa, 0, 0, 0, 0, NULL));
	w_free_ns(pa);
}

/* --- the realm's side: one scripted action per REC_ENTER --------------- */

enum act { ACT_SMC, ACT_ACCESS };

static struct {
	enum act act;
	unsigned int step;
	unsigned long regs[11];		/* x0 = FID, x1..x10 */
	uint64_t ipa;
	bool write;
	bool returned;		/* the realm ran again after the SMC / access */
	bool sea;		/* ... and found itself at its abort vector */
	uint64_t esr_el1;
} script;

static void realm_fn(struct rec *rec, struct realm_exception *exc, void *arg)
{
	(void)arg;
	memset(exc, 0, sizeof(*exc));
	exc->kind = REALM_EXC_SYNC;
	if (script.step++ == 0U) {
		if (script.act == ACT_SMC) {
			memcpy(rec->regs, script.regs, sizeof(script.regs));
			exc->esr = ESR_SMC;
		} else {
			uint64_t e;
			int level;
			struct s2tt_walk w;

			s2tt_walk_lock_unlock(&rec->s2, script.ipa & ~GRANULE_MASK, S2TT_PAGE_LEVEL, &w);
			e = w.table[w.index];
			level = w.last_level;
			exc->esr = ESR_DABT | (script.write ? ESR_WNR : 0UL) |
				   (((e & S2TTE_VALID) != 0UL) ? DFSC_PERM(level) : DFSC_TRANS(level));
			exc->hpfar = (script.ipa >> GRANULE_SHIFT) << 4;
			exc->far = script.ipa;
		}
		return;
	}
	/* Back in the realm: where are we?  Then leave with an IRQ. */
	script.returned = true;
	script.sea = rec->pc == REALM_VBAR + 0x200UL;
	script.esr_el1 = rec->sysregs.esr_el1;
	exc->kind = REALM_EXC_IRQ;
}

static unsigned long enter(struct w_realm *r)
{
	fake_set_realm(realm_fn, NULL);
	return rmi(SMC_RMI_REC_ENTER, r->rec, r->run, 0, 0, 0, NULL);
}

static struct rmi_rec_exit *run_exit(const struct w_realm *r)
{
	return &((struct rmi_rec_run *)fake_pa_ptr(r->run))->exit;
}

void w_rsi(struct w_realm *r, unsigned long fid, unsigned long a1, unsigned long a2,
	   unsigned long a3, unsigned long a4, struct w_call *out)
{
	const unsigned long a[10] = { a1, a2, a3, a4 };

	w_rsi10(r, fid, a, out);
}

void w_rsi10(struct w_realm *r, unsigned long fid, const unsigned long a[10], struct w_call *out)
{
	struct rec *rec = fake_pa_ptr(r->rec);

	memset(&script, 0, sizeof(script));
	script.act = ACT_SMC;
	script.regs[0] = fid;
	memcpy(&script.regs[1], a, 10 * sizeof(a[0]));
	memset(out, 0, sizeof(*out));
	out->rmi = enter(r);
	memcpy(out->x, rec->regs, sizeof(out->x));
	out->exit = *run_exit(r);
	out->returned = script.returned;
}

uint64_t w_entry(const struct w_realm *r, uint64_t ipa)
{
	const struct rd *rd = fake_pa_ptr(r->t.rd);
	struct s2tt_walk w;

	s2tt_walk_lock_unlock(&rd->s2, ipa & ~GRANULE_MASK, S2TT_PAGE_LEVEL, &w);
	return w.table[w.index];
}

enum w_result w_access(struct w_realm *r, uint64_t ipa, bool write, uint64_t *val)
{
	struct rec *rec = fake_pa_ptr(r->rec);
	uint64_t e = w_entry(r, ipa), pc;

	if ((e & S2TTE_VALID) != 0UL && (!write || !s2tte_is_read_only(e))) {
		uint64_t *p = (uint64_t *)((uint8_t *)fake_pa_ptr(s2tte_pa(e)) + (ipa & GRANULE_MASK));

		if (write) {
			*p = *val;
		} else {
			*val = *p;
		}
		return WA_OK;
	}
	memset(&script, 0, sizeof(script));
	script.act = ACT_ACCESS;
	script.ipa = ipa;
	script.write = write;
	pc = rec->pc;
	rec->sysregs.vbar_el1 = REALM_VBAR;
	rec->pstate = REC_INITIAL_PSTATE;
	assert_rmi(RMI_SUCCESS, enter(r));
	if (!script.returned) {
		return WA_EXIT;
	}
	/* A synchronous external abort: EC "data abort, same EL", FSC 0x10. */
	assert_true(script.sea);
	assert_int_equal(0x25UL, (script.esr_el1 >> 26) & 0x3FUL);
	assert_int_equal(0x10UL, script.esr_el1 & 0x3FUL);
	rec->pc = pc;			/* the realm's handler skips the access */
	rec->pstate = REC_INITIAL_PSTATE;
	return WA_SEA;
}

/* --- the host's side ------------------------------------------------------ */

void w_realm_make(struct w_realm *r, unsigned int vmid)
{
	struct w_call c;
	unsigned int i;

	memset(r, 0, sizeof(*r));
	r->t.vmid = vmid;
	r->t.rd = w_alloc_delegated();
	r->t.rtt_root = w_alloc_delegated();
	r->t.params = make_realm_params(r->t.rtt_root, vmid);	/* recycled area */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_CREATE, r->t.rd, r->t.params, 0, 0, 0, NULL));
	r->t.rtt_l2 = w_alloc_delegated();
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_CREATE, r->t.rd, r->t.rtt_l2, TEST_IPA_BASE, 2, 0, NULL));
	r->t.rtt_l3 = w_alloc_delegated();
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_CREATE, r->t.rd, r->t.rtt_l3, TEST_IPA_BASE, 3, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_INIT_RIPAS, r->t.rd, TEST_IPA_BASE,
				    TEST_IPA_BASE + W_RAM_PAGES * G, 0, 0, NULL));
	for (i = 0U; i < W_PRIV_PAGES; i++) {
		r->priv[i] = w_alloc_delegated();
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, r->t.rd, r->priv[i],
					    TEST_IPA_BASE + i * G, 0, 0, NULL));
	}
	r->rec = w_alloc_delegated();
	for (i = 0U; i < REC_AUX_GRANULES; i++) {
		r->aux[i] = w_alloc_delegated();
	}
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, r->t.rd, r->rec,
				    make_rec_params_aux(TEST_IPA_BASE, REC_PARAMS_FLAG_RUNNABLE, r->aux),
				    0, 0, NULL));
	r->run = w_alloc_ns();
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, r->t.rd, 0, 0, 0, 0, NULL));
	w_rsi(r, SMC_RSI_CSM_REALM_ID, 0, 0, 0, 0, &c);
	assert_int_equal(RSI_SUCCESS, c.x[0]);
	assert_true(c.returned);
	r->id = c.x[1];
	assert_int_not_equal(0, r->id);
}

void w_host_populate(struct w_realm *r, uint64_t base, uint64_t top)
{
	uint64_t ipa;

	for (ipa = base; ipa < top; ipa += G) {
		struct smc_result res;

		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_READ_ENTRY, r->t.rd, ipa, 3, 0, 0, &res));
		if (res.x[2] != RMI_UNASSIGNED || res.x[4] != RIPAS_RAM) {
			continue;	/* already populated */
		}
		assert_true(r->npop < W_MAX_POP);
		r->pop[r->npop] = w_alloc_delegated();
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, r->t.rd, r->pop[r->npop],
					    ipa, 0, 0, NULL));
		r->npop++;
	}
}

/* Forget (and undelegate) a granule the host populated and got back. */
static void host_got_back(struct w_realm *r, uint64_t pa)
{
	unsigned int i;

	for (i = 0U; i < r->npop; i++) {
		if (r->pop[i] == pa) {
			r->pop[i] = r->pop[--r->npop];
			w_undelegate(pa);
			return;
		}
	}
	for (i = 0U; i < W_PRIV_PAGES; i++) {
		if (r->priv[i] == pa) {
			r->priv[i] = 0UL;
			w_undelegate(pa);
			return;
		}
	}
	fail_msg("DATA_DESTROY returned a PA the host never gave: 0x%lx", (unsigned long)pa);
}

void w_host_release(struct w_realm *r, uint64_t base, uint64_t top)
{
	uint64_t ipa;

	for (ipa = base; ipa < top; ipa += G) {
		struct smc_result res;

		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_READ_ENTRY, r->t.rd, ipa, 3, 0, 0, &res));
		if (res.x[2] == RMI_ASSIGNED &&
		    rmi(SMC_RMI_DATA_DESTROY, r->t.rd, ipa, 0, 0, 0, &res) == RMI_SUCCESS) {
			host_got_back(r, res.x[1]);
		}
	}
}

uint64_t w_host_meta_add(struct w_realm *r)
{
	uint64_t pa = w_alloc_delegated();

	assert_true(r->nmeta < W_MAX_META);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_CSM_META_ADD, r->t.rd, pa, 0, 0, 0, NULL));
	r->meta[r->nmeta++] = pa;
	return pa;
}

unsigned long w_rsi_helped(struct w_realm *r, unsigned long fid, unsigned long a1,
			   unsigned long a2, unsigned long a3, unsigned long a4, struct w_call *out)
{
	unsigned int tries;

	for (tries = 0U; tries < 8U; tries++) {
		w_rsi(r, fid, a1, a2, a3, a4, out);
		if (out->x[0] != RSI_ERROR_BUSY) {
			return out->x[0];
		}
		switch (out->exit.exit_reason) {
		case RMI_EXIT_CSM_POPULATE:
			w_host_populate(r, out->exit.ripas_base, out->exit.ripas_top);
			break;
		case RMI_EXIT_CSM_RELEASE:
			w_host_release(r, out->exit.ripas_base, out->exit.ripas_top);
			break;
		case RMI_EXIT_CSM_META:
			(void)w_host_meta_add(r);
			break;
		default:
			fail_msg("BUSY without a CSM exit (reason 0x%lx)", out->exit.exit_reason);
		}
	}
	return out->x[0];
}

void w_realm_teardown(struct w_realm *r)
{
	uint64_t ipa;
	unsigned int i;

	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_DESTROY, r->rec, 0, 0, 0, 0, NULL));
	w_undelegate(r->rec);
	for (i = 0U; i < REC_AUX_GRANULES; i++) {
		w_undelegate(r->aux[i]);	/* REC_DESTROY gave them back */
	}
	for (ipa = TEST_IPA_BASE; ipa < TEST_IPA_BASE + 512UL * G; ipa += G) {
		struct smc_result res;

		if (rmi(SMC_RMI_DATA_DESTROY, r->t.rd, ipa, 0, 0, 0, &res) == RMI_SUCCESS) {
			/* A consumer page's PA is the provider's: not ours to free. */
			bool ours = false;

			for (i = 0U; i < r->npop; i++) {
				ours = ours || r->pop[i] == res.x[1];
			}
			for (i = 0U; i < W_PRIV_PAGES; i++) {
				ours = ours || r->priv[i] == res.x[1];
			}
			if (ours) {
				host_got_back(r, res.x[1]);
			}
		}
	}
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_DESTROY, r->t.rd, TEST_IPA_BASE, 3, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_DESTROY, r->t.rd, TEST_IPA_BASE, 2, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_DESTROY, r->t.rd, 0, 0, 0, 0, NULL));
	w_undelegate(r->t.rtt_l3);
	w_undelegate(r->t.rtt_l2);
	w_undelegate(r->t.rtt_root);
	w_undelegate(r->t.rd);
	for (i = 0U; i < r->nmeta; i++) {
		w_undelegate(r->meta[i]);	/* REALM_DESTROY gave them back */
	}
	r->nmeta = 0U;
	/* A granule the provider had shared and that was never given back. */
	for (i = 0U; i < r->npop; i++) {
		fail_msg("populated granule 0x%lx not returned", (unsigned long)r->pop[i]);
	}
	w_free_ns(r->run);
	r->destroyed = true;
}
