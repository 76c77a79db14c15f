#include "rmm_test.h"

#include <string.h>

static unsigned int next_granule;

/*
 * Fake DRAM layout (granule numbers): 16..1279 general allocation (room
 * for a realm with REALM_MAX_RECS RECs and their auxiliary granules),
 * 1280..1535 params granules made by make_*_params(), recycled so long
 * random tests do not run out, 1536..2047 one 2 MB-aligned block for tests
 * that fold 512 DATA granules into a block mapping.
 */
#define GENERAL_AREA_END	1280U
#define PARAMS_AREA_FIRST	1280U
#define PARAMS_AREA_END		1536U
#define BLOCK_AREA_FIRST	1536U
static unsigned int next_params = PARAMS_AREA_FIRST;

void rmm_test_recycle_ns(void)
{
	next_params = PARAMS_AREA_FIRST;
}

static uint64_t alloc_params(void)
{
	if (next_params >= PARAMS_AREA_END) {
		next_params = PARAMS_AREA_FIRST;
	}
	return PA(next_params++);
}


/* Every handler must drop every granule lock it took, on every path. */
static void assert_no_lock_held(void)
{
	uint64_t pa;

	for (pa = PLAT_NS_DRAM_BASE; pa < PLAT_NS_DRAM_BASE + PLAT_NS_DRAM_SIZE; pa += GRANULE_SIZE) {
		assert_false(spinlock_is_held(&addr_to_granule(pa)->lock));
	}
}

unsigned long rmi(unsigned long fid, unsigned long a1, unsigned long a2, unsigned long a3,
		  unsigned long a4, unsigned long a5, struct smc_result *res)
{
	struct smc_args args = { .x = { fid, a1, a2, a3, a4, a5, 0UL } };
	struct smc_result local;

	if (res == NULL) {
		res = &local;
	}
	rmi_dispatch(&args, res);
	assert_no_lock_held();
	return res->x[0];
}

int rmm_test_setup(void **state)
{
	(void)state;
	fake_host_reset();
	next_granule = 16U;
	next_params = PARAMS_AREA_FIRST;
	return 0;
}

uint64_t alloc_ns(void)
{
	assert_true(next_granule < GENERAL_AREA_END);
	return PA(next_granule++);
}

uint64_t block_area_2mb(void)
{
	return PA(BLOCK_AREA_FIRST);
}

uint64_t alloc_delegated(void)
{
	uint64_t pa = alloc_ns();

	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_DELEGATE, pa, 0, 0, 0, 0, NULL));
	return pa;
}

uint64_t make_realm_params(uint64_t rtt_base, unsigned int vmid)
{
	uint64_t pa = alloc_params();
	struct rmi_realm_params *p = fake_pa_ptr(pa);

	memset(p, 0, sizeof(*p));
	p->s2sz = TEST_S2SZ;
	p->hash_algo = RMI_HASH_SHA_256;
	p->num_bps = 1;		/* two breakpoints and watchpoints: the minimum */
	p->num_wps = 1;
	p->vmid = (uint16_t)vmid;
	p->rtt_base = rtt_base;
	p->rtt_level_start = 1;
	p->rtt_num_start = 1;
	return pa;
}

void realm_build(struct test_realm *r, unsigned int vmid)
{
	r->vmid = vmid;
	r->rd = alloc_delegated();
	r->rtt_root = alloc_delegated();
	r->params = make_realm_params(r->rtt_root, vmid);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_CREATE, r->rd, r->params, 0, 0, 0, NULL));
	r->rtt_l2 = alloc_delegated();
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_CREATE, r->rd, r->rtt_l2, TEST_IPA_BASE, 2, 0, NULL));
	r->rtt_l3 = alloc_delegated();
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_CREATE, r->rd, r->rtt_l3, TEST_IPA_BASE, 3, 0, NULL));
}

uint64_t make_rec_params_aux(uint64_t pc, uint64_t flags, const uint64_t aux[REC_AUX_GRANULES])
{
	uint64_t pa = alloc_params();
	struct rmi_rec_params *p = fake_pa_ptr(pa);
	unsigned int i;

	memset(p, 0, sizeof(*p));
	p->pc = pc;
	p->flags = flags;
	p->gprs[0] = 0x1234UL;
	p->num_aux = REC_AUX_GRANULES;
	for (i = 0U; i < REC_AUX_GRANULES; i++) {
		p->aux[i] = aux[i];
	}
	return pa;
}

void rec_params_fresh_aux(uint64_t params)
{
	struct rmi_rec_params *p = fake_pa_ptr(params);
	unsigned int i;

	for (i = 0U; i < REC_AUX_GRANULES; i++) {
		p->aux[i] = alloc_delegated();
	}
}

uint64_t make_rec_params(uint64_t pc, uint64_t flags)
{
	uint64_t aux[REC_AUX_GRANULES];
	unsigned int i;

	for (i = 0U; i < REC_AUX_GRANULES; i++) {
		aux[i] = alloc_delegated();
	}
	return make_rec_params_aux(pc, flags, aux);
}
