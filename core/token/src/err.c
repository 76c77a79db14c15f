/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one place where mbedTLS failures become enum caec_err.
 * What a foreign error means depends on where it happened: a failed ECDSA
 * verification is a bad signature, a failed parse of a caller's key is a
 * bad argument, a failed DRBG seeding is a platform failure.
 */
#include "internal.h"

#include <mbedtls/bignum.h>
#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>

static bool is_alloc_failure(int rc)
{
	return rc == MBEDTLS_ERR_MPI_ALLOC_FAILED ||
	       rc == MBEDTLS_ERR_ECP_ALLOC_FAILED ||
	       rc == MBEDTLS_ERR_PK_ALLOC_FAILED;
}

int token_err(int foreign_rc, enum token_err_site site)
{
	if (foreign_rc == 0)
		return 0;
	if (is_alloc_failure(foreign_rc))
		return CAEC_E_NOMEM;
	switch (site) {
	case TOKEN_SITE_VERIFY:
		/* MBEDTLS_ERR_ECP_VERIFY_FAILED, or r/s out of range, or a
		 * point not on the curve: all mean "does not verify". */
		return CAEC_E_SIGNATURE;
	case TOKEN_SITE_KEYPARSE:
		return CAEC_E_INVAL;
	case TOKEN_SITE_ENTROPY:
	case TOKEN_SITE_CRYPTO:
	default:
		return CAEC_E_PLATFORM;
	}
}
