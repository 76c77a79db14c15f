/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the token decoder and verifier core (core/token).
 *
 * Every input is decoded strictly; inputs that decode are verified against
 * the platform key of a deterministic signer (seed "caec fuzz token"), the
 * same one fuzz_token_seed uses to write the seed corpus, so mutations of
 * the seeds reach the signature, binding and platform-key checks.  The
 * target asserts the decoder's contract: CAEC_E_TOKEN or success, never
 * anything else, and on success every length within its array.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <token/token.h>

#define FUZZ_SEED "caec fuzz token"

static struct caec_platform_key_ref key;
static char pem[TOKEN_PEM_MAX];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct token_signer *s;

	(void)argc;
	(void)argv;
	if (token_signer_create_seeded(&s, (const uint8_t *)FUZZ_SEED,
				       sizeof(FUZZ_SEED) - 1) != 0)
		abort();
	int n = token_signer_platform_pubkey(s, pem, sizeof(pem));
	if (n <= 0)
		abort();
	key.data = (const uint8_t *)pem;
	key.len = (size_t)n;
	token_signer_destroy(s);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct caec_token_claims c;
	struct token_view v;

	c.size = sizeof(c);
	int rc = token_decode(data, size, &v, &c);
	if (rc != 0) {
		if (rc != CAEC_E_TOKEN)
			abort();
		return 0;
	}
	/* The decoder's promises to its callers. */
	if (c.rim_len == 0 || c.rim_len > CAEC_HASH_MAX ||
	    c.n_relations > CAEC_TOKEN_MAX_RELATIONS ||
	    c.n_sw_components == 0 ||
	    c.n_sw_components > CAEC_TOKEN_MAX_SW_COMPONENTS ||
	    c.platform_challenge_len > CAEC_HASH_MAX ||
	    c.config_len > CAEC_TOKEN_CONFIG_MAX ||
	    c.rak_len != CAEC_TOKEN_RAK_SIZE ||
	    memchr(c.profile, 0, sizeof(c.profile)) == NULL ||
	    v.plat.sig < data || v.plat.sig + TOKEN_ES384_SIG_SIZE > data + size ||
	    v.realm.sig < data || v.realm.sig + TOKEN_ES384_SIG_SIZE > data + size)
		abort();
	for (uint32_t i = 0; i < c.n_relations; i++)
		if (c.relations[i].hash_len > CAEC_HASH_MAX)
			abort();
	rc = token_verify_signatures(&v, &c, &key, 1);
	if (rc != 0 && rc != CAEC_E_SIGNATURE && rc != CAEC_E_BINDING &&
	    rc != CAEC_E_PLATFORM_KEY && rc != CAEC_E_TOKEN)
		abort();
	return 0;
}
