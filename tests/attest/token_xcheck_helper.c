/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helper for check_token.py (the independent cross-check):
 *
 *   token_xcheck_helper write DIR
 *       issue a token with core/token's signer and write DIR/token.cbor,
 *       DIR/platform.pem and DIR/expected.txt ("name = hex" lines: what
 *       the token must contain).
 *   token_xcheck_helper verify TOKEN PEM CHALLENGE_HEX RIM_HEX REALM_ID_HEX
 *       verify a token made by another implementation with
 *       caec_token_verify(); print the error name; exit 0 only if CAEC_OK.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <caec/attest.h>
#include <token/token.h>

#include "token_fixture.h"

static void hex(FILE *f, const char *name, const uint8_t *p, size_t n)
{
	fprintf(f, "%s = ", name);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
	fputc('\n', f);
}

static int write_file(const char *dir, const char *name, const void *p, size_t n)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int do_write(const char *dir)
{
	struct token_signer *ts;
	struct token_realm_claims c;
	struct token_relation rel[3];
	uint8_t ch[CAEC_CHALLENGE_SIZE], *tok;
	size_t len;
	char pem[TOKEN_PEM_MAX];

	/* Fresh random keys: the cross-check must not depend on a seed. */
	if (token_signer_create(&ts, NULL, NULL) != 0)
		return 1;
	fix_claims(&c, rel);
	fix_challenge(ch, 0x42);
	if (token_issue(ts, &c, ch, &tok, &len) != 0)
		return 1;
	int pl = token_signer_platform_pubkey(ts, pem, sizeof(pem));
	if (pl <= 0 || write_file(dir, "token.cbor", tok, len) ||
	    write_file(dir, "platform.pem", pem, (size_t)pl))
		return 1;

	char path[4096];
	snprintf(path, sizeof(path), "%s/expected.txt", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return 1;
	fprintf(f, "realm_id = %016" PRIx64 "\n", c.realm_id);
	hex(f, "challenge", ch, sizeof(ch));
	hex(f, "rpv", c.rpv, sizeof(c.rpv));
	hex(f, "rim", c.rim, c.rim_len);
	for (unsigned i = 0; i < CAEC_TOKEN_REM_COUNT; i++) {
		char n[16];
		snprintf(n, sizeof(n), "rem%u", i);
		hex(f, n, c.rems[i], c.rem_len);
	}
	for (size_t i = 0; i < c.n_relations; i++) {
		fprintf(f, "relation = %" PRIx64 " %" PRIx64 " %" PRIx64 " %x %x %x ",
			rel[i].region_id, rel[i].grant_id, rel[i].peer_realm_id,
			rel[i].perm, rel[i].role, rel[i].sealed);
		for (size_t j = 0; j < rel[i].hash_len; j++)
			fprintf(f, "%02x", rel[i].hash[j]);
		fprintf(f, "%s\n", rel[i].hash_len ? "" : "-");
	}
	fclose(f);
	free(tok);
	token_signer_destroy(ts);
	return 0;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	static uint8_t buf[CAEC_TOKEN_MAX_SIZE + 1];
	if (!f)
		return NULL;
	*len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return buf;
}

static int unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = strlen(s);
	if (n % 2 || n / 2 > cap)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return (int)(n / 2);
}

static int do_verify(char **argv)
{
	size_t tl, pl;
	uint8_t *t = slurp(argv[0], &tl);
	static uint8_t tok[CAEC_TOKEN_MAX_SIZE + 1];
	if (!t)
		return 2;
	memcpy(tok, t, tl);
	uint8_t *p = slurp(argv[1], &pl);
	if (!p)
		return 2;
	uint8_t ch[CAEC_CHALLENGE_SIZE];
	struct caec_rim_ref rim;
	if (unhex(argv[2], ch, sizeof(ch)) != CAEC_CHALLENGE_SIZE)
		return 2;
	int rl = unhex(argv[3], rim.value, sizeof(rim.value));
	if (rl <= 0)
		return 2;
	rim.len = (uint32_t)rl;
	struct caec_platform_key_ref key = { p, pl };
	struct caec_verify_policy pol = {
		.size = sizeof(pol), .flags = CAEC_VERIFY_F_REALM_ID,
		.platform_keys = &key, .n_platform_keys = 1,
		.rims = &rim, .n_rims = 1, .challenge = ch,
		.realm_id = strtoull(argv[4], NULL, 16),
	};
	struct caec_token_claims c = { .size = sizeof(c) };
	int rc = caec_token_verify(tok, tl, &pol, &c);
	printf("%s\n", caec_errname(rc));
	return rc == CAEC_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "write") == 0)
		return do_write(argv[2]);
	if (argc == 7 && strcmp(argv[1], "verify") == 0)
		return do_verify(argv + 2);
	fprintf(stderr, "usage: %s write DIR | verify TOKEN PEM CHALLENGE RIM REALM_ID\n",
		argv[0]);
	return 2;
}
