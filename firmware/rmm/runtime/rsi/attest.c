/*
 * Realm measurement and attestation calls (RMM v1.0 A7):
 *
 *   RSI_MEASUREMENT_EXTEND   REM[index] = H(REM[index] || value[0..size)),
 *                            H the realm's hash algorithm (SHA-256), as
 *                            TF-RMM extends them
 *   RSI_ATTESTATION_TOKEN_INIT / _CONTINUE
 *                            the token, one piece of a granule per call
 *
 * INIT takes the claims (RIM, REMs, RPV, realm ID, CSM relations) and
 * encodes the whole token (lib/attest, core/token) into the REC's
 * auxiliary granules, its signature still zero, and answers its exact
 * size.  The first CONTINUE signs it (ECDSA P-384 with the RAK: tens of
 * milliseconds under QEMU); every CONTINUE copies the next piece into the
 * realm's granule.  A physical interrupt pending before the signature is
 * a REC exit to the host (RMI_EXIT_IRQ) with RSI_INCOMPLETE and no bytes,
 * so the realm calls again (A7.2.2).  The signature itself runs to its
 * end: Debian's mbedTLS has no restartable ECC.
 */
#include <arch_rmm.h>
#include <attest.h>
#include <csm/csm.h>
#include <granule.h>
#include <plat.h>
#include <plat_memory.h>
#include <realm.h>
#include <realm_mem.h>
#include <rmm_csm.h>
#include <s2tt.h>
#include <smc-handler.h>
#include <smc-rmi.h>
#include <smc-rsi.h>
#include <string.h>

COMPILER_ASSERT(REC_AUX_GRANULES == ATTEST_AUX_GRANULES, "aux granules hold the token");
COMPILER_ASSERT(REALM_NUM_REMS == CAEC_TOKEN_REM_COUNT, "four REMs");

#define REM_VALUE_MAX	64UL

/* Per CPU: the claims being encoded and the token being signed. */
static struct token_relation token_rels[PLAT_MAX_CPUS][CAEC_TOKEN_MAX_RELATIONS];
static struct csm_relation csm_rels[PLAT_MAX_CPUS][CAEC_TOKEN_MAX_RELATIONS];
static uint8_t scratch[PLAT_MAX_CPUS][ATTEST_TOKEN_MAX];

/* Bytes [off, off + n) of the token in the REC's auxiliary granules. */
static void aux_copy(const struct rec *rec, size_t off, uint8_t *buf, size_t n, bool to_aux)
{
	while (n > 0U) {
		size_t i = off / GRANULE_SIZE, at = off % GRANULE_SIZE;
		size_t chunk = (n < GRANULE_SIZE - at) ? n : GRANULE_SIZE - at;
		uint8_t *aux = (uint8_t *)plat_granule_va(rec->aux[i]) + at;

		if (to_aux) {
			memcpy(aux, buf, chunk);
		} else {
			memcpy(buf, aux, chunk);
		}
		off += chunk;
		buf += chunk;
		n -= chunk;
	}
}

/* Lock the RD of a running REC (no REC lock is held while a realm runs). */
static struct granule *lock_rd_of(const struct rec *rec)
{
	struct granule *g = find_lock_granule(rec->rd_addr, GRANULE_STATE_RD);

	RMM_ASSERT(g != NULL);
	return g;
}

/*
 * RSI_MEASUREMENT_EXTEND(index, size, value_0..value_7 in x3..x10)
 * Failure conditions (RSI_ERROR_INPUT), in order: index_bound (index < 1
 * or > 4), size_bound (size > 64).
 * Success: REM[index] = SHA-256(REM[index] || the first `size` bytes of
 * the value, x3 first, each doubleword little-endian).
 */
void handle_rsi_measurement_extend(struct rec *rec, struct rmi_rec_exit *exit,
				   unsigned long index, unsigned long size, struct rsi_result *res)
{
	struct sha256_ctx h;
	uint8_t value[REM_VALUE_MAX];
	unsigned int i, b;
	struct granule *g;
	uint8_t *rem;

	(void)exit;
	if (index < 1UL || index > REALM_NUM_REMS) {
		res->x[0] = RSI_ERROR_INPUT;
		return;
	}
	if (size > REM_VALUE_MAX) {
		res->x[0] = RSI_ERROR_INPUT;
		return;
	}
	for (i = 0U; i < 8U; i++) {
		for (b = 0U; b < 8U; b++) {
			value[i * 8U + b] = (uint8_t)(rec->regs[3U + i] >> (8U * b));
		}
	}
	g = lock_rd_of(rec);
	rem = granule_rd(g)->rem[index - 1UL];
	sha256_init(&h);
	sha256_update(&h, rem, SHA256_DIGEST_SIZE);
	sha256_update(&h, value, size);
	sha256_final(&h, rem);
	granule_unlock(g);
	res->x[0] = RSI_SUCCESS;
}

/*
 * The claims of the REC's realm now: RIM, REMs and RPV from the RD, the
 * realm ID and CSM relations from the CSM state (CSM lock first, then the
 * RD: lockdep.h).  More than 64 relations: the first 63 in the token's
 * order and a summary entry (region 0, grant = the number left out), as
 * on caec-simd (docs/attestation.md).
 */
static void collect_claims(const struct rec *rec, struct token_realm_claims *c)
{
	unsigned int cpu = plat_my_cpu();
	struct token_relation *t = token_rels[cpu];
	const struct csm_relation *r = csm_rels[cpu];
	const struct rd *rd;
	struct granule *g;
	uint64_t omitted;
	int n, i;

	memset(c, 0, sizeof(*c));
	rmm_csm_lock();
	c->realm_id = rmm_csm_realm_id(rec->rd_addr);
	n = rmm_csm_relations(rec->rd_addr, csm_rels[cpu], CAEC_TOKEN_MAX_RELATIONS, &omitted);
	g = lock_rd_of(rec);
	rd = granule_rd(g);
	c->rim_len = SHA256_DIGEST_SIZE;
	c->rem_len = SHA256_DIGEST_SIZE;
	memcpy(c->rim, rd->rim, SHA256_DIGEST_SIZE);
	for (i = 0; i < (int)REALM_NUM_REMS; i++) {
		memcpy(c->rems[i], rd->rem[i], SHA256_DIGEST_SIZE);
	}
	memcpy(c->rpv, rd->rpv, sizeof(c->rpv));
	granule_unlock(g);
	rmm_csm_unlock();
	c->hash_algo = "sha-256";
	for (i = 0; i < n; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].region_id = r[i].region_id;
		t[i].grant_id = r[i].grant_id;
		t[i].peer_realm_id = r[i].peer_id;
		t[i].perm = r[i].perm;
		t[i].role = r[i].provider ? CAEC_TOKEN_ROLE_PROVIDER : CAEC_TOKEN_ROLE_CONSUMER;
		t[i].sealed = r[i].sealed ? 1U : 0U;
		if (r[i].sealed) {
			t[i].hash_len = r[i].hash_len;
			memcpy(t[i].hash, r[i].hash, r[i].hash_len);
		}
	}
	if (omitted != 0UL) {
		memset(&t[n], 0, sizeof(t[n]));
		t[n].region_id = CAEC_TOKEN_REL_SUMMARY;
		t[n].grant_id = omitted;
		t[n].role = CAEC_TOKEN_ROLE_CONSUMER;
		n++;
	}
	c->n_relations = (size_t)n;
	c->relations = t;
}

/*
 * RSI_ATTESTATION_TOKEN_INIT(challenge_0..challenge_7 in x1..x8)
 *   -> (x0 RSI_SUCCESS, x1 upper bound of the token size)
 * No failure conditions.  Ends any token operation of this REC, starts a
 * new one with this challenge (rec.attest_state = ATTEST_IN_PROGRESS).
 * The bound is the token's exact size; ATTEST_TOKEN_MAX when the token
 * cannot be made (no attestation from EL3): CONTINUE then answers
 * RSI_ERROR_UNKNOWN.
 */
void handle_rsi_attest_token_init(struct rec *rec, struct rmi_rec_exit *exit,
				  struct rsi_result *res)
{
	struct token_realm_claims claims;
	struct token_sign1_layout l;
	uint8_t challenge[CAEC_CHALLENGE_SIZE];
	uint8_t *buf = scratch[plat_my_cpu()];
	struct rec_attest *a = &rec->attest;
	unsigned int i, b;
	size_t len = 0U;
	int rc = -1;

	(void)exit;
	for (i = 0U; i < 8U; i++) {
		for (b = 0U; b < 8U; b++) {
			challenge[i * 8U + b] = (uint8_t)(rec->regs[1U + i] >> (8U * b));
		}
	}
	memset(a, 0, sizeof(*a));
	a->state = REC_ATTEST_IN_PROGRESS;
	if (attest_ready()) {
		collect_claims(rec, &claims);
		rc = attest_token_encode(&claims, challenge, buf, ATTEST_TOKEN_MAX, &len, &l);
	}
	if (rc != 0) {
		a->failed = 1U;
		res->x[0] = RSI_SUCCESS;
		res->x[1] = ATTEST_TOKEN_MAX;
		return;
	}
	aux_copy(rec, 0U, buf, len, true);
	a->len = len;
	a->prot_off = l.prot_off;
	a->prot_len = l.prot_len;
	a->payload_off = l.payload_off;
	a->payload_len = l.payload_len;
	a->sig_off = l.sig_off;
	res->x[0] = RSI_SUCCESS;
	res->x[1] = len;
}

/* The first CONTINUE: sign the token in the aux granules.  0 or an error. */
static int sign_token(struct rec *rec)
{
	struct rec_attest *a = &rec->attest;
	uint8_t *buf = scratch[plat_my_cpu()];
	struct token_sign1_layout l = {
		.prot_off = a->prot_off, .prot_len = a->prot_len,
		.payload_off = a->payload_off, .payload_len = a->payload_len,
		.sig_off = a->sig_off, .len = a->len,
	};
	int rc;

	aux_copy(rec, 0U, buf, a->len, false);
	rc = attest_token_sign(buf, &l);
	if (rc == 0) {
		aux_copy(rec, a->sig_off, buf + a->sig_off, TOKEN_ES384_SIG_SIZE, true);
		a->is_signed = 1U;
	}
	return rc;
}

/*
 * RSI_ATTESTATION_TOKEN_CONTINUE(addr, offset, size) -> (x0, x1 len)
 * Failure conditions, in order: addr_align (addr not 4 KB aligned),
 * addr_bound (not a protected IPA), offset_bound (offset >= 4096),
 * size_overflow (offset + size wraps), size_bound (offset + size > 4096):
 * RSI_ERROR_INPUT; state (no ATTEST_IN_PROGRESS on this REC):
 * RSI_ERROR_STATE; unknown (the token could not be made or signed):
 * RSI_ERROR_UNKNOWN, and the operation ends.
 * As for RSI_REALM_CONFIG, a granule with RIPAS EMPTY or in CSM use is
 * RSI_ERROR_INPUT and unbacked RAM a stage-2 abort exit (the call runs
 * again when the REC re-enters).
 * Success: up to `size` bytes of the token at addr + offset, len in x1:
 * RSI_INCOMPLETE while bytes remain, RSI_SUCCESS with the last ones
 * (rec.attest_state = NO_ATTEST_IN_PROGRESS).  size 0: RSI_INCOMPLETE.
 */
void handle_rsi_attest_token_continue(struct rec *rec, struct rmi_rec_exit *exit,
				      unsigned long addr, unsigned long offset, unsigned long size,
				      struct rsi_result *res)
{
	struct rec_attest *a = &rec->attest;
	struct granule *g;
	enum realm_mem st;
	void *va = NULL;
	int level = 0;
	uint64_t n;

	res->x[1] = 0UL;
	if (!GRANULE_ALIGNED(addr) || !s2tt_ipa_is_protected(&rec->s2, addr) ||
	    offset >= GRANULE_SIZE || offset + size < offset || offset + size > GRANULE_SIZE) {
		res->x[0] = RSI_ERROR_INPUT;
		return;
	}
	if (a->state != REC_ATTEST_IN_PROGRESS) {
		res->x[0] = RSI_ERROR_STATE;
		return;
	}
	if (a->failed == 0U && a->is_signed == 0U && plat_irq_pending()) {
		/* Let the host take its interrupt first (A7.2.2). */
		exit->exit_reason = RMI_EXIT_IRQ;
		res->exit = true;
		res->x[0] = RSI_INCOMPLETE;
		return;
	}
	if (a->failed != 0U || (a->is_signed == 0U && sign_token(rec) != 0)) {
		memset(a, 0, sizeof(*a));
		res->x[0] = RSI_ERROR_UNKNOWN;
		return;
	}
	g = lock_rd_of(rec);
	st = realm_mem_lookup(&rec->s2, addr, GRANULE_SIZE, &va, &level);
	if (st == REALM_MEM_EMPTY || st == REALM_MEM_CSM) {
		res->x[0] = RSI_ERROR_INPUT;
	} else if (st == REALM_MEM_UNMAPPED) {
		realm_mem_abort_exit(exit, addr, level);
		res->exit = true;
		res->pending = true;
		res->retry = true;
	} else {
		n = a->len - a->copied;
		n = (size < n) ? size : n;
		aux_copy(rec, a->copied, (uint8_t *)va + offset, n, false);
		a->copied += n;
		res->x[1] = n;
		if (a->copied == a->len) {
			memset(a, 0, sizeof(*a));
			res->x[0] = RSI_SUCCESS;
		} else {
			res->x[0] = RSI_INCOMPLETE;
		}
	}
	granule_unlock(g);
}
