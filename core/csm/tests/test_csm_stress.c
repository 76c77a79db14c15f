/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Randomized test of the CSM state machine against a reference model.
 *
 * The model below is written independently of src/: flat arrays and linear
 * scans that restate csm.h's rules (check order included).  Each random
 * call's return code must equal the model's prediction; after each call
 * the object counts must agree, and the fake platform's live mappings must
 * be exactly the model's attached grants (no mapping outlives its grant,
 * no region is released while mapped).  A second run injects allocation
 * failures: a call that hits one must return CAEC_E_NOMEM and change
 * nothing, or, for teardown calls, succeed anyway.
 */
#include "csm_test.h"

#include <csm/check.h>

#define NREALM 50
#define RLIMIT (64 * G)          /* small IPA space: plenty of overlaps */
#define NSTALE 256

enum { M_GRANTED = 1, M_RESERVED, M_ATTACHED };

struct m_realm {
	bool alive;
	uint64_t id;
	int rim;                 /* index into rims[] */
};

struct m_region {
	uint64_t id;
	int prov;
	uint64_t base, size;
	bool sealed;
	uint8_t hash[CSM_HASH_MAX];
	size_t hash_len;
};

struct m_grant {
	uint64_t id, seq;
	uint64_t region;         /* region ID */
	int cons;
	unsigned perm;
	int state;
	uint64_t base;
	int pol;                 /* -1 none, else index into rims[] */
};

static const uint8_t rims[3][8] = {
	{ 1, 2, 3, 4, 5, 6, 7, 8 },
	{ 1, 2, 3, 4, 5, 6, 7, 9 },
	{ 9, 9, 9, 9, 9, 9, 9, 9 },
};
static const size_t rim_lens[3] = { 8, 8, 7 };

struct model {
	struct m_realm realm[NREALM];
	struct m_region *rg;
	size_t nrg, caprg;
	struct m_grant *sh;
	size_t nsh, capsh;
	uint64_t seq;
	uint64_t stale[NSTALE];  /* IDs of deleted objects */
	size_t nstale;
};

static uint64_t rs;

static uint64_t rnd(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return rs * 2685821657736338717ull;
}

static uint64_t pick(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static void retire(struct model *m, uint64_t id)
{
	m->stale[m->nstale++ % NSTALE] = id;
}

static struct m_region *m_region(struct model *m, uint64_t id)
{
	for (size_t i = 0; i < m->nrg; i++)
		if (m->rg[i].id == id)
			return &m->rg[i];
	return NULL;
}

static struct m_grant *m_grant(struct model *m, uint64_t id)
{
	for (size_t i = 0; i < m->nsh; i++)
		if (m->sh[i].id == id)
			return &m->sh[i];
	return NULL;
}

static int m_realm_slot(struct model *m, uint64_t id)
{
	for (int i = 0; i < NREALM; i++)
		if (m->realm[i].alive && m->realm[i].id == id)
			return i;
	return -1;
}

/* The model's version of the range rules for a new range of realm slot r. */
static int m_range(struct model *m, int r, uint64_t base, uint64_t size)
{
	if (size == 0)
		return CAEC_E_INVAL;
	if (base % G || size % G)
		return CAEC_E_ALIGN;
	if (base > UINT64_MAX - size || base + size > RLIMIT)
		return CAEC_E_RANGE;
	for (size_t i = 0; i < m->nrg; i++)
		if (m->rg[i].prov == r && base < m->rg[i].base + m->rg[i].size &&
		    m->rg[i].base < base + size)
			return CAEC_E_OVERLAP;
	for (size_t i = 0; i < m->nsh; i++) {
		struct m_grant *s = &m->sh[i];
		uint64_t sz;

		if (s->cons != r || s->state == M_GRANTED)
			continue;
		sz = m_region(m, s->region)->size;
		if (base < s->base + sz && s->base < base + size)
			return CAEC_E_OVERLAP;
	}
	return 0;
}

static void m_del_grant(struct model *m, size_t i)
{
	retire(m, m->sh[i].id);
	m->sh[i] = m->sh[--m->nsh];
}

static void m_del_region(struct model *m, uint64_t id)
{
	for (size_t i = 0; i < m->nsh;)
		if (m->sh[i].region == id)
			m_del_grant(m, i);
		else
			i++;
	for (size_t i = 0; i < m->nrg; i++)
		if (m->rg[i].id == id) {
			retire(m, id);
			m->rg[i] = m->rg[--m->nrg];
			return;
		}
}

/* Some ID: usually a live one of the wanted kind, sometimes stale, foreign
 * kind, or random. */
static uint64_t any_id(struct model *m, int kind)
{
	uint64_t p = pick(100);

	if (p < 88) {
		if (kind == 0 && m->nrg)
			return m->rg[pick(m->nrg)].id;
		if (kind == 1 && m->nsh)
			return m->sh[pick(m->nsh)].id;
	}
	if (p < 94 && m->nstale)
		return m->stale[pick(m->nstale < NSTALE ? m->nstale : NSTALE)];
	if (p < 97)
		return m->realm[pick(NREALM)].id;
	return rnd();
}

/* Usually a grant in the given state (so that each call mostly meets the
 * state it is meant for), else any_id(). */
static uint64_t grant_in(struct model *m, int state)
{
	size_t n = 0, k;

	if (pick(10) < 3)
		return any_id(m, 1);
	for (size_t i = 0; i < m->nsh; i++)
		n += m->sh[i].state == state;
	if (!n)
		return any_id(m, 1);
	k = pick(n);
	for (size_t i = 0; i < m->nsh; i++)
		if (m->sh[i].state == state && k-- == 0)
			return m->sh[i].id;
	return 0;
}

/* A caller: usually the right party (provider/consumer), else anyone. */
static uint64_t any_realm(struct model *m)
{
	return m->realm[pick(NREALM)].id;  /* may be a dead realm's old ID */
}

static uint64_t any_base(void)
{
	uint64_t p = pick(100);

	if (p < 90)
		return pick(66) * G;
	if (p < 95)
		return pick(66) * G + 8;
	return UINT64_MAX - pick(4) * G - G + 1;
}

static uint64_t any_size(void)
{
	uint64_t p = pick(100);

	if (p < 92)
		return (1 + pick(4)) * G;
	if (p < 96)
		return 0;
	return G + 16;
}

struct run {
	struct fake_plat f;
	struct csm *csm;
	struct model m;
	bool inject;
	bool rsv;                /* platform with the reserve/unreserve ops */
	uint64_t ok, fail, nomem;
	uint64_t max_rg, max_sh;
};

static void spawn(struct run *r, int slot)
{
	struct m_realm *mr = &r->m.realm[slot];
	int rc;

	mr->rim = (int)pick(3);
	do {
		rc = csm_realm_add(r->csm, 0x1000 + (uint64_t)slot, rims[mr->rim],
				   rim_lens[mr->rim], RLIMIT, &mr->id);
		/* Injected NOMEM: retry (the realm must come back). */
	} while (rc == CAEC_E_NOMEM && r->inject);
	assert_caec_ok(rc);
	mr->alive = true;
}

static void check_consistency(struct run *r, bool full)
{
	struct model *m = &r->m;
	struct csm_stats st;
	uint64_t realms = 0, attached = 0, reserved = 0;

	for (int i = 0; i < NREALM; i++)
		realms += m->realm[i].alive;
	for (size_t i = 0; i < m->nsh; i++) {
		attached += m->sh[i].state == M_ATTACHED;
		reserved += m->sh[i].state != M_GRANTED;
	}
	/* The platform holds exactly the model's reservations. */
	assert_int_equal(r->f.nreserved, r->rsv ? reserved : 0);
	csm_get_stats(r->csm, &st);
	assert_int_equal(st.realms, realms);
	assert_int_equal(st.regions, m->nrg);
	assert_int_equal(st.grants, m->nsh);
	assert_int_equal(st.attached, attached);
	assert_int_equal(r->f.nmaps, attached);
	assert_int_equal(r->f.nregions, m->nrg);
	assert_int_equal(r->f.violations, 0);
	assert_int_equal(r->f.bad_frees, 0);
	if (!full)
		return;
	assert_caec_ok(csm_check(r->csm));
	/* Every platform mapping is an attached grant of the model, at the
	 * reserved base, for the right consumer and permission. */
	for (size_t i = 0; i < r->f.nmaps; i++) {
		const struct csm_mapping *mp = &r->f.maps[i];
		struct m_grant *s = m_grant(m, mp->grant_id);

		assert_non_null(s);
		assert_int_equal(s->state, M_ATTACHED);
		assert_int_equal(mp->base, s->base);
		assert_int_equal(mp->realm_id, m->realm[s->cons].id);
		assert_int_equal(mp->region_id, s->region);
		assert_int_equal(mp->perm, s->perm);
	}
	/* Each realm's grant list: its grants in grant order. */
	for (int k = 0; k < NREALM; k++) {
		uint64_t last = 0, idx = 0;
		struct csm_grant_info gr;

		if (!m->realm[k].alive)
			continue;
		for (; csm_grant_list(r->csm, m->realm[k].id, idx, &gr) == 0; idx++) {
			struct m_grant *s = m_grant(m, gr.grant_id);

			assert_non_null(s);
			assert_int_equal(s->cons, k);
			assert_true(s->seq > last);
			last = s->seq;
			assert_int_equal(gr.region_id, s->region);
			assert_int_equal(gr.attached, s->state == M_ATTACHED);
			assert_int_equal(gr.perm, s->perm);
			assert_int_equal(gr.sealed, m_region(m, s->region)->sealed);
		}
		for (size_t i = 0; i < m->nsh; i++)
			idx -= m->sh[i].cons == k;
		assert_int_equal(idx, 0);
	}
}

/* One random call.  Returns after checking rc against the model. */
static void step(struct run *r)
{
	struct model *m = &r->m;
	uint64_t op = pick(1000), nfailed = r->f.nfailed;
	uint64_t caller, id = 0, base, size;
	int rc, want;
	bool nomem_ok = false;   /* call may allocate and so may see NOMEM */

	if (r->inject && pick(100) < 3)
		r->f.fail_at = r->f.nalloc + 1 + pick(3);

	if (op < 100) {                                 /* share */
		int slot = (int)pick(NREALM);

		caller = pick(20) ? m->realm[slot].id : rnd();
		base = any_base();
		size = any_size();
		want = m_realm_slot(m, caller) < 0 ? CAEC_E_NOENT :
		       m_range(m, slot, base, size);
		rc = csm_share(r->csm, caller, base, size, &id);
		nomem_ok = want == 0;
		if (rc == 0 && want == 0) {
			if (m->nrg == m->caprg) {
				m->caprg = m->caprg ? 2 * m->caprg : 64;
				m->rg = realloc(m->rg, m->caprg * sizeof(*m->rg));
				assert_non_null(m->rg);
			}
			m->rg[m->nrg++] = (struct m_region){
				.id = id, .prov = slot, .base = base, .size = size };
		}
	} else if (op < 300) {                          /* grant */
		uint64_t rid = any_id(m, 0), cons;
		struct m_region *g = m_region(m, rid);
		unsigned perm = pick(10) ? (pick(2) ? CSM_PERM_RO : CSM_PERM_RW)
					 : (unsigned)pick(5);
		int cslot = (int)pick(NREALM), pol = (int)pick(5) - 2;
		struct csm_policy p = { 0 };

		if (pol < 0)
			pol = -1;
		else {
			p.rim_len = (uint32_t)rim_lens[pol];
			memcpy(p.rim, rims[pol], rim_lens[pol]);
		}
		caller = g && pick(10) ? m->realm[g->prov].id : any_realm(m);
		cons = m->realm[cslot].id;
		if (perm != CSM_PERM_RO && perm != CSM_PERM_RW)
			want = CAEC_E_INVAL;
		else if (cons == caller)
			want = CAEC_E_INVAL;
		else if (!g)
			want = CAEC_E_NOENT;
		else if (m->realm[g->prov].id != caller)
			want = CAEC_E_DENIED;
		else if (!m->realm[cslot].alive)
			want = CAEC_E_NOENT;
		else if (g->sealed && perm == CSM_PERM_RW)
			want = CAEC_E_PERM;
		else {
			want = 0;
			for (size_t i = 0; i < m->nsh; i++)
				if (m->sh[i].region == rid && m->sh[i].cons == cslot)
					want = CAEC_E_EXIST;
		}
		rc = csm_grant(r->csm, caller, rid, cons, perm, pol < 0 ? NULL : &p,
			       &id);
		nomem_ok = want == 0;
		if (rc == 0 && want == 0) {
			if (m->nsh == m->capsh) {
				m->capsh = m->capsh ? 2 * m->capsh : 64;
				m->sh = realloc(m->sh, m->capsh * sizeof(*m->sh));
				assert_non_null(m->sh);
			}
			m->sh[m->nsh++] = (struct m_grant){
				.id = id, .seq = ++m->seq, .region = rid,
				.cons = cslot, .perm = perm, .state = M_GRANTED,
				.pol = pol };
		}
	} else if (op < 340) {                          /* revoke */
		uint64_t sid = any_id(m, 1);
		struct m_grant *s = m_grant(m, sid);

		caller = s && pick(10) ? m->realm[m_region(m, s->region)->prov].id
				       : any_realm(m);
		want = !s ? CAEC_E_NOENT :
		       m->realm[m_region(m, s->region)->prov].id != caller ?
		       CAEC_E_DENIED : 0;
		rc = csm_revoke(r->csm, caller, sid);
		if (rc == 0 && want == 0)
			m_del_grant(m, (size_t)(s - m->sh));
	} else if (op < 365) {                          /* unshare */
		uint64_t rid = any_id(m, 0);
		struct m_region *g = m_region(m, rid);

		caller = g && pick(10) ? m->realm[g->prov].id : any_realm(m);
		want = !g ? CAEC_E_NOENT :
		       m->realm[g->prov].id != caller ? CAEC_E_DENIED : 0;
		rc = csm_unshare(r->csm, caller, rid);
		if (rc == 0 && want == 0)
			m_del_region(m, rid);
	} else if (op < 395) {                          /* seal */
		uint64_t rid = any_id(m, 0);
		struct m_region *g = m_region(m, rid);
		uint8_t h[CSM_HASH_MAX];
		size_t hl = 0;

		caller = g && pick(10) ? m->realm[g->prov].id : any_realm(m);
		want = !g ? CAEC_E_NOENT :
		       m->realm[g->prov].id != caller ? CAEC_E_DENIED :
		       g->sealed ? CAEC_E_STATE : 0;
		for (size_t i = 0; want == 0 && i < m->nsh; i++)
			if (m->sh[i].region == rid && m->sh[i].perm == CSM_PERM_RW)
				want = CAEC_E_STATE;
		rc = csm_seal(r->csm, caller, rid, h, sizeof(h), &hl);
		if (rc == 0 && want == 0) {
			g->sealed = true;
			g->hash_len = hl;
			memcpy(g->hash, h, hl);
		}
	} else if (op < 600) {                          /* reserve */
		uint64_t sid = grant_in(m, M_GRANTED);
		struct m_grant *s = m_grant(m, sid);
		struct m_region *g = s ? m_region(m, s->region) : NULL;

		caller = s && pick(10) ? m->realm[s->cons].id : any_realm(m);
		base = any_base();
		size = g && pick(10) ? g->size : any_size();
		if (!s || m->realm[s->cons].id != caller)
			want = CAEC_E_DENIED;
		else if (s->state != M_GRANTED)
			want = CAEC_E_STATE;
		else if (size != g->size)
			want = CAEC_E_INVAL;
		else
			want = m_range(m, s->cons, base, size);
		rc = csm_reserve(r->csm, caller, sid, base, size);
		if (rc == 0 && want == 0) {
			s->state = M_RESERVED;
			s->base = base;
		}
	} else if (op < 820) {                          /* attach */
		uint64_t sid = grant_in(m, M_RESERVED);
		struct m_grant *s = m_grant(m, sid);
		struct m_region *g = s ? m_region(m, s->region) : NULL;
		uint8_t eh[CSM_HASH_MAX] = { 0 };
		size_t ehl = 0;
		uint64_t hp = pick(10);

		caller = s && pick(10) ? m->realm[s->cons].id : any_realm(m);
		if (g && hp < 3 && g->sealed) {
			ehl = g->hash_len;
			memcpy(eh, g->hash, ehl);
			if (hp == 0)
				eh[pick(ehl)] ^= 1;
		} else if (hp < 4) {
			ehl = 32;
		}
		if (!s || m->realm[s->cons].id != caller)
			want = CAEC_E_DENIED;
		else if (s->state != M_RESERVED)
			want = CAEC_E_STATE;
		else if (s->pol >= 0 &&
			 (rim_lens[s->pol] != rim_lens[m->realm[s->cons].rim] ||
			  memcmp(rims[s->pol], rims[m->realm[s->cons].rim],
				 rim_lens[s->pol])))
			want = CAEC_E_DENIED;
		else if (ehl && (!g->sealed || g->hash_len != ehl ||
				 memcmp(g->hash, eh, ehl)))
			want = CAEC_E_HASH;
		else
			want = 0;
		rc = csm_attach(r->csm, caller, sid, ehl ? eh : NULL, ehl, NULL);
		if (rc == 0 && want == 0)
			s->state = M_ATTACHED;
	} else if (op < 950) {                          /* detach */
		uint64_t sid = grant_in(m, M_ATTACHED);
		struct m_grant *s = m_grant(m, sid);

		caller = s && pick(10) ? m->realm[s->cons].id : any_realm(m);
		want = !s || m->realm[s->cons].id != caller ? CAEC_E_DENIED :
		       s->state == M_GRANTED ? CAEC_E_STATE : 0;
		rc = csm_detach(r->csm, caller, sid);
		if (rc == 0 && want == 0)
			s->state = M_GRANTED;
	} else if (op < 990) {                          /* query */
		uint64_t rid = any_id(m, 0), sz = 0;
		struct m_region *g = m_region(m, rid);
		bool sealed = false;

		caller = any_realm(m);
		if (g && pick(2))
			caller = m->realm[g->prov].id;
		if (!g) {
			want = CAEC_E_NOENT;
		} else if (m->realm[g->prov].id == caller) {
			want = 0;
		} else {
			want = CAEC_E_DENIED;
			for (size_t i = 0; i < m->nsh; i++)
				if (m->sh[i].region == rid &&
				    m->realm[m->sh[i].cons].id == caller &&
				    m->realm[m->sh[i].cons].alive)
					want = 0;
		}
		rc = csm_region_query(r->csm, caller, rid, &sz, &sealed, NULL);
		if (rc == 0 && want == 0) {
			assert_int_equal(sz, g->size);
			assert_int_equal(sealed, g->sealed);
		}
	} else {                          /* a realm dies, or a new one joins */
		int slot = (int)pick(NREALM);
		uint64_t rid = m->realm[slot].id;
		bool joined = false;

		if (m->realm[slot].alive && pick(4)) {
			/* mostly: check existence instead of killing */
			assert_true(csm_realm_exists(r->csm, rid));
			rc = want = 0;
			joined = true;
		} else if (!m->realm[slot].alive && pick(10)) {
			r->f.fail_at = 0;
			spawn(r, slot);         /* asserts success */
			rc = want = 0;
			joined = true;
		} else {
			want = m->realm[slot].alive ? 0 : CAEC_E_NOENT;
			rc = csm_realm_remove(r->csm, rid);
		}
		if (rc == 0 && want == 0 && !joined) {
			for (size_t i = 0; i < m->nsh;)
				if (m->sh[i].cons == slot)
					m_del_grant(m, i);
				else
					i++;
			for (size_t i = 0; i < m->nrg;)
				if (m->rg[i].prov == slot)
					m_del_region(m, m->rg[i].id);
				else
					i++;
			retire(m, rid);
			m->realm[slot].alive = false;
		}
	}
	r->f.fail_at = 0;

	if (rc == CAEC_E_NOMEM && nomem_ok && r->f.nfailed != nfailed) {
		r->nomem++;   /* model unchanged: it was only changed on rc == 0 */
	} else {
		if (rc != want)
			fail_msg("op %llu: rc %d, model says %d",
				 (unsigned long long)op, rc, want);
		if (rc)
			r->fail++;
		else
			r->ok++;
	}
	if (m->nrg > r->max_rg)
		r->max_rg = m->nrg;
	if (m->nsh > r->max_sh)
		r->max_sh = m->nsh;
}

static void run_stress(uint64_t seed, uint64_t nops, bool inject, bool rsv)
{
	struct run *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	rs = seed;
	fake_init(&r->f);
	r->f.record = false;
	r->inject = inject;
	r->rsv = rsv;
	assert_caec_ok(csm_init(&r->csm, rsv ? &fake_ops_rsv : &fake_ops, &r->f));
	for (int i = 0; i < NREALM; i++)
		spawn(r, i);
	for (uint64_t i = 0; i < nops; i++) {
		step(r);
		check_consistency(r, i % 64 == 0);
	}
	check_consistency(r, true);
	print_message("  %llu ops: %llu ok, %llu refused, %llu injected NOMEM; "
		      "peak %llu regions, %llu grants; %llu maps, %llu unmaps\n",
		      (unsigned long long)nops, (unsigned long long)r->ok,
		      (unsigned long long)r->fail, (unsigned long long)r->nomem,
		      (unsigned long long)r->max_rg, (unsigned long long)r->max_sh,
		      (unsigned long long)r->f.nmap, (unsigned long long)r->f.nunmap);
	/* Enough of each outcome that the run means something. */
	assert_true(r->ok > nops / 5);
	assert_true(r->fail > nops / 5);
	assert_true(r->f.nmap > nops / 100);
	if (inject)
		assert_true(r->nomem > 0);

	csm_fini(r->csm);
	/* After fini: every allocation freed, no mapping or region left. */
	assert_int_equal(r->f.live_bytes, 0);
	assert_int_equal(r->f.live_allocs, 0);
	assert_int_equal(r->f.nmaps, 0);
	assert_int_equal(r->f.nregions, 0);
	assert_int_equal(r->f.violations, 0);
	assert_int_equal(r->f.bad_frees, 0);
	assert_int_equal(r->f.nmap, r->f.nunmap);
	assert_int_equal(r->f.nreserved, 0);
	assert_true(r->f.max_alloc <= CSM_ALLOC_MAX);
	fake_fini(&r->f);
	free(r->m.rg);
	free(r->m.sh);
	free(r);
}

/* Proves the implementation agrees with the reference model on 200k random
 * calls across 50 realms (return codes, counts, mappings, grant lists),
 * and that fini then returns every allocation and mapping. */
static void test_csm_stress_vs_model(void **state)
{
	(void)state;
	run_stress(0x5eed0001ull, 200000, false, false);
}

/* Proves the same with random allocation failures injected: a call that
 * hits one returns CAEC_E_NOMEM with no change (the model, unchanged, keeps
 * agreeing), teardown calls still complete, and nothing leaks. */
static void test_csm_stress_alloc_failures(void **state)
{
	(void)state;
	run_stress(0x5eed0002ull, 100000, true, false);
}

/* Proves the same on a platform with the optional reserve/unreserve ops
 * (as the RMM has): after every call the platform holds exactly the
 * model's reservations (RESERVED and ATTACHED grants), every reservation
 * ends after its mapping, and none is left after fini. */
static void test_csm_stress_reserve_ops(void **state)
{
	(void)state;
	run_stress(0x5eed0003ull, 100000, true, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csm_stress_vs_model),
		cmocka_unit_test(test_csm_stress_alloc_failures),
		cmocka_unit_test(test_csm_stress_reserve_ops),
	};

	return cmocka_run_group_tests_name("csm-stress", tests, NULL, NULL);
}
