/* SPDX-License-Identifier: Apache-2.0 */
#include "peer_check.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <caec/attest.h>
#include <caec/caec.h>

static int write_all(int fd, const void *p, size_t n)
{
	const unsigned char *b = p;
	while (n) {
		ssize_t w = write(fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return CAEC_E_CLOSED;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

static int read_all(int fd, void *p, size_t n)
{
	unsigned char *b = p;
	while (n) {
		ssize_t r = read(fd, b, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return CAEC_E_CLOSED;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

/* My own measurement, read from a token of my own. */
static int own_rim(struct caec_ctx *ctx, struct caec_rim_ref *rim)
{
	static uint8_t tok[CAEC_TOKEN_MAX_SIZE];
	static struct caec_token_claims cl;
	uint8_t ch[CAEC_CHALLENGE_SIZE] = { 0 };
	int n = caec_attest_token(ctx, ch, tok, sizeof(tok));
	if (n < 0)
		return n;
	cl.size = sizeof(cl);
	int rc = caec_token_parse(tok, (size_t)n, &cl);
	if (rc < 0)
		return rc;
	rim->len = cl.rim_len;
	memcpy(rim->value, cl.rim, cl.rim_len);
	return 0;
}

static int prove(struct caec_ctx *ctx, int in, int out)
{
	static uint8_t tok[CAEC_TOKEN_MAX_SIZE];
	uint8_t ch[CAEC_CHALLENGE_SIZE];
	int rc = read_all(in, ch, sizeof(ch));
	if (rc < 0)
		return rc;
	int n = caec_attest_token(ctx, ch, tok, sizeof(tok));
	if (n < 0)
		return n;
	uint64_t len = (uint64_t)n;
	rc = write_all(out, &len, sizeof(len));
	return rc < 0 ? rc : write_all(out, tok, (size_t)n);
}

static int verify(struct caec_ctx *ctx, const char *who, int in, int out,
		  uint64_t peer)
{
	static uint8_t tok[CAEC_TOKEN_MAX_SIZE];
	static struct caec_token_claims cl;
	uint8_t ch[CAEC_CHALLENGE_SIZE];
	struct caec_rim_ref rim;
	struct caec_verify_policy pol;
	uint64_t len;
	int rc;

	if (getrandom(ch, sizeof(ch), 0) != (ssize_t)sizeof(ch))
		return CAEC_E_PLATFORM;
	if ((rc = own_rim(ctx, &rim)) < 0)
		return rc;
	if ((rc = write_all(out, ch, sizeof(ch))) < 0)
		return rc;
	if ((rc = read_all(in, &len, sizeof(len))) < 0)
		return rc;
	if (len == 0 || len > sizeof(tok))
		return CAEC_E_TOKEN;
	if ((rc = read_all(in, tok, (size_t)len)) < 0)
		return rc;
	memset(&pol, 0, sizeof(pol));
	pol.size = sizeof(pol);
	pol.rims = &rim;
	pol.n_rims = 1;
	cl.size = sizeof(cl);
	rc = caec_verify_peer(ctx, peer, ch, tok, (size_t)len, &pol, &cl);
	if (rc < 0) {
		printf("[%-8s] peer %016llx REJECTED: %s\n", who,
		       (unsigned long long)peer, caec_strerror(rc));
		return rc;
	}
	/* rc > 0: verified, with reservations the platform cannot lift. */
	printf("[%-8s] verified peer %016llx: token signed by the platform, fresh, "
	       "RIM %02x%02x%02x%02x... = my own image%s%s\n", who,
	       (unsigned long long)peer, cl.rim[0], cl.rim[1], cl.rim[2], cl.rim[3],
	       rc & CAEC_VERIFY_W_UNPINNED ? " (platform key not pinned)" : "",
	       rc & CAEC_VERIFY_W_DEBUG_PLATFORM ? " (debug platform: realms not isolated)" : "");
	return 0;
}

int demo_mutual_attest(struct caec_ctx *ctx, const char *who, int in, int out,
		       uint64_t peer, bool challenge_first)
{
	int rc;
	if (challenge_first) {
		if ((rc = verify(ctx, who, in, out, peer)) < 0)
			return rc;
		return prove(ctx, in, out);
	}
	if ((rc = prove(ctx, in, out)) < 0)
		return rc;
	return verify(ctx, who, in, out, peer);
}
