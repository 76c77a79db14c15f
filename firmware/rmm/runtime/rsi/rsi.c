/*
 * RSI calls answered by the RMM alone: VERSION, FEATURES,
 * MEASUREMENT_READ, REALM_CONFIG, IPA_STATE_GET (HOST_CALL and
 * IPA_STATE_SET, which involve the host, are in host_call.c and ripas.c).
 * Arguments are the named x1.., results go in res->x[].
 */
#include <granule.h>
#include <realm.h>
#include <realm_mem.h>
#include <s2tt.h>
#include <smc-handler.h>
#include <smc-rmi.h>
#include <smc-rsi.h>
#include <string.h>

/* Lock the RD of a running REC (no REC lock is held while a realm runs). */
static struct granule *lock_rd_of(const struct rec *rec)
{
	struct granule *g = find_lock_granule(rec->rd_addr, GRANULE_STATE_RD);

	RMM_ASSERT(g != NULL);
	return g;
}

/*
 * RSI_VERSION
 *   x1: requested version
 * Out: x0 RSI_SUCCESS or RSI_ERROR_INPUT (not implemented),
 *      x1 lower, x2 higher implemented version (both 1.0)
 */
void handle_rsi_version(struct rec *rec, struct rmi_rec_exit *exit, unsigned long req,
			struct rsi_result *res)
{
	(void)rec;
	(void)exit;
	res->x[0] = (req == RSI_ABI_VERSION) ? RSI_SUCCESS : RSI_ERROR_INPUT;
	res->x[1] = RSI_ABI_VERSION;
	res->x[2] = RSI_ABI_VERSION;
}

/*
 * RSI_FEATURES
 *   x1: feature register index
 * Out: x0 RSI_SUCCESS, x1 0 (no optional features)
 */
void handle_rsi_features(struct rec *rec, struct rmi_rec_exit *exit, unsigned long index,
			 struct rsi_result *res)
{
	(void)rec;
	(void)exit;
	(void)index;
	res->x[0] = RSI_SUCCESS;
	res->x[1] = 0UL;
}

/*
 * RSI_MEASUREMENT_READ
 *   x1: index (0 = RIM, 1..4 = REMs)
 * Out: x0 RSI_SUCCESS or RSI_ERROR_INPUT (index > 4),
 *      x1..x8 the 64-byte measurement, little-endian doublewords; a
 *      SHA-256 measurement fills x1..x4.  REMs start at zero and change
 *      with RSI_MEASUREMENT_EXTEND (attest.c).
 */
void handle_rsi_measurement_read(struct rec *rec, struct rmi_rec_exit *exit, unsigned long index,
				 struct rsi_result *res)
{
	uint8_t m[64];
	unsigned int i, b;
	struct granule *g;

	(void)exit;
	if (index >= RSI_MEASUREMENT_SLOTS) {
		res->x[0] = RSI_ERROR_INPUT;
		return;
	}
	memset(m, 0, sizeof(m));
	g = lock_rd_of(rec);
	if (index == 0UL) {
		memcpy(m, granule_rd(g)->rim, SHA256_DIGEST_SIZE);
	} else {
		memcpy(m, granule_rd(g)->rem[index - 1UL], SHA256_DIGEST_SIZE);
	}
	granule_unlock(g);
	for (i = 0U; i < 8U; i++) {
		uint64_t v = 0UL;

		for (b = 0U; b < 8U; b++) {
			v |= (uint64_t)m[i * 8U + b] << (8U * b);
		}
		res->x[1U + i] = v;
	}
	res->x[0] = RSI_SUCCESS;
}

/*
 * RSI_REALM_CONFIG(addr)
 * Failure conditions (RSI_ERROR_INPUT): addr_align (not 4 KB aligned),
 * addr_bound (not a protected IPA).  As for RSI_HOST_CALL, RIPAS EMPTY and
 * confidential shared memory (runtime/csm: shared with other realms, or
 * read-only) are RSI_ERROR_INPUT and unmapped RAM a stage-2 data abort exit to the host
 * (the call is made again when the realm re-enters).
 * Success: RsiRealmConfig written at addr: ipa_width, hash_algo, rpv.
 */
void handle_rsi_realm_config(struct rec *rec, struct rmi_rec_exit *exit, unsigned long addr,
			     struct rsi_result *res)
{
	struct rsi_realm_config *cfg;
	struct granule *g;
	enum realm_mem st;
	void *va = NULL;
	int level = 0;

	if (!GRANULE_ALIGNED(addr) || !s2tt_ipa_is_protected(&rec->s2, addr)) {
		res->x[0] = RSI_ERROR_INPUT;
		return;
	}
	g = lock_rd_of(rec);
	st = realm_mem_lookup(&rec->s2, addr, sizeof(*cfg), &va, &level);
	if (st == REALM_MEM_EMPTY || st == REALM_MEM_CSM) {
		res->x[0] = RSI_ERROR_INPUT;
	} else if (st == REALM_MEM_UNMAPPED) {
		realm_mem_abort_exit(exit, addr, level);
		res->exit = true;
		res->pending = true;
		res->retry = true;
	} else {
		cfg = va;
		memset(cfg, 0, sizeof(*cfg));
		cfg->ipa_width = granule_rd(g)->s2.s2sz;
		cfg->hash_algo = (uint8_t)granule_rd(g)->hash_algo;
		memcpy(cfg->rpv, granule_rd(g)->rpv, sizeof(cfg->rpv));
		res->x[0] = RSI_SUCCESS;
	}
	granule_unlock(g);
}

/*
 * RSI_IPA_STATE_GET
 *   x1: base IPA, x2: top IPA (granule aligned, base < top, protected)
 * Out: x0 RSI_SUCCESS or RSI_ERROR_INPUT,
 *      x1 top of the run of entries that share base's RIPAS (within one
 *      RTT), x2 that RIPAS (EMPTY 0, RAM 1, DESTROYED 2)
 */
void handle_rsi_ipa_state_get(struct rec *rec, struct rmi_rec_exit *exit, unsigned long base,
			      unsigned long top, struct rsi_result *res)
{
	unsigned long addr, size, ripas;
	struct granule *g;
	struct s2tt_walk w;

	(void)exit;
	if (!GRANULE_ALIGNED(base) || !GRANULE_ALIGNED(top) || base >= top ||
	    top > (1UL << (rec->s2.s2sz - 1U))) {
		res->x[0] = RSI_ERROR_INPUT;
		return;
	}
	g = lock_rd_of(rec);
	s2tt_walk_lock_unlock(&rec->s2, base, S2TT_PAGE_LEVEL, &w);
	size = s2tt_map_size(w.last_level);
	ripas = s2tte_get_ripas(w.table[w.index], w.last_level);
	addr = (base & ~(size - 1UL)) + size;
	for (w.index++; w.index < S2TT_ENTRIES && addr < top; w.index++, addr += size) {
		if (s2tte_get_ripas(w.table[w.index], w.last_level) != ripas) {
			break;
		}
	}
	granule_unlock(g);
	res->x[0] = RSI_SUCCESS;
	res->x[1] = (addr < top) ? addr : top;
	res->x[2] = ripas;
}
