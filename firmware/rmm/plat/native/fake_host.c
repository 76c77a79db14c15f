/*
 * Native (x86) implementation of the RMM platform interface, used by the
 * cmocka unit tests.  Single-threaded by construction.
 */
#include <attest.h>
#include <fake_host.h>
#include <granule.h>
#include <lockdep.h>
#include <rmm_csm.h>
#include <plat_memory.h>
#include <realm.h>
#include <smc.h>
#include <spki.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ecp.h>
#include <mbedtls/sha256.h>

#define NR_FAKE_GRANULES (PLAT_NS_DRAM_SIZE >> GRANULE_SHIFT)

static _Alignas(4096) uint8_t fake_dram[PLAT_NS_DRAM_SIZE];
static uint8_t fake_gpt[NR_FAKE_GRANULES];
static bool gtsi_fail;
static unsigned long tlbi_count;
static unsigned long tlbi_vmid_count;
static unsigned long tlbi_pages;
#define FAKE_TLBI_LOG	4096UL
static struct {
	unsigned int vmid;
	uint64_t ipa;
} tlbi_log[FAKE_TLBI_LOG];
/* Deterministic "hardware" randomness: a splitmix64 stream (seedable). */
#define FAKE_ENTROPY_SEED	0x6361656373656564UL	/* "caecseed" */
static uint64_t entropy_state = FAKE_ENTROPY_SEED;
static bool entropy_fail;
static fake_realm_fn realm_fn;
static void *realm_arg;

void plat_delegable_range(uint64_t *base, uint64_t *size)
{
	*base = PLAT_NS_DRAM_BASE;
	*size = PLAT_NS_DRAM_SIZE;
}

unsigned int plat_my_cpu(void)
{
	return 0U;	/* the native tests run the RMM on one thread */
}

static char call_log[256];

void fake_host_reset(void)
{
	memset(fake_dram, 0, sizeof(fake_dram));
	memset(fake_gpt, FAKE_GPI_NS, sizeof(fake_gpt));
	gtsi_fail = false;
	tlbi_count = 0UL;
	tlbi_vmid_count = 0UL;
	tlbi_pages = 0UL;
	realm_fn = NULL;
	realm_arg = NULL;
	call_log[0] = '\0';
	granule_table_init();
	vmid_reset();
	lockdep_reset();
	entropy_state = FAKE_ENTROPY_SEED;
	entropy_fail = false;
	rmm_csm_boot();
	fake_el3_fail(false);
	fake_irq_pending(0U);
	attest_reset();
}

void *fake_pa_ptr(uint64_t pa)
{
	if (pa < PLAT_NS_DRAM_BASE || pa - PLAT_NS_DRAM_BASE >= PLAT_NS_DRAM_SIZE) {
		abort();	/* the RMM computed a wild address */
	}
	return &fake_dram[pa - PLAT_NS_DRAM_BASE];
}

/* The RMM may only touch Realm-PAS granules through this mapping. */
void *plat_granule_va(uint64_t pa)
{
	if (fake_gpt[(pa - PLAT_NS_DRAM_BASE) >> GRANULE_SHIFT] != FAKE_GPI_REALM) {
		abort();	/* would be a GPF on hardware */
	}
	return fake_pa_ptr(pa);
}

void *plat_ns_va(uint64_t pa)
{
	if (fake_gpt[(pa - PLAT_NS_DRAM_BASE) >> GRANULE_SHIFT] != FAKE_GPI_NS) {
		abort();	/* would be a GPF on hardware */
	}
	return fake_pa_ptr(pa);
}

enum fake_gpi fake_gpt_get(uint64_t pa)
{
	return (enum fake_gpi)fake_gpt[(pa - PLAT_NS_DRAM_BASE) >> GRANULE_SHIFT];
}

void fake_gtsi_fail_next(void)
{
	gtsi_fail = true;
}

static int gtsi_change(uint64_t pa, uint8_t from, uint8_t to)
{
	uint8_t *gpi;

	if (gtsi_fail) {
		gtsi_fail = false;
		return -1;
	}
	if (pa < PLAT_NS_DRAM_BASE || pa - PLAT_NS_DRAM_BASE >= PLAT_NS_DRAM_SIZE ||
	    (pa & GRANULE_MASK) != 0UL) {
		return -1;
	}
	gpi = &fake_gpt[(pa - PLAT_NS_DRAM_BASE) >> GRANULE_SHIFT];
	if (*gpi != from) {
		return -1;
	}
	*gpi = to;
	return 0;
}

int plat_gtsi_delegate(uint64_t pa)
{
	return gtsi_change(pa, FAKE_GPI_NS, FAKE_GPI_REALM);
}

int plat_gtsi_undelegate(uint64_t pa)
{
	return gtsi_change(pa, FAKE_GPI_REALM, FAKE_GPI_NS);
}

void plat_s2_tlbi_ipa(unsigned int vmid, uint64_t ipa, unsigned long size)
{
	(void)vmid;
	(void)ipa;
	(void)size;
	tlbi_count++;
}

void plat_s2_tlbi_vmid(unsigned int vmid)
{
	(void)vmid;
	tlbi_count++;
	tlbi_vmid_count++;
}

void plat_s2_tlbi_pages(unsigned int vmid, uint64_t ipa, unsigned long size)
{
	uint64_t a;

	tlbi_count++;
	for (a = ipa; a < ipa + size; a += GRANULE_SIZE) {
		tlbi_log[tlbi_pages % FAKE_TLBI_LOG].vmid = vmid;
		tlbi_log[tlbi_pages % FAKE_TLBI_LOG].ipa = a;
		tlbi_pages++;
	}
}

unsigned long fake_tlbi_pages(void)
{
	return tlbi_pages;
}

unsigned long fake_tlbi_vmid_count(void)
{
	return tlbi_vmid_count;
}

bool fake_tlbi_page_logged(unsigned int vmid, uint64_t ipa, unsigned long since)
{
	unsigned long i;

	for (i = since; i < tlbi_pages; i++) {
		if (i + FAKE_TLBI_LOG >= tlbi_pages && tlbi_log[i % FAKE_TLBI_LOG].vmid == vmid &&
		    tlbi_log[i % FAKE_TLBI_LOG].ipa == ipa) {
			return true;
		}
	}
	return false;
}


int plat_entropy(void *buf, size_t len)
{
	uint8_t *b = buf;
	size_t i;

	if (entropy_fail) {
		return -1;
	}
	for (i = 0U; i < len; i++) {
		uint64_t z = (entropy_state += 0x9E3779B97F4A7C15UL);

		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
		z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
		b[i] = (uint8_t)(z ^ (z >> 31));
	}
	return 0;
}

void fake_entropy_seed(uint64_t seed, bool fail)
{
	entropy_state = seed;
	entropy_fail = fail;
}

unsigned long fake_tlbi_count(void)
{
	return tlbi_count;
}

void fake_set_realm(fake_realm_fn fn, void *arg)
{
	realm_fn = fn;
	realm_arg = arg;
}

#define FAKE_ESR_SMC64 (0x17UL << 26 | BIT(25))

void plat_rec_run(struct rec *rec, struct realm_exception *exc)
{
	memset(exc, 0, sizeof(*exc));
	if (realm_fn != NULL) {
		realm_fn(rec, exc, realm_arg);
		return;
	}
	/* Default realm: powers itself off immediately (trapped SMC). */
	rec->regs[0] = PSCI_SYSTEM_OFF;
	exc->kind = REALM_EXC_SYNC;
	exc->esr = FAKE_ESR_SMC64;
}

/* Keep the last logged call as text ("RMI NAME a1 a2 > r0 r1") for tests. */
void plat_log_call(const char *iface, const char *name, const unsigned long *args,
		   unsigned int nargs, const unsigned long *res, unsigned int nres)
{
	size_t n = 0U;
	unsigned int i;

	n += (size_t)snprintf(call_log + n, sizeof(call_log) - n, "%s %s", iface, name);
	for (i = 0U; i < nargs && n < sizeof(call_log); i++) {
		n += (size_t)snprintf(call_log + n, sizeof(call_log) - n, " %lx", args[i]);
	}
	if (n < sizeof(call_log)) {
		n += (size_t)snprintf(call_log + n, sizeof(call_log) - n, " >");
	}
	for (i = 0U; i < nres && n < sizeof(call_log); i++) {
		n += (size_t)snprintf(call_log + n, sizeof(call_log) - n, " %lx", res[i]);
	}
}

const char *fake_last_call_log(void)
{
	return call_log;
}

/* The fake GIC has four list registers, like QEMU's GICv3. */
unsigned int plat_gic_num_lrs(void)
{
	return 4U;
}

/* ---- the fake EL3's attestation services ------------------------------ */

static struct {
	bool made, fail;
	mbedtls_ecp_keypair cpak, rak;
	uint8_t kid[32];
	unsigned long calls;
} el3;
static unsigned int irq_pending_checks;
static bool in_crypto;

/* Deterministic randomness for the fake EL3's keys and signatures. */
static int el3_rng(void *ctx, unsigned char *out, size_t len)
{
	static uint64_t s = 0x656c33666b657973UL;	/* "el3fkeys" */
	size_t i;

	(void)ctx;
	for (i = 0U; i < len; i++) {
		uint64_t z = (s += 0x9E3779B97F4A7C15UL);

		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
		z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
		out[i] = (uint8_t)(z ^ (z >> 31));
	}
	return 0;
}

static void el3_make_keys(void)
{
	uint8_t point[SPKI_P384_POINT_SIZE], der[SPKI_P384_DER_SIZE];
	size_t n;

	if (el3.made) {
		return;
	}
	mbedtls_ecp_keypair_init(&el3.cpak);
	mbedtls_ecp_keypair_init(&el3.rak);
	if (mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP384R1, &el3.cpak, el3_rng, NULL) != 0 ||
	    mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP384R1, &el3.rak, el3_rng, NULL) != 0 ||
	    mbedtls_ecp_point_write_binary(&el3.cpak.grp, &el3.cpak.Q,
					   MBEDTLS_ECP_PF_UNCOMPRESSED, &n, point,
					   sizeof(point)) != 0) {
		abort();
	}
	spki_p384_der(point, der);
	if (mbedtls_sha256_ret(der, sizeof(der), el3.kid, 0) != 0) {
		abort();
	}
	el3.made = true;
}

void fake_el3_fail(bool fail)
{
	el3.fail = fail;
}

unsigned long fake_el3_calls(void)
{
	return el3.calls;
}

size_t fake_el3_platform_key(uint8_t *der, size_t cap)
{
	uint8_t point[SPKI_P384_POINT_SIZE];
	size_t n;

	el3_make_keys();
	if (cap < SPKI_P384_DER_SIZE ||
	    mbedtls_ecp_point_write_binary(&el3.cpak.grp, &el3.cpak.Q,
					   MBEDTLS_ECP_PF_UNCOMPRESSED, &n, point,
					   sizeof(point)) != 0) {
		return 0U;
	}
	spki_p384_der(point, der);
	return SPKI_P384_DER_SIZE;
}

int plat_el3_realm_attest_key(uint8_t key[48])
{
	if (!in_crypto) {
		abort();	/* EL3 calls happen inside the crypto guard */
	}
	el3.calls++;
	if (el3.fail) {
		return -1;
	}
	el3_make_keys();
	return mbedtls_mpi_write_binary(&el3.rak.d, key, 48U) == 0 ? 0 : -1;
}

int plat_el3_platform_token(const uint8_t *challenge, size_t challenge_len, uint8_t *token,
			    size_t cap, size_t *len)
{
	static const uint8_t meas[32] = { 0xfa, 0xce };
	const struct token_sw_component sw = {
		.type = "fake-el3", .measurement = meas, .measurement_len = sizeof(meas),
		.signer_id = el3.kid, .signer_id_len = sizeof(el3.kid), .hash_algo = "sha-256",
	};
	struct token_platform_claims pc;
	struct token_sign1_layout l;
	size_t n;

	if (!in_crypto) {
		abort();
	}
	el3.calls++;
	if (el3.fail) {
		return -1;
	}
	el3_make_keys();
	memset(&pc, 0, sizeof(pc));
	pc.challenge = challenge;
	pc.challenge_len = challenge_len;
	memset(pc.implementation_id, 0x1d, sizeof(pc.implementation_id));
	pc.instance_id[0] = 0x01;
	memcpy(pc.instance_id + 1, el3.kid, sizeof(el3.kid));
	pc.lifecycle = 0x0000U;
	pc.n_sw_components = 1U;
	pc.sw_components = &sw;
	pc.hash_algo = "sha-256";
	if (token_encode_platform_claims(&pc, token, cap, &n) != 0 ||
	    token_sign1_frame(token, cap, n, el3.kid, &l) != 0 ||
	    token_sign1_sign(token, &l, &el3.cpak, el3_rng, NULL) != 0) {
		return -1;
	}
	*len = l.len;
	return 0;
}

void plat_crypto_begin(void)
{
	if (in_crypto) {
		abort();	/* the guard does not nest */
	}
	in_crypto = true;
}

void plat_crypto_end(void)
{
	if (!in_crypto) {
		abort();
	}
	in_crypto = false;
}

bool fake_in_crypto(void)
{
	return in_crypto;
}

void fake_irq_pending(unsigned int n)
{
	irq_pending_checks = n;
}

bool plat_irq_pending(void)
{
	if (irq_pending_checks == 0U) {
		return false;
	}
	irq_pending_checks--;
	return true;
}

/* Every ID field "implemented": the tests see exactly what the RMM hides. */
uint64_t plat_id_reg(unsigned int crm, unsigned int op2)
{
	(void)crm;
	(void)op2;
	return ~0UL;
}
