/* SPDX-License-Identifier: Apache-2.0 */
#include "share.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <caec/attest.h>
#include <caec_core/hex.h>

#include "lib/engine.h"

int llm_share_provide(struct caec_ctx *ctx, const char *path,
		      struct caec_region **r, uint8_t *hash,
		      size_t *file_size, char *err, size_t errlen)
{
	long long fs = llm_file_size(path);
	int rc;

	*r = NULL;
	if (fs <= 0) {
		snprintf(err, errlen, "cannot stat %s", path);
		return CAEC_E_INVAL;
	}
	size_t size = ((size_t)fs + CAEC_GRANULE_SIZE - 1) / CAEC_GRANULE_SIZE *
		      CAEC_GRANULE_SIZE;
	rc = caec_share(ctx, size, 0, r);
	if (rc < 0) {
		snprintf(err, errlen, "caec_share(%zu): %s", size, caec_strerror(rc));
		return rc;
	}
	if (llm_file_read_into(path, caec_region_addr(*r), size, file_size, err,
			       errlen)) {
		rc = CAEC_E_INVAL;
		goto fail;
	}
	rc = caec_seal(*r, hash, CAEC_HASH_MAX);
	if (rc < 0) {
		snprintf(err, errlen, "caec_seal: %s", caec_strerror(rc));
		goto fail;
	}
	return rc;
fail:
	if (caec_unshare(*r) < 0) {
		/* the handle is freed anyway; nothing more to do */
	}
	*r = NULL;
	return rc;
}

int llm_share_challenge(uint8_t *challenge)
{
	size_t done = 0;

	while (done < CAEC_CHALLENGE_SIZE) {
		ssize_t n = getrandom(challenge + done, CAEC_CHALLENGE_SIZE - done, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return CAEC_E_PLATFORM;
		done += (size_t)n;
	}
	return CAEC_OK;
}

int llm_share_token(struct caec_ctx *ctx, const uint8_t *challenge,
		    uint8_t *buf, size_t cap)
{
	return caec_attest_token(ctx, challenge, buf, cap);
}

int llm_share_grant_verified(struct caec_ctx *ctx, struct caec_region *r,
			     uint64_t consumer, const uint8_t *challenge,
			     const uint8_t *token, size_t len,
			     uint64_t *grant_id)
{
	int rc = caec_verify_peer(ctx, consumer, challenge, token, len, NULL, NULL);

	if (rc < 0)
		return rc;
	return caec_grant(r, consumer, CAEC_PERM_RO, NULL, grant_id);
}

int llm_share_attach(struct caec_ctx *ctx, uint64_t grant_id,
		     const uint8_t *hash, size_t hash_len,
		     struct caec_region **r)
{
	struct caec_attach_opts o;

	if (hash_len == 0 || hash_len > CAEC_HASH_MAX)
		return CAEC_E_INVAL;
	memset(&o, 0, sizeof(o));
	o.size = sizeof(o);
	o.hash_len = (uint32_t)hash_len;
	memcpy(o.expected_hash, hash, hash_len);
	return caec_attach(ctx, grant_id, &o, r);
}

size_t llm_hex_encode(const uint8_t *p, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * n] = 0;
	return 2 * n;
}

long llm_hex_decode(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (s[0] && s[0] != '\n' && s[0] != ' ') {
		int hi = ca_hex_digit(s[0]), lo = s[1] ? ca_hex_digit(s[1]) : -1;
		if (hi < 0 || lo < 0 || n >= cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return (long)n;
}
