/* SPDX-License-Identifier: Apache-2.0 */
#include "peer_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <caec/attest.h>
#include <caec/caec.h>

#include "demo_roles.h"

/* Bytes over the platform's 64-bit values: the length, then 8 bytes a value. */
static void send_bytes(const struct demo_platform *p, int to, const uint8_t *b, size_t n)
{
	p->send(to, (uint64_t)n);
	for (size_t i = 0; i < n; i += 8) {
		uint64_t v = 0;
		memcpy(&v, b + i, n - i < 8 ? n - i : 8);
		p->send(to, v);
	}
}

static int recv_bytes(const struct demo_platform *p, int from, uint8_t *b, size_t cap,
		      size_t *n)
{
	uint64_t len = p->recv(from);
	if (len == 0 || len > cap)
		return CAEC_E_TOKEN; /* nothing we would accept: the peer misbehaves */
	for (size_t i = 0; i < len; i += 8) {
		uint64_t v = p->recv(from);
		memcpy(b + i, &v, len - i < 8 ? len - i : 8);
	}
	*n = (size_t)len;
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

static int prove(struct caec_ctx *ctx, const struct demo_platform *p, int peer_role)
{
	static uint8_t tok[CAEC_TOKEN_MAX_SIZE];
	uint8_t ch[CAEC_CHALLENGE_SIZE];
	size_t len;
	int rc = recv_bytes(p, peer_role, ch, sizeof(ch), &len);
	if (rc < 0)
		return rc;
	if (len != sizeof(ch))
		return CAEC_E_CHALLENGE;
	int n = caec_attest_token(ctx, ch, tok, sizeof(tok));
	if (n < 0)
		return n;
	send_bytes(p, peer_role, tok, (size_t)n);
	return 0;
}

/* PSA security lifecycle states (claim 2395), by their major nibble. */
static const char *lifecycle_name(uint32_t lc)
{
	static const char *const names[] = {
		"unknown", "assembly and test", "PSA RoT provisioning", "secured",
		"non-PSA RoT debug", "recoverable PSA RoT debug", "decommissioned",
	};
	unsigned major = (lc >> 12) & 0xf;
	return major < sizeof(names) / sizeof(names[0]) ? names[major] : "invalid";
}

static int verify(struct caec_ctx *ctx, const struct demo_platform *p, const char *who,
		  int peer_role, uint64_t peer)
{
	static uint8_t tok[CAEC_TOKEN_MAX_SIZE];
	static struct caec_token_claims cl;
	uint8_t ch[CAEC_CHALLENGE_SIZE];
	struct caec_rim_ref rim;
	struct caec_verify_policy pol;
	size_t len;
	int rc;

	if (getrandom(ch, sizeof(ch), 0) != (ssize_t)sizeof(ch))
		return CAEC_E_PLATFORM;
	if ((rc = own_rim(ctx, &rim)) < 0)
		return rc;
	send_bytes(p, peer_role, ch, sizeof(ch));
	if ((rc = recv_bytes(p, peer_role, tok, sizeof(tok), &len)) < 0)
		return rc;
	memset(&pol, 0, sizeof(pol));
	pol.size = sizeof(pol);
	pol.rims = &rim;
	pol.n_rims = 1;
	cl.size = sizeof(cl);
	rc = caec_verify_peer(ctx, peer, ch, tok, len, &pol, &cl);
	if (rc < 0) {
		printf("[%-8s] peer %016llx REJECTED: %s\n", who, (unsigned long long)peer,
		       caec_strerror(rc));
		return rc;
	}
	printf("[%-8s] verified peer %016llx: token signed by the platform, fresh, "
	       "RIM %02x%02x%02x%02x... = my own image\n", who, (unsigned long long)peer,
	       cl.rim[0], cl.rim[1], cl.rim[2], cl.rim[3]);
	/* rc > 0: verified, with reservations the platform cannot lift. */
	if (rc & CAEC_VERIFY_W_UNPINNED)
		printf("[%-8s]   reservation: the platform key is not pinned (it came from "
		       "the platform itself)\n", who);
	if (rc & CAEC_VERIFY_W_DEBUG_PLATFORM)
		printf("[%-8s]   reservation: platform lifecycle \"%s\" (0x%04x), not "
		       "\"secured\"\n", who, lifecycle_name(cl.lifecycle), (unsigned)cl.lifecycle);
	fflush(stdout);
	return 0;
}

int demo_mutual_attest(struct caec_ctx *ctx, const struct demo_platform *p, const char *who,
		       int peer_role, uint64_t peer, bool challenge_first)
{
	int rc;
	if (challenge_first) {
		if ((rc = verify(ctx, p, who, peer_role, peer)) < 0)
			return rc;
		return prove(ctx, p, peer_role);
	}
	if ((rc = prove(ctx, p, peer_role)) < 0)
		return rc;
	return verify(ctx, p, who, peer_role, peer);
}
