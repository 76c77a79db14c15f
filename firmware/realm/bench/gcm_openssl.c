/*
 * AES-256-GCM with Debian's arm64 OpenSSL (libssl-dev:arm64, its static
 * libcrypto.a): OpenSSL's GCM mode (CRYPTO_gcm128_*) over its ARMv8
 * Crypto Extensions assembly, AES with AESE/AESMC (aes_v8_*) and GHASH
 * with PMULL (gcm_*_v8), as Debian built them.
 *
 * Not EVP: EVP_aes_256_gcm in OpenSSL 3 goes through the provider
 * machinery (library contexts, threads, configuration), which a realm
 * without an OS does not have.  For long messages EVP's ARMv8 provider
 * also uses an interleaved AES+GHASH kernel (aes_gcm_enc_256_kernel) that
 * this path does not, so EVP could take fewer instructions than this.
 *
 * OPENSSL_armcap_P is OpenSSL's CPU capability word; on Linux its
 * constructor fills it from the kernel's HWCAP.  Here it is defined and
 * filled from ID_AA64ISAR0_EL1 (the realm's view of it, which the RMM
 * filters), so armcap.o and its signal/auxv probing are not linked.
 */
#include <stdio.h>
#include <stdlib.h>

#include <openssl/aes.h>
#include <openssl/modes.h>
#include <openssl/opensslv.h>

#include "bench.h"

/* OpenSSL's arm_arch.h bits (not an installed header). */
#define ARMV7_NEON	(1U << 0)
#define ARMV8_AES	(1U << 2)
#define ARMV8_PMULL	(1U << 5)

unsigned int OPENSSL_armcap_P;

/* The ARMv8 assembly (aesv8-armx.S): no installed header declares it. */
int aes_v8_set_encrypt_key(const unsigned char *user_key, const int bits, AES_KEY *key);
void aes_v8_encrypt(const unsigned char *in, unsigned char *out, const AES_KEY *key);
void aes_v8_ctr32_encrypt_blocks(const unsigned char *in, unsigned char *out, size_t blocks,
				 const void *key, const unsigned char ivec[16]);

struct ossl_gcm {
	AES_KEY key;
	GCM128_CONTEXT *gcm;
};

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
	snprintf(buf, n, "%s (CRYPTO_gcm128_*, aes_v8_ctr32_encrypt_blocks, gcm_ghash_v8)",
		 OPENSSL_VERSION_TEXT);
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
	return g;
}

static int os_seal(void *ctx, const uint8_t iv[GCM_IV], const uint8_t hdr[GCM_HDR],
		   const uint8_t *in, size_t n, uint8_t *ct, uint8_t tag[GCM_TAG])
{
	struct ossl_gcm *g = ctx;

	CRYPTO_gcm128_setiv(g->gcm, iv, GCM_IV);
	if (CRYPTO_gcm128_aad(g->gcm, hdr, GCM_HDR) != 0 ||
	    CRYPTO_gcm128_encrypt_ctr32(g->gcm, in, ct, n,
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

	CRYPTO_gcm128_setiv(g->gcm, iv, GCM_IV);
	if (CRYPTO_gcm128_aad(g->gcm, hdr, GCM_HDR) != 0 ||
	    CRYPTO_gcm128_decrypt_ctr32(g->gcm, ct, out, n,
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
