/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec_platform_key() on the RSI backend.  A realm has no path of its own
 * to the key that signs platform tokens: the driver's CAEC_IOC_PLATFORM_KEY
 * hands over what the machine gives it (on the caec firmware, the host's
 * copy of the EL3 monitor's key), which is untrusted.  The realm does
 * have one trustworthy statement about that key: the platform token
 * inside a token of its own, which its own RMM returns through ATTEST,
 * names the key that signed it (protected header kid = SHA-256 of the
 * key's SubjectPublicKeyInfo).  So the key is accepted only when its kid
 * is that one; a host that substitutes another key is refused with
 * CAEC_E_PLATFORM_KEY.
 *
 * What that proves: the key is the one of the platform this realm runs
 * on.  It says nothing about who built that platform (no certificate, no
 * root of trust), which is why caec_verify_peer() still reports
 * CAEC_VERIFY_W_UNPINNED for a key obtained here, as it does for the
 * simulator's.  docs/attestation.md, "In the firmware".
 */
#include <stdlib.h>
#include <string.h>

#include <caec/abi/driver.h>
#include <caec/attest.h>
#include <token/token.h>

#include "rsi.h"
#include "rsi_transport.h"

/* A DER public key larger than this is not a P-384 key (120 bytes). */
#define KEY_DER_MAX 512u

/* The driver's copy of the key: *len DER bytes, or a caec_err. */
static int driver_key(int fd, uint8_t der[KEY_DER_MAX], size_t *len)
{
	struct caec_drv_platform_key a = {
		.size = sizeof(a),
		.key = (uint64_t)(uintptr_t)der,
		.key_cap = KEY_DER_MAX,
	};
	int rc = rsi_tr_ioctl(fd, CAEC_IOC_PLATFORM_KEY, &a);

	/* ENOTTY: a driver before ABI 1.2; EOPNOTSUPP: the machine has no key. */
	if (rc == -CAEC_DRV_ENOTTY || rc == -CAEC_DRV_EOPNOTSUPP)
		return CAEC_E_NOTSUP;
	if (rc == -CAEC_DRV_ENOSPC)
		return CAEC_E_PLATFORM_KEY; /* too big to be a P-384 key */
	if (rc != 0)
		return rsi_err(rc);
	if (a.key_len == 0 || a.key_len > KEY_DER_MAX)
		return CAEC_E_PROTO;
	*len = a.key_len;
	return 0;
}

/* The kid of the platform token in a fresh token of this realm's own. */
static int own_kid(int fd, uint8_t kid[TOKEN_KID_SIZE])
{
	/*
	 * The challenge needs no freshness: the token comes from this
	 * realm's own RMM through its own driver, not from anyone who could
	 * replay one.
	 */
	struct caec_drv_attest a = { .size = sizeof(a), .token_cap = CAEC_TOKEN_MAX_SIZE };
	struct caec_token_claims *c = malloc(sizeof(*c));
	uint8_t *tok = malloc(CAEC_TOKEN_MAX_SIZE);
	struct token_view v;
	int rc;

	if (!c || !tok) {
		rc = CAEC_E_NOMEM;
		goto out;
	}
	a.token = (uint64_t)(uintptr_t)tok;
	rc = rsi_tr_ioctl(fd, CAEC_IOC_ATTEST, &a);
	if (rc != 0) {
		rc = rsi_err(rc);
		goto out;
	}
	if (a.token_len == 0 || a.token_len > CAEC_TOKEN_MAX_SIZE) {
		rc = CAEC_E_PROTO;
		goto out;
	}
	c->size = sizeof(*c);
	rc = token_decode(tok, a.token_len, &v, c);
	if (rc == 0 && (v.plat.kid == NULL || v.plat.kid_len != TOKEN_KID_SIZE))
		rc = CAEC_E_PLATFORM_KEY; /* nothing to check a key against */
	if (rc == 0)
		memcpy(kid, v.plat.kid, TOKEN_KID_SIZE);
out:
	free(tok);
	free(c);
	return rc;
}

int rsi_platform_key_fetch(int fd, char *pem, size_t cap)
{
	uint8_t der[KEY_DER_MAX], kid[TOKEN_KID_SIZE], want[TOKEN_KID_SIZE];
	size_t len = 0;
	int rc = driver_key(fd, der, &len);

	if (rc < 0)
		return rc;
	rc = token_platform_kid(der, len, kid);
	if (rc == CAEC_E_INVAL)
		return CAEC_E_PLATFORM_KEY; /* not a P-384 public key at all */
	if (rc < 0)
		return rc;
	rc = own_kid(fd, want);
	if (rc < 0)
		return rc;
	if (memcmp(kid, want, sizeof(kid)) != 0)
		return CAEC_E_PLATFORM_KEY; /* not the key of this realm's platform */
	return token_platform_key_pem(der, len, pem, cap);
}
