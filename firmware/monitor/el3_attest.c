/*
 * The platform's attestation keys and token, served to the RMM through the
 * RMM-EL3 interface's v1.0 calls (TF-A docs/components/rmm-el3-comms-spec,
 * before platform tokens came in pieces):
 *
 *   RMM_GET_REALM_ATTEST_KEY(buf_pa, buf_size, ecc_curve 0 = P-384)
 *       -> the realm attestation key's private scalar (48 bytes, big
 *          endian) at buf_pa; x1 = 48.
 *   RMM_GET_PLAT_TOKEN(buf_pa, buf_size, c_size)
 *       -> the challenge is buf[0..c_size) (32, 48 or 64 bytes: the RMM
 *          puts the hash of its RAK claim there); the platform token,
 *          COSE_Sign1 signed with the CPAK, replaces it; x1 = its size.
 *
 * Unlike TF-A, which hands the RMM one shared page at boot, buf_pa may be
 * any range of the RMM's own memory (Realm PAS, PLAT_RMM_BASE..+6 MB):
 * E_RMM_BAD_ADDR when it starts outside, E_RMM_INVAL when it ends outside.
 *
 * Both keys are ECDSA P-384, made at every cold boot from RNDR and never
 * stored: a verifier trusts the platform key (CPAK) it sees printed on the
 * console at boot, as PEM, for that boot only.  The platform token's
 * claims are encoded by core/token (encode.c), the same code caec-simd and
 * the RMM use.  Every use of mbedTLS is inside the crypto guard.
 */
#include <arch_helpers.h>
#include <caec_sip.h>
#include <console.h>
#include <fw_crypto.h>
#include <fw_utils.h>
#include <plat_memory.h>
#include <rmm-el3-ifc.h>
#include <sha256.h>
#include <string.h>
#include <token/token.h>

#include <mbedtls/ecp.h>

#include "el3_attest.h"
#include "spki.h"

#define RMM_IMAGE_MAGIC		0x314D4D52U	/* "RMM1" (rmm/plat/qemu/aarch64/entry.S) */
#define PLAT_TOKEN_MAX		2048U
#define ECC_CURVE_P384		0UL
#define FW_VERSION		"0.1.0"

/* Platform claims of this machine (docs/attestation.md, "Firmware"). */
#define IMPL_LABEL		"caec QEMU virt CCA platform"
#define PLAT_CONFIG		"caec-qemu-virt"
#define PLAT_VERIFICATION	"urn:caec:qemu-virt-platform"
/* PSA lifecycle "unknown": nothing on this machine keeps a lifecycle state. */
#define PLAT_LIFECYCLE		0x0000U

extern char __text_start[], __image_end[];
extern char monitor_crypto_heap[], monitor_crypto_heap_end[];

static struct {
	bool ready;
	mbedtls_ecp_keypair cpak;		/* platform key: signs the platform token */
	mbedtls_ecp_keypair rak;		/* realm attestation key: the RMM's */
	uint8_t kid[TOKEN_KID_SIZE];		/* SHA-256 of the CPAK's SPKI DER */
	uint8_t cpak_der[SPKI_P384_DER_SIZE];	/* what CAEC_SIP_PLATFORM_KEY answers */
	uint8_t monitor_hash[SHA256_DIGEST_SIZE];
	uint8_t rmm_hash[SHA256_DIGEST_SIZE];
	uint8_t token[PLAT_TOKEN_MAX];		/* the last platform token made */
} el3;

void fw_crypto_panic(const char *why)
{
	monitor_panic(why);
}

void el3_attest_measure_self(void)
{
	sha256(__text_start, (size_t)(__image_end - __text_start), el3.monitor_hash);
}

/*
 * The RMM image as loaded (text, rodata, data): its header gives where
 * the loaded part ends.  Read through the Realm PAS (monitor/mmu.c).
 */
static bool measure_rmm(void)
{
	const volatile uint32_t *magic = (const volatile uint32_t *)(uintptr_t)(PLAT_RMM_BASE + 4U);
	const volatile uint64_t *end = (const volatile uint64_t *)(uintptr_t)(PLAT_RMM_BASE + 8U);
	uint64_t size = *end - PLAT_RMM_BASE;

	if (*magic != RMM_IMAGE_MAGIC || *end <= PLAT_RMM_BASE || size > PLAT_RMM_SIZE) {
		fw_printf("[el3] RMM image header not found at 0x%lx\n", PLAT_RMM_BASE);
		return false;
	}
	sha256((const void *)(uintptr_t)PLAT_RMM_BASE, size, el3.rmm_hash);
	return true;
}

static void print_hex(const char *what, const uint8_t *p, unsigned int n)
{
	fw_printf("[el3] %s ", what);
	print_hex_bytes(p, n);
	fw_printf("\n");
}

/* The CPAK's kid, and its PEM for verifiers (printed as is, no prefix). */
static int describe_cpak(void)
{
	uint8_t point[SPKI_P384_POINT_SIZE], der[SPKI_P384_DER_SIZE];
	char pem[SPKI_P384_PEM_MAX];
	size_t n;
	int rc = mbedtls_ecp_point_write_binary(&el3.cpak.grp, &el3.cpak.Q,
						MBEDTLS_ECP_PF_UNCOMPRESSED, &n, point,
						sizeof(point));

	if (rc != 0 || n != sizeof(point)) {
		return -1;
	}
	spki_p384_der(point, der);
	sha256(der, sizeof(der), el3.kid);
	memcpy(el3.cpak_der, der, sizeof(der));
	if (spki_p384_pem(point, pem, sizeof(pem)) == 0U) {
		return -1;
	}
	fw_printf("[el3] platform attestation key (CPAK, ECDSA P-384, this boot only), PEM:\n");
	console_puts(pem);
	return 0;
}

static int make_keys(void)
{
	int rc = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP384R1, &el3.cpak, fw_crypto_rng, NULL);

	if (rc == 0) {
		rc = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP384R1, &el3.rak, fw_crypto_rng, NULL);
	}
	if (rc == 0) {
		rc = describe_cpak();
	}
	return rc;
}

/*
 * The platform tokens signed for the RMM, reported at power-off
 * (el3_attest_report): EL3 prints nothing while the Normal world may be
 * printing, since the two do not share a console lock.
 */
static struct {
	unsigned int requests;
	unsigned long len, ms;	/* of the first */
} token_log;

static uint64_t counter(void)
{
	return read_sysreg(cntpct_el0);
}

void el3_attest_init(void)
{
	uint64_t t0, t1, freq = read_sysreg(cntfrq_el0);
	int rc;

	fw_crypto_init(monitor_crypto_heap,
		       (size_t)(monitor_crypto_heap_end - monitor_crypto_heap));
	print_hex("monitor measurement (SHA-256)", el3.monitor_hash, SHA256_DIGEST_SIZE);
	if (!measure_rmm()) {
		monitor_panic("cannot measure the RMM");
	}
	print_hex("RMM measurement (SHA-256)", el3.rmm_hash, SHA256_DIGEST_SIZE);
	if (fw_crypto_rng(NULL, (unsigned char *)&__stack_chk_guard,
			  sizeof(__stack_chk_guard)) != 0) {
		fw_printf("[el3] no RNDR: no attestation keys, the RMM cannot attest realms\n");
		return;
	}
	t0 = counter();
	fw_crypto_begin();
	mbedtls_ecp_keypair_init(&el3.cpak);
	mbedtls_ecp_keypair_init(&el3.rak);
	rc = make_keys();
	fw_crypto_end();
	t1 = counter();
	if (rc != 0) {
		fw_printf("[el3] attestation keys: mbedTLS error -0x%x: the RMM cannot attest "
			  "realms\n", (unsigned int)-rc);
		return;
	}
	print_hex("platform key id (SHA-256 of its SPKI DER)", el3.kid, TOKEN_KID_SIZE);
	fw_printf("[el3] CPAK and RAK made in %lu ms (heap peak %lu bytes)\n",
		  (t1 - t0) * 1000UL / freq, (unsigned long)fw_crypto_heap_peak());
	el3.ready = true;
}

/* [pa, pa + size) in the RMM's memory: 0, or the E_RMM_* to answer. */
static long check_buf(uint64_t pa, uint64_t size)
{
	if (pa < PLAT_RMM_BASE || pa >= PLAT_RMM_BASE + PLAT_RMM_SIZE) {
		return E_RMM_BAD_ADDR;
	}
	if (size > PLAT_RMM_BASE + PLAT_RMM_SIZE - pa) {
		return E_RMM_INVAL;
	}
	return E_RMM_OK;
}

void el3_attest_get_realm_key(struct cpu_ctx *ctx)
{
	uint64_t pa = ctx->x[1], size = ctx->x[2], curve = ctx->x[3];
	long st = check_buf(pa, size);
	int rc;

	ctx->x[1] = 0UL;
	if (st == E_RMM_OK && curve != ECC_CURVE_P384) {
		st = E_RMM_INVAL;
	} else if (st == E_RMM_OK && !el3.ready) {
		st = E_RMM_UNK;
	} else if (st == E_RMM_OK && size < TOKEN_P384_COORD) {
		st = E_RMM_NOMEM;
	}
	if (st == E_RMM_OK) {
		fw_crypto_begin();
		rc = mbedtls_mpi_write_binary(&el3.rak.d, (unsigned char *)(uintptr_t)pa,
					      TOKEN_P384_COORD);
		fw_crypto_end();
		st = (rc == 0) ? E_RMM_OK : E_RMM_UNK;
		ctx->x[1] = (st == E_RMM_OK) ? TOKEN_P384_COORD : 0UL;
	}
	ctx->x[0] = (uint64_t)st;
}

/* The claims of this platform around the RMM's challenge. */
static int sign_platform_token(const uint8_t *challenge, size_t c_size, size_t *len)
{
	static const char *const types[2] = { "caec-monitor", "caec-rmm" };
	const uint8_t *hashes[2] = { el3.monitor_hash, el3.rmm_hash };
	struct token_sw_component sw[2];
	struct token_platform_claims pc;
	struct token_sign1_layout l;
	size_t n;
	unsigned int i;
	int rc;

	memset(&pc, 0, sizeof(pc));
	for (i = 0U; i < 2U; i++) {
		sw[i].type = types[i];
		sw[i].measurement = hashes[i];
		sw[i].measurement_len = SHA256_DIGEST_SIZE;
		sw[i].version = FW_VERSION;
		/* No separate signing authority: the platform key vouches. */
		sw[i].signer_id = el3.kid;
		sw[i].signer_id_len = TOKEN_KID_SIZE;
		sw[i].hash_algo = "sha-256";
	}
	pc.challenge = challenge;
	pc.challenge_len = c_size;
	sha256(IMPL_LABEL, sizeof(IMPL_LABEL) - 1U, pc.implementation_id);
	pc.instance_id[0] = 0x01;	/* EAT UEID type RAND */
	memcpy(pc.instance_id + 1, el3.kid, TOKEN_KID_SIZE);
	pc.config = (const uint8_t *)PLAT_CONFIG;
	pc.config_len = sizeof(PLAT_CONFIG) - 1U;
	pc.lifecycle = PLAT_LIFECYCLE;
	pc.n_sw_components = 2U;
	pc.sw_components = sw;
	pc.verification_service = PLAT_VERIFICATION;
	pc.hash_algo = "sha-256";

	rc = token_encode_platform_claims(&pc, el3.token, sizeof(el3.token), &n);
	if (rc == 0) {
		rc = token_sign1_frame(el3.token, sizeof(el3.token), n, el3.kid, &l);
	}
	if (rc == 0) {
		rc = token_sign1_sign(el3.token, &l, &el3.cpak, fw_crypto_rng, NULL);
	}
	*len = l.len;
	return rc;
}

void el3_attest_get_plat_token(struct cpu_ctx *ctx)
{
	uint64_t pa = ctx->x[1], size = ctx->x[2], c_size = ctx->x[3];
	uint8_t challenge[64];
	uint64_t t0 = counter();
	long st = check_buf(pa, size);
	size_t len = 0U;
	int rc;

	ctx->x[1] = 0UL;
	if (st == E_RMM_OK && ((c_size != 32U && c_size != 48U && c_size != 64U) ||
			       c_size > size)) {
		st = E_RMM_INVAL;
	} else if (st == E_RMM_OK && !el3.ready) {
		st = E_RMM_UNK;
	}
	if (st != E_RMM_OK) {
		ctx->x[0] = (uint64_t)st;
		return;
	}
	memcpy(challenge, (const void *)(uintptr_t)pa, c_size);
	fw_crypto_begin();	/* also serialises the record below */
	rc = sign_platform_token(challenge, c_size, &len);
	if (token_log.requests++ == 0U) {
		token_log.len = (unsigned long)len;
		token_log.ms = (counter() - t0) * 1000UL / read_sysreg(cntfrq_el0);
	}
	fw_crypto_end();
	if (rc != 0) {
		st = E_RMM_UNK;
	} else if (len > size) {
		st = E_RMM_NOMEM;
	} else {
		memcpy((void *)(uintptr_t)pa, el3.token, len);
		ctx->x[1] = len;
	}
	ctx->x[0] = (uint64_t)st;
}

void el3_attest_report(void)
{
	if (token_log.requests == 0U) {
		return;
	}
	fw_printf("[el3] platform token for the RMM: %lu bytes, signed in %lu ms\n", token_log.len,
		  token_log.ms);
	if (token_log.requests > 1U) {
		fw_printf("[el3] platform token for the RMM: signed %u times\n", token_log.requests);
	}
}

void el3_attest_platform_key(struct cpu_ctx *ctx)
{
	unsigned int i, b;

	if (!el3.ready) {
		ctx->x[0] = SMC_UNKNOWN;
		return;
	}
	for (i = 0U; i < CAEC_SIP_PLATFORM_KEY_WORDS; i++) {
		uint64_t w = 0UL;

		for (b = 0U; b < 8U; b++) {
			w |= (uint64_t)el3.cpak_der[i * 8U + b] << (8U * b);
		}
		ctx->x[1U + i] = w;
	}
	ctx->x[0] = 0UL;
}
