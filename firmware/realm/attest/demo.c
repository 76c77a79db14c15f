/*
 * Three realms that check each other before they share (host scenario
 * "attest"): realm0 provides a region, realm1 (the same image) and realm2
 * (another image, ATTEST_VARIANT "B") would consume it.  realm0 and
 * realm1 are one image started the same way, so they have one RIM; each
 * asks the host for its role.  Every check of a
 * peer is libcaec's caec_token_verify() on a token the peer's RMM signed,
 * for a challenge the checker chose:
 *
 *   realm0  checks realm1 (its RIM must be realm0's own: the same image)
 *           -> grants it the region, with local attestation: the grant's
 *           policy names realm0's RIM, which the RMM compares at ATTACH;
 *           checks realm2 -> refused (another RIM), grants it anyway with
 *           the same policy, to show that the RMM refuses its ATTACH;
 *           then answers both realms' challenges with its own tokens,
 *           which now list the two grants (CSM relations claim).
 *   realm1  checks realm0's token (realm0's RIM = its own, realm ID,
 *           the grant to realm1 in the relations) -> ATTACH, reads.
 *   realm2  checks realm0's token (any RIM, realm ID, the grant to it)
 *           -> ATTACH: RSI_ERROR_DENIED from the RMM (local attestation).
 *
 * Trust anchor: the platform key comes from the host (EL3 gave it to the
 * host), and is used only if its SHA-256 is the key id of the platform
 * token in a token this realm got from its own RMM.
 */
#include <stdio.h>
#include <string.h>

#include <caec/abi/csm.h>
#include <rt/mmu.h>
#include <rt/early.h>
#include <rt/rsi.h>
#include <rt/rt.h>

#include "demo.h"

#ifndef ATTEST_VARIANT
#define ATTEST_VARIANT "A"
#endif

#define WINDOW		(1UL << 36)	/* the CSM window, outside the image */
#define REGION_PAGES	4UL
#define REGION_SIZE	(REGION_PAGES * 4096UL)
#define MESSAGE		"measured, attested, shared: hello from realm0"

static uint8_t own_tok[TOKEN_CAP], peer_tok[TOKEN_CAP];
static size_t own_len, peer_len;
static uint8_t der[256];
static size_t der_len;
static uint8_t rim[32];
static uint64_t self_id, ids[NR_REALMS];
static struct caec_token_claims claims;
/* CSM_GRANT's policy granule: the whole page, its reserved bytes zero. */
static union {
	struct caec_csm_policy_abi p;
	uint8_t page[CAEC_CSM_POLICY_SIZE];
} policy_granule __attribute__((aligned(4096)));
#define policy (policy_granule.p)
static unsigned int role, failures;

static void expect(bool ok, const char *what)
{
	printf("[realm%u] %s: %s\n", role, what, ok ? "ok" : "FAIL");
	failures += ok ? 0U : 1U;
}

/* One RSI call of the CSM extension, re-issued while the host must act. */
static uint64_t csm(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		    uint64_t out[8])
{
	uint64_t st;

	do {
		st = rt_smc4(fid, a1, a2, a3, a4, out);
	} while (st == CAEC_RSI_ERROR_BUSY);
	return st;
}

/* Stage 1 for the CSM window (VA = IPA), which the runtime did not map. */
static void map_window(void)
{
	if (rt_pt_map(&rt_kernel_pt, WINDOW, WINDOW, REGION_SIZE, RT_MAP_KERNEL_RW) != 0) {
		expect(false, "stage-1 map of the CSM window");
	}
	__asm__ volatile("dsb ishst\n\tisb" : : : "memory");
}

/* A nonce for realm t, posted for it. */
static void challenge_for(unsigned int t, uint8_t c[CAEC_CHALLENGE_SIZE])
{
	random_bytes(c, CAEC_CHALLENGE_SIZE);
	blob_put(BLOB_CHALLENGE(role, t), c, CAEC_CHALLENGE_SIZE);
}

/* Our token for realm v's challenge, posted for it. */
static void answer(unsigned int v, bool print)
{
	uint8_t c[CAEC_CHALLENGE_SIZE];

	uint64_t ms = 0U;

	if (blob_wait(BLOB_CHALLENGE(v, role), c, sizeof(c)) != sizeof(c) ||
	    token_get(c, own_tok, &own_len, &ms) != 0) {
		expect(false, "a token for a peer's challenge");
		return;
	}
	printf("[realm%u] token for realm%u: %lu bytes; the first RSI_ATTESTATION_TOKEN_CONTINUE "
	       "(the RMM's signature) took %lu ms\n", role, v, (unsigned long)own_len,
	       (unsigned long)ms);
	if (print) {
		print_hex("[realm0] printed token: challenge ", c, sizeof(c));
		token_print(own_tok, own_len);
	}
	blob_put(BLOB_TOKEN(role, v), own_tok, own_len);
}

/* The platform key from the host, checked against our own token. */
static void get_anchor(void)
{
	der_len = blob_wait(BLOB_PLATFORM_KEY, der, sizeof(der));
	expect(trust_anchor(own_tok, own_len, der, der_len) == 0,
	       "the platform key from the host is the one in this realm's own token (key id)");
}

static int check_peer(unsigned int t, const uint8_t c[CAEC_CHALLENGE_SIZE], const uint8_t *want,
		      uint64_t grant)
{
	uint64_t t0;
	int rc;

	peer_len = blob_wait(BLOB_TOKEN(t, role), peer_tok, sizeof(peer_tok));
	t0 = now();
	rc = verify_peer(peer_tok, peer_len, c, ids[t], want, grant, self_id, &claims);
	printf("[realm%u] caec_token_verify(realm%u's token): %s (%s), %lu ms\n", role, t,
	       caec_errname(rc), caec_strerror(rc), (unsigned long)ms_since(t0));
	return rc;
}

static void provider(void)
{
	uint8_t c1[CAEC_CHALLENGE_SIZE], c2[CAEC_CHALLENGE_SIZE], self[CAEC_CHALLENGE_SIZE];
	uint64_t out[8], region, g1, g2, st, ms = 0U;
	unsigned int t;

	for (t = 1U; t < NR_REALMS; t++) {
		ids[t] = board_wait(KEY_ID(t));
	}
	/* Our own token first: the trust anchor for the platform key. */
	random_bytes(self, sizeof(self));
	expect(token_get(self, own_tok, &own_len, &ms) == 0, "this realm's own token");
	printf("[realm0] own token: %lu bytes; the first RSI_ATTESTATION_TOKEN_CONTINUE took "
	       "%lu ms (the RMM's first token: its key and the platform token from EL3 came at "
	       "INIT)\n", (unsigned long)own_len, (unsigned long)ms);
	get_anchor();

	map_window();
	st = csm(CAEC_RSI_CSM_SHARE, WINDOW, REGION_SIZE, 0U, 0U, out);
	region = out[0];
	expect(st == RSI_SUCCESS, "CSM_SHARE of 16 KB");
	memcpy((void *)WINDOW, MESSAGE, sizeof(MESSAGE));
	printf("[realm0] region 0x%016lx shared, realm ID 0x%016lx\n", (unsigned long)region,
	       (unsigned long)self_id);

	/* Local attestation: the consumer must run our image. */
	policy.magic = CAEC_CSM_POLICY_MAGIC;
	policy.version = CAEC_CSM_POLICY_VERSION;
	policy.hash_algo = CAEC_CSM_HASH_SHA256;
	policy.rim_len = 32U;
	memcpy(policy.rim, rim, sizeof(rim));

	challenge_for(1U, c1);
	challenge_for(2U, c2);
	expect(check_peer(1U, c1, rim, 0U) == CAEC_OK,
	       "realm1 runs this image (RIM), on this platform, fresh, with the ID it posted");
	st = csm(CAEC_RSI_CSM_GRANT, region, ids[1], CAEC_PERM_RO,
		 (uint64_t)(uintptr_t)&policy_granule, out);
	g1 = out[0];
	printf("[realm0] CSM_GRANT to realm1 -> status 0x%lx\n", (unsigned long)st);
	expect(st == RSI_SUCCESS, "CSM_GRANT to realm1 (read-only, policy: this image's RIM)");
	board_post(KEY_GRANT(1), g1);

	expect(check_peer(2U, c2, rim, 0U) == CAEC_E_RIM,
	       "realm2 runs another image: refused (CAEC_E_RIM)");
	printf("[realm0] granting to realm2 anyway, with the same policy: the RMM must refuse "
	       "its ATTACH\n");
	st = csm(CAEC_RSI_CSM_GRANT, region, ids[2], CAEC_PERM_RO,
		 (uint64_t)(uintptr_t)&policy_granule, out);
	g2 = out[0];
	printf("[realm0] CSM_GRANT to realm2 -> status 0x%lx\n", (unsigned long)st);
	expect(st == RSI_SUCCESS, "CSM_GRANT to realm2 (policy: this image's RIM)");
	board_post(KEY_GRANT(2), g2);
	printf("[realm0] grants: 0x%016lx to realm1 0x%016lx, 0x%016lx to realm2 0x%016lx\n",
	       (unsigned long)g1, (unsigned long)ids[1], (unsigned long)g2, (unsigned long)ids[2]);

	answer(1U, true);	/* this one goes to the console for outside verifiers */
	answer(2U, false);
	board_wait(KEY_DONE(1));
	board_wait(KEY_DONE(2));
	st = csm(CAEC_RSI_CSM_UNSHARE, region, 0U, 0U, 0U, out);
	expect(st == RSI_SUCCESS, "CSM_UNSHARE");
}

static void consumer(void)
{
	uint8_t c[CAEC_CHALLENGE_SIZE];
	uint64_t out[8], grant, st;
	const char *want = MESSAGE;

	ids[0] = board_wait(KEY_ID(0));
	challenge_for(0U, c);
	answer(0U, false);		/* realm0 checks us first */
	get_anchor();
	grant = board_wait(KEY_GRANT(role));
	if (role == ROLE_CONSUMER) {
		/* Same image: realm0's RIM must be ours. */
		expect(check_peer(0U, c, rim, grant) == CAEC_OK,
		       "realm0 runs this image, is realm ID it posted, and its token lists grant "
		       "to this realm");
	} else {
		/* Another image: we do not know realm0's RIM; its ID and grant suffice here. */
		expect(check_peer(0U, c, NULL, grant) == CAEC_OK,
		       "realm0 is the realm ID it posted, and its token lists the grant to this "
		       "realm");
	}
	map_window();
	st = csm(CAEC_RSI_CSM_RESERVE, grant, WINDOW, REGION_SIZE, 0U, out);
	expect(st == RSI_SUCCESS, "CSM_RESERVE of 16 KB");
	st = csm(CAEC_RSI_CSM_ATTACH, grant, 0U, 0U, 0U, out);
	if (role == ROLE_CONSUMER) {
		expect(st == RSI_SUCCESS, "CSM_ATTACH");
		expect(st == RSI_SUCCESS && memcmp((const void *)WINDOW, want, sizeof(MESSAGE)) == 0,
		       "the region holds realm0's message");
		if (st == RSI_SUCCESS) {
			printf("[realm1] read from the region: \"%s\"\n", (const char *)WINDOW);
			(void)csm(CAEC_RSI_CSM_DETACH, grant, 0U, 0U, 0U, out);
		}
	} else {
		printf("[realm2] CSM_ATTACH -> status 0x%lx\n", (unsigned long)st);
		expect(st == CAEC_RSI_ERROR_DENIED,
		       "CSM_ATTACH refused by the RMM: this realm's RIM is not the grant's policy");
	}
	board_post(KEY_DONE(role), 1U);
}

int main(void)
{
	uint64_t out[8];
	uint8_t rem_value[32], rem[64];

	role = board_who_am_i();
	if (role >= NR_REALMS) {
		printf("[realm?] the host gave role %u\n", role);
		return 1;
	}
	printf("[realm%u] attestation demo, image %s\n", role, ATTEST_VARIANT);
	if (rt_smc4(CAEC_RSI_CSM_REALM_ID, 0U, 0U, 0U, 0U, out) != RSI_SUCCESS ||
	    rsi_measurement_read(0U, rem) != RSI_SUCCESS) {
		printf("[realm%u] no realm ID or RIM\n", role);
		return 1;
	}
	self_id = out[0];
	memcpy(rim, rem, sizeof(rim));
	printf("[realm%u] realm ID 0x%016lx\n", role, (unsigned long)self_id);
	print_hex(role == 0U ? "[realm0] RIM " : (role == 1U ? "[realm1] RIM " : "[realm2] RIM "),
		  rim, sizeof(rim));
	/* A REM: what this realm configured at run time, extended into REM 1. */
	memset(rem_value, 0, sizeof(rem_value));
	snprintf((char *)rem_value, sizeof(rem_value), "caec demo role %u", role);
	{
		uint64_t r[RT_SMC_REGS] = { SMC_RSI_MEASUREMENT_EXTEND, 1U, sizeof(rem_value) };

		memcpy(&r[3], rem_value, sizeof(rem_value));
		rt_smc(r);
		expect(r[0] == RSI_SUCCESS, "RSI_MEASUREMENT_EXTEND of REM 1");
	}
	expect(rsi_measurement_read(1U, rem) == RSI_SUCCESS, "RSI_MEASUREMENT_READ of REM 1");
	print_hex(role == 0U ? "[realm0] REM1 " : (role == 1U ? "[realm1] REM1 " : "[realm2] REM1 "),
		  rem, 32U);
	board_post(KEY_ID(role), self_id);
	if (role == ROLE_PROVIDER) {
		provider();
	} else {
		consumer();
	}
	printf("[realm%u] %s (%u failures)\n", role, failures == 0U ? "PASS" : "FAIL", failures);
	return failures == 0U ? 0 : 1;
}
