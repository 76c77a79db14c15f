/*
 * AES-256-GCM with Debian's arm64 OpenSSL (libssl-dev:arm64, its static
 * libcrypto.a), doing per message the cipher work EVP_aes_256_gcm does in
 * OpenSSL 3.0 on a CPU with AES and PMULL: OpenSSL's GCM mode
 * (CRYPTO_gcm128_*) over its ARMv8 Crypto Extensions assembly (AES with
 * AESE/AESMC in aes_v8_*, GHASH with PMULL in gcm_*_v8), and for an update
 * of 512 bytes or more the interleaved AES+GHASH kernel
 * (aes_gcm_enc/dec_256_kernel) over the whole 16-byte blocks, as the
 * provider's generic_aes_gcm_cipher_update does (read in the disassembly
 * of Debian's libcrypto.a: libdefault-lib-cipher_aes_gcm_hw.o).
 *
 * Not EVP itself: EVP_aes_256_gcm goes through OpenSSL 3's provider
 * machinery (library contexts, threads, configuration), which a realm
 * without an OS does not have; EVP's own dispatch per call is not counted.
 * The kernel path needs three fields of OpenSSL's private GCM128_CONTEXT
 * (Yi, the length and Xi, whose offsets the provider's code uses);
 * new_ctx() checks that layout against the context OpenSSL built, and
 * gcm_mode_setup()'s self-check compares the kernel path's output with
 * CRYPTO_gcm128's own (gcm_openssl_self_check).
 *
 * OPENSSL_armcap_P is OpenSSL's CPU capability word; on Linux its
 * constructor fills it from the kernel's HWCAP.  Here it is defined and
 * filled from ID_AA64ISAR0_EL1 (the realm's view of it, which the RMM
 * filters), so armcap.o and its signal/auxv probing are not linked.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/aes.h>
#include <openssl/modes.h>
#include <openssl/opensslv.h>

#include "bench.h"

/* OpenSSL's arm_arch.h bits (not an installed header). */
#define ARMV7_NEON	(1U << 0)
#define ARMV8_AES	(1U << 2)
#define ARMV8_PMULL	(1U << 5)

unsigned int OPENSSL_armcap_P;

/* The ARMv8 assembly (aesv8-armx.S, ghashv8-armx.S, aes-gcm-armv8_64.S): no installed header. */
int aes_v8_set_encrypt_key(const unsigned char *user_key, const int bits, AES_KEY *key);
void aes_v8_encrypt(const unsigned char *in, unsigned char *out, const AES_KEY *key);
void aes_v8_ctr32_encrypt_blocks(const unsigned char *in, unsigned char *out, size_t blocks,
				 const void *key, const unsigned char ivec[16]);
void gcm_ghash_v8(uint64_t xi[2], const void *htable, const uint8_t *in, size_t len);
size_t aes_gcm_enc_256_kernel(const uint8_t *in, uint64_t bits, uint8_t *out, uint64_t *xi,
			      uint8_t ivec[16], const void *key);
size_t aes_gcm_dec_256_kernel(const uint8_t *in, uint64_t bits, uint8_t *out, uint64_t *xi,
			      uint8_t ivec[16], const void *key);

/*
 * Offsets in OpenSSL 3.0's struct gcm128_context on aarch64 (the order the
 * assembly relies on: Yi, EKi, EK0, len, Xi, H, Htable[16], gmult, ghash,
 * mres, ares, block, key), as the provider's code uses them.
 */
#define GCM_OFF_YI	0U
#define GCM_OFF_LEN1	56U	/* len.u[1]: message bytes so far */
#define GCM_OFF_XI	64U
#define GCM_OFF_GHASH	360U
#define GCM_OFF_MRES	368U
#define GCM_OFF_BLOCK	376U
#define GCM_OFF_KEY	384U
#define GCM_BULK_MIN	512U	/* the provider's AES_GCM_ENC_BYTES / _DEC_BYTES */

struct ossl_gcm {
	AES_KEY key;
	GCM128_CONTEXT *gcm;
	bool kernel;		/* false: CRYPTO_gcm128 alone (the self-check's reference) */
};

static uint8_t *field(GCM128_CONTEXT *gcm, unsigned int off)
{
	return (uint8_t *)gcm + off;
}

bool gcm_openssl_available(void)
{
	uint64_t isar0;

	__asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	/* ID_AA64ISAR0_EL1.AES: 1 = AESE/AESD/AESMC/AESIMC, 2 = also PMULL. */
	if (((isar0 >> 4) & 0xFUL) < 2UL) {
		return false;
	}
	OPENSSL_armcap_P = ARMV7_NEON | ARMV8_AES | ARMV8_PMULL;
	return true;
}

static void os_version(char *buf, size_t n)
{
	snprintf(buf, n, "%s (EVP's AES-256-GCM path on ARMv8: CRYPTO_gcm128_* with aes_v8_ctr32 "
		 "and gcm_ghash_v8, aes_gcm_enc/dec_256_kernel from 512 B)", OPENSSL_VERSION_TEXT);
}

static void *os_new(const uint8_t key[32])
{
	struct ossl_gcm *g = calloc(1U, sizeof(*g));

	if (g == NULL || aes_v8_set_encrypt_key(key, 256, &g->key) != 0) {
		free(g);
		return NULL;
	}
	g->gcm = CRYPTO_gcm128_new(&g->key, (block128_f)aes_v8_encrypt);
	if (g->gcm == NULL) {
		free(g);
		return NULL;
	}
	/* The private layout, checked against what CRYPTO_gcm128_init wrote. */
	if (*(void **)field(g->gcm, GCM_OFF_GHASH) != (void *)gcm_ghash_v8 ||
	    *(void **)field(g->gcm, GCM_OFF_BLOCK) != (void *)aes_v8_encrypt ||
	    *(void **)field(g->gcm, GCM_OFF_KEY) != (void *)&g->key || g->key.rounds != 14) {
		printf("[bench] OpenSSL's GCM128_CONTEXT is not laid out as expected\n");
		CRYPTO_gcm128_release(g->gcm);
		free(g);
		return NULL;
	}
	g->kernel = true;
	return g;
}

/*
 * The provider's bulk step for an update of n >= 512 bytes: first the
 * bytes that complete a partial block (none here: one update per message),
 * then every whole block through the kernel; returns the bytes done.
 */
static size_t bulk(struct ossl_gcm *g, const uint8_t *in, uint8_t *out, size_t n, bool enc)
{
	uint32_t mres;
	size_t res, whole;
	int rc;

	if (!g->kernel || n < GCM_BULK_MIN) {
		return 0U;
	}
	memcpy(&mres, field(g->gcm, GCM_OFF_MRES), sizeof(mres));
	res = (size_t)((0U - mres) & 15U);
	rc = enc ? CRYPTO_gcm128_encrypt(g->gcm, in, out, res)
		 : CRYPTO_gcm128_decrypt(g->gcm, in, out, res);
	if (rc != 0) {
		return SIZE_MAX;
	}
	whole = (n - res) & ~(size_t)15U;
	if (enc) {
		(void)aes_gcm_enc_256_kernel(in + res, (uint64_t)whole * 8U, out + res,
					     (uint64_t *)(void *)field(g->gcm, GCM_OFF_XI),
					     field(g->gcm, GCM_OFF_YI), &g->key);
	} else {
		(void)aes_gcm_dec_256_kernel(in + res, (uint64_t)whole * 8U, out + res,
					     (uint64_t *)(void *)field(g->gcm, GCM_OFF_XI),
					     field(g->gcm, GCM_OFF_YI), &g->key);
	}
	*(uint64_t *)(void *)field(g->gcm, GCM_OFF_LEN1) += whole;
	return res + whole;
}

static int os_seal(void *ctx, const uint8_t iv[GCM_IV], const uint8_t hdr[GCM_HDR],
		   const uint8_t *in, size_t n, uint8_t *ct, uint8_t tag[GCM_TAG])
{
	struct ossl_gcm *g = ctx;

	size_t done;

	CRYPTO_gcm128_setiv(g->gcm, iv, GCM_IV);
	if (CRYPTO_gcm128_aad(g->gcm, hdr, GCM_HDR) != 0) {
		return -1;
	}
	done = bulk(g, in, ct, n, true);
	if (done == SIZE_MAX ||
	    CRYPTO_gcm128_encrypt_ctr32(g->gcm, in + done, ct + done, n - done,
					(ctr128_f)aes_v8_ctr32_encrypt_blocks) != 0) {
		return -1;
	}
	CRYPTO_gcm128_tag(g->gcm, tag, GCM_TAG);
	return 0;
}

static int os_open(void *ctx, const uint8_t iv[GCM_IV], const uint8_t hdr[GCM_HDR],
		   const uint8_t *ct, size_t n, const uint8_t tag[GCM_TAG], uint8_t *out)
{
	struct ossl_gcm *g = ctx;

	size_t done;

	CRYPTO_gcm128_setiv(g->gcm, iv, GCM_IV);
	if (CRYPTO_gcm128_aad(g->gcm, hdr, GCM_HDR) != 0) {
		return -1;
	}
	done = bulk(g, ct, out, n, false);
	if (done == SIZE_MAX ||
	    CRYPTO_gcm128_decrypt_ctr32(g->gcm, ct + done, out + done, n - done,
					(ctr128_f)aes_v8_ctr32_encrypt_blocks) != 0) {
		return -1;
	}
	return CRYPTO_gcm128_finish(g->gcm, tag, GCM_TAG) == 0 ? 0 : -1;
}

const struct gcm_lib gcm_openssl = {
	.name = "OpenSSL",
	.version = os_version,
	.new_ctx = os_new,
	.seal = os_seal,
	.open = os_open,
};

/*
 * The kernel path must produce what CRYPTO_gcm128 alone produces (same
 * ciphertext and tag, and each opens the other's message) at sizes below,
 * at and above the 512-byte threshold, whole blocks or not.
 */
int gcm_openssl_self_check(void *ctx)
{
	static const size_t sizes[] = { 64U, 511U, 512U, 1000U, 4096U, 4101U };
	static uint8_t msg[4101], a[4101], b[4101], out[4101];
	struct ossl_gcm *g = ctx;
	uint8_t hdr[GCM_HDR] = { 3 }, iv[GCM_IV] = { 9 }, ta[GCM_TAG], tb[GCM_TAG];
	unsigned int i;
	int bad = 0;

	for (i = 0U; i < sizeof(msg); i++) {
		msg[i] = (uint8_t)(i * 7U + 1U);
	}
	for (i = 0U; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i];

		g->kernel = true;
		bad |= os_seal(g, iv, hdr, msg, n, a, ta);
		g->kernel = false;
		bad |= os_seal(g, iv, hdr, msg, n, b, tb);
		bad |= (memcmp(a, b, n) != 0 || memcmp(ta, tb, GCM_TAG) != 0) ? 1 : 0;
		bad |= os_open(g, iv, hdr, a, n, ta, out);	/* reference opens the kernel's */
		bad |= (memcmp(out, msg, n) != 0) ? 1 : 0;
		g->kernel = true;
		bad |= os_open(g, iv, hdr, b, n, tb, out);	/* the kernel opens the reference's */
		bad |= (memcmp(out, msg, n) != 0) ? 1 : 0;
	}
	g->kernel = true;
	return bad;
}
