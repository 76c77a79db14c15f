/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-token: attestation tokens from the command line.
 *
 *   caec-token get [--challenge HEX | --random] [-o FILE]
 *   caec-token platform-key [-o FILE]
 *   caec-token dump FILE
 *   caec-token verify FILE --policy POLICYFILE [--platform-key PEMFILE]...
 *   caec-token [COMMAND] --help | --version
 *
 * Exit status: 0 success (verify: the token satisfies the policy);
 * 1 the token was rejected (verify, dump: malformed or failed a check);
 * 2 usage or policy-file error; 3 I/O error; 4 platform error (get,
 * platform-key: caec-simd unreachable or refused).
 * docs/attestation.md describes the policy file format.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <caec/attest.h>
#include <caec/caec.h>
#include <caec_core/hex.h>

#include "cli.h"

enum { EXIT_OK = 0, EXIT_REJECTED = 1, EXIT_USAGE = 2, EXIT_IO = 3,
       EXIT_PLATFORM = 4 };

#define MAX_RIMS 16
#define MAX_KEYS CAEC_VERIFY_MAX_PLATFORM_KEYS

static const char exit_statuses[] =
	"Exit status: 0 success (verify: the token satisfies the policy); 1 the token "
	"was rejected (verify, dump: malformed or failed a check); 2 usage or "
	"policy-file error; 3 I/O error; 4 platform error (get, platform-key: "
	"caec-simd unreachable or refused).";

__attribute__((format(printf, 2, 3)))
static int die(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("caec-token: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

/* Read a whole file (at most cap bytes; more is an error). */
static int read_file(const char *path, uint8_t *buf, size_t cap, size_t *len)
{
	FILE *f = fopen(path, "rb");

	if (!f)
		return die(EXIT_IO, "%s: %s", path, strerror(errno));
	*len = fread(buf, 1, cap, f);
	bool more = fgetc(f) != EOF, err = ferror(f);
	fclose(f);
	if (err)
		return die(EXIT_IO, "%s: read error", path);
	if (more)
		return die(EXIT_IO, "%s: larger than %zu bytes", path, cap);
	return 0;
}

static int write_out(const char *path, const void *p, size_t n)
{
	FILE *f = path ? fopen(path, "wb") : stdout;

	if (!f)
		return die(EXIT_IO, "%s: %s", path, strerror(errno));
	bool ok = fwrite(p, 1, n, f) == n;
	if (path)
		ok = (fclose(f) == 0) && ok;
	else
		ok = (fflush(f) == 0) && ok;
	return ok ? 0 : die(EXIT_IO, "%s: write error", path ? path : "stdout");
}

/* Decode hex (no separators) into out; returns the byte count or -1. */
static long unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = strlen(s);

	if (n == 0 || n % 2 || n / 2 > cap)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = ca_hex_digit(s[2 * i]), lo = ca_hex_digit(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(n / 2);
}

static bool parse_u64_hex(const char *s, uint64_t *v)
{
	size_t n = strlen(s);
	uint64_t x = 0;

	if (n == 0 || n > 16)
		return false;
	for (size_t i = 0; i < n; i++) {
		int d = ca_hex_digit(s[i]);
		if (d < 0)
			return false;
		x = x << 4 | (uint64_t)d;
	}
	*v = x;
	return true;
}

static void print_hex(const char *label, const uint8_t *p, size_t n)
{
	printf("  %-24s ", label);
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	putchar('\n');
}

/* ---- get / platform-key ----------------------------------------------- */

static int open_ctx(struct caec_ctx **ctx)
{
	int rc = caec_open(ctx, NULL);

	if (rc < 0)
		return die(EXIT_PLATFORM, "cannot connect to the platform: %s",
			   caec_strerror(rc));
	return 0;
}

static const struct cli_opt get_opts[] = {
	{ "challenge", 'c', "HEX", "the challenge the token must carry: 64 bytes as 128 "
	  "hex digits (default: a random one, printed on stderr as a policy line)" },
	{ "random", 'r', NULL, "a random challenge (the default), printed on stderr as "
	  "a policy line: 'challenge = HEX'" },
	{ "output", 'o', "FILE", "write the token (binary CBOR) to FILE (default: "
	  "stdout, unless it is a terminal)" },
	{ NULL },
};

static int cmd_get(int argc, char **argv)
{
	static struct cli cli = {
		.prog = "caec-token get",
		.usage = "[--challenge HEX | --random] [-o FILE]",
		.about = "Ask the platform (caec-simd at $CAEC_SIM_SOCKET or its default "
			 "socket; /dev/caec in a realm) for this realm's attestation token.",
		.opts = get_opts,
		.footer = exit_statuses,
	};
	uint8_t challenge[CAEC_CHALLENGE_SIZE];
	const char *out = NULL, *hex = NULL, *arg;
	bool random = false;
	int c;

	while ((c = cli_next(&cli, argc, argv, &arg)) != -1) {
		if (c == 'c')
			hex = arg;
		else if (c == 'r')
			random = true;
		else if (c == 'o')
			out = arg;
	}
	if (cli_operand_index() != argc)
		cli_usage_error(&cli, "unexpected operand '%s'", argv[cli_operand_index()]);
	if (hex && random)
		cli_usage_error(&cli, "--challenge and --random are exclusive");
	if (hex) {
		if (unhex(hex, challenge, sizeof(challenge)) != CAEC_CHALLENGE_SIZE)
			cli_usage_error(&cli, "--challenge: '%s' is not %u bytes of hex", hex,
					CAEC_CHALLENGE_SIZE);
	} else {
		if (getrandom(challenge, sizeof(challenge), 0) != sizeof(challenge))
			return die(EXIT_IO, "getrandom: %s", strerror(errno));
		/* The verifier needs it: print it as a policy line. */
		fprintf(stderr, "challenge = ");
		for (unsigned i = 0; i < sizeof(challenge); i++)
			fprintf(stderr, "%02x", challenge[i]);
		fputc('\n', stderr);
	}
	if (!out && isatty(STDOUT_FILENO))
		cli_usage_error(&cli, "refusing to write binary to a terminal; use -o FILE");

	struct caec_ctx *ctx;
	int rc = open_ctx(&ctx);
	if (rc)
		return rc;
	static uint8_t tok[CAEC_TOKEN_MAX_SIZE];
	int n = caec_attest_token(ctx, challenge, tok, sizeof(tok));
	caec_close(ctx);
	if (n < 0)
		return die(EXIT_PLATFORM, "get: %s (%s)", caec_strerror(n), caec_errname(n));
	return write_out(out, tok, (size_t)n);
}

static const struct cli_opt platform_key_opts[] = {
	{ "output", 'o', "FILE", "write the key (PEM) to FILE (default: stdout)" },
	{ NULL },
};

static int cmd_platform_key(int argc, char **argv)
{
	static struct cli cli = {
		.prog = "caec-token platform-key",
		.usage = "[-o FILE]",
		.about = "Fetch the platform's attestation public key (PEM), to pin it: "
			 "'verify --platform-key', or $CAEC_PLATFORM_KEY for the library.",
		.opts = platform_key_opts,
		.footer = exit_statuses,
	};
	const char *out = NULL, *arg;
	int c;

	while ((c = cli_next(&cli, argc, argv, &arg)) != -1)
		if (c == 'o')
			out = arg;
	if (cli_operand_index() != argc)
		cli_usage_error(&cli, "unexpected operand '%s'", argv[cli_operand_index()]);
	struct caec_ctx *ctx;
	int rc = open_ctx(&ctx);
	if (rc)
		return rc;
	uint8_t pem[4096];
	int n = caec_platform_key(ctx, pem, sizeof(pem));
	caec_close(ctx);
	if (n < 0)
		return die(EXIT_PLATFORM, "platform-key: %s (%s)", caec_strerror(n),
			   caec_errname(n));
	return write_out(out, pem, (size_t)n);
}

/* ---- dump ------------------------------------------------------------- */

static const char *perm_name(uint32_t p)
{
	return p == CAEC_PERM_RW ? "rw" : p == CAEC_PERM_RO ? "ro" : "-";
}

static void dump_claims(const struct caec_token_claims *c)
{
	printf("platform token\n");
	printf("  %-24s %s\n", "profile (265)", c->platform_profile);
	print_hex("challenge (10)", c->platform_challenge, c->platform_challenge_len);
	print_hex("implementation id (2396)", c->implementation_id,
		  sizeof(c->implementation_id));
	print_hex("instance id (256)", c->instance_id, sizeof(c->instance_id));
	print_hex("config (2401)", c->config, c->config_len);
	printf("  %-24s 0x%04" PRIx32 "\n", "lifecycle (2395)", c->lifecycle);
	printf("  %-24s %s\n", "verification service", c->verification_service[0] ?
	       c->verification_service : "(absent)");
	printf("  %-24s %s\n", "hash algorithm (2402)", c->platform_hash_algo);
	for (uint32_t i = 0; i < c->n_sw_components; i++) {
		const struct caec_token_sw_component *s = &c->sw_components[i];
		printf("  sw component %" PRIu32 " (2399): type \"%s\", version \"%s\", "
		       "hash \"%s\"\n", i, s->type, s->version, s->hash_algo);
		print_hex("  measurement", s->measurement, s->measurement_len);
		print_hex("  signer id", s->signer_id, s->signer_id_len);
	}
	printf("realm token\n");
	printf("  %-24s %s\n", "profile (265)", c->profile);
	printf("  %-24s %016" PRIx64 "\n", "realm id (-70000)", c->realm_id);
	print_hex("challenge (10)", c->challenge, sizeof(c->challenge));
	print_hex("rpv (44235)", c->rpv, sizeof(c->rpv));
	printf("  %-24s %s\n", "hash algorithm (44236)", c->hash_algo);
	print_hex("rim (44238)", c->rim, c->rim_len);
	for (unsigned i = 0; i < CAEC_TOKEN_REM_COUNT; i++) {
		char l[32];
		snprintf(l, sizeof(l), "rem[%u] (44239)", i);
		print_hex(l, c->rem[i], c->rim_len);
	}
	print_hex("rak (44237)", c->rak, c->rak_len);
	printf("  %-24s %s\n", "rak hash algo (44240)", c->rak_hash_algo);
	printf("  csm relations (-70001): %" PRIu32 "\n", c->n_relations);
	for (uint32_t i = 0; i < c->n_relations; i++) {
		const struct caec_token_relation *r = &c->relations[i];
		printf("    %s region %016" PRIx64 " grant %016" PRIx64
		       " peer %016" PRIx64 " %s%s",
		       r->role == CAEC_TOKEN_ROLE_PROVIDER ? "provides" : "consumes",
		       r->region_id, r->grant_id, r->peer_id, perm_name(r->perm),
		       (r->flags & CAEC_GRANT_F_SEALED) ? " sealed " : "\n");
		if (r->flags & CAEC_GRANT_F_SEALED) {
			for (uint32_t j = 0; j < r->hash_len; j++)
				printf("%02x", r->hash[j]);
			putchar('\n');
		}
	}
}

static int cmd_dump(int argc, char **argv)
{
	static struct cli cli = {
		.prog = "caec-token dump",
		.usage = "FILE",
		.about = "Print every claim of the token in FILE, without verifying it "
			 "(use verify for that).",
		.footer = exit_statuses,
	};
	static uint8_t tok[CAEC_TOKEN_MAX_SIZE];
	static struct caec_token_claims c;
	const char *arg;
	size_t len;

	while (cli_next(&cli, argc, argv, &arg) != -1)
		;
	int first = cli_operand_index();
	if (argc - first != 1)
		cli_usage_error(&cli, "expected one FILE, got %d operands", argc - first);
	argv += first;
	int rc = read_file(argv[0], tok, sizeof(tok), &len);
	if (rc)
		return rc;
	c.size = sizeof(c);
	rc = caec_token_parse(tok, len, &c);
	if (rc < 0)
		return die(EXIT_REJECTED, "%s: %s (%s)", argv[0], caec_strerror(rc),
			   caec_errname(rc));
	printf("%s: %zu bytes, NOT verified (use caec-token verify)\n", argv[0], len);
	dump_claims(&c);
	return EXIT_OK;
}

/* ---- verify ----------------------------------------------------------- */

struct policy_file {
	struct caec_verify_policy pol;
	struct caec_rim_ref rims[MAX_RIMS];
	struct caec_platform_key_ref keys[MAX_KEYS];
	uint8_t key_bufs[MAX_KEYS][4096];
	uint8_t challenge[CAEC_CHALLENGE_SIZE];
	uint8_t rpv[CAEC_RPV_SIZE];
	bool any_challenge, any_rim;
};

static int policy_line(struct policy_file *pf, const char *path, int lineno,
		       char *key, char *val)
{
	struct caec_verify_policy *p = &pf->pol;
	long n;

#define BAD(what) die(EXIT_USAGE, "%s:%d: %s", path, lineno, what)
	if (strcmp(key, "challenge") == 0) {
		if (unhex(val, pf->challenge, sizeof(pf->challenge)) != CAEC_CHALLENGE_SIZE)
			return BAD("challenge must be 64 bytes of hex");
		p->challenge = pf->challenge;
	} else if (strcmp(key, "rim") == 0) {
		if (p->n_rims == MAX_RIMS)
			return BAD("too many rim lines");
		struct caec_rim_ref *r = &pf->rims[p->n_rims];
		n = unhex(val, r->value, sizeof(r->value));
		if (n <= 0)
			return BAD("rim must be 1..64 bytes of hex");
		r->len = (uint32_t)n;
		p->n_rims++;
	} else if (strcmp(key, "rpv") == 0) {
		if (unhex(val, pf->rpv, sizeof(pf->rpv)) != CAEC_RPV_SIZE)
			return BAD("rpv must be 64 bytes of hex");
		p->rpv = pf->rpv;
	} else if (strcmp(key, "realm_id") == 0) {
		if (!parse_u64_hex(val, &p->realm_id))
			return BAD("realm_id must be 1..16 hex digits");
		p->flags |= CAEC_VERIFY_F_REALM_ID;
	} else if (strcmp(key, "grant_id") == 0) {
		if (!parse_u64_hex(val, &p->grant_id) || p->grant_id == 0)
			return BAD("grant_id must be 1..16 hex digits, not 0");
	} else if (strcmp(key, "grant_peer_id") == 0) {
		if (!parse_u64_hex(val, &p->grant_peer_id))
			return BAD("grant_peer_id must be 1..16 hex digits");
	} else if (strcmp(key, "grant_hash") == 0) {
		n = unhex(val, p->grant_hash, sizeof(p->grant_hash));
		if (n <= 0)
			return BAD("grant_hash must be 1..64 bytes of hex");
		p->grant_hash_len = (uint32_t)n;
	} else if (strcmp(key, "platform_key") == 0) {
		if (p->n_platform_keys == MAX_KEYS)
			return BAD("too many platform keys");
		size_t k = p->n_platform_keys;
		n = unhex(val, pf->key_bufs[k], sizeof(pf->key_bufs[k]));
		if (n <= 0)
			return BAD("platform_key must be hex of a DER SubjectPublicKeyInfo");
		pf->keys[k] = (struct caec_platform_key_ref){ pf->key_bufs[k], (size_t)n };
		p->n_platform_keys++;
	} else if (strcmp(key, "any_challenge") == 0 || strcmp(key, "any_rim") == 0) {
		if (strcmp(val, "1") != 0)
			return BAD("flags take the value 1");
		if (key[4] == 'c')
			pf->any_challenge = true;
		else
			pf->any_rim = true;
	} else {
		return BAD("unknown key");
	}
#undef BAD
	return 0;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int load_policy(struct policy_file *pf, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[8448];
	int lineno = 0, rc = 0;

	if (!f)
		return die(EXIT_IO, "%s: %s", path, strerror(errno));
	pf->pol.size = sizeof(pf->pol);
	pf->pol.rims = pf->rims;
	pf->pol.platform_keys = pf->keys;
	while (!rc && fgets(line, sizeof(line), f)) {
		lineno++;
		char *s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			rc = die(EXIT_USAGE, "%s:%d: expected 'key = value'", path, lineno);
			break;
		}
		*eq = '\0';
		rc = policy_line(pf, path, lineno, trim(s), trim(eq + 1));
	}
	fclose(f);
	if (rc)
		return rc;
	if (pf->any_challenge) {
		if (pf->pol.challenge)
			return die(EXIT_USAGE, "%s: challenge and any_challenge conflict", path);
		pf->pol.flags |= CAEC_VERIFY_F_ANY_CHALLENGE;
	} else if (!pf->pol.challenge) {
		return die(EXIT_USAGE, "%s: no challenge (add 'any_challenge = 1' "
			   "to skip the freshness check)", path);
	}
	if (pf->any_rim) {
		if (pf->pol.n_rims)
			return die(EXIT_USAGE, "%s: rim and any_rim conflict", path);
		pf->pol.flags |= CAEC_VERIFY_F_ANY_RIM;
	} else if (!pf->pol.n_rims) {
		return die(EXIT_USAGE, "%s: no rim (add 'any_rim = 1' to accept any)", path);
	}
	if (pf->pol.grant_hash_len && !pf->pol.grant_id)
		return die(EXIT_USAGE, "%s: grant_hash needs grant_id", path);
	return 0;
}

static const struct cli_opt verify_opts[] = {
	{ "policy", 'p', "POLICYFILE", "what the token must show: 'key = value' lines "
	  "(docs/attestation.md); required" },
	{ "platform-key", 'k', "PEMFILE", "a platform public key to accept (PEM); "
	  "repeatable, added to the policy's platform_key lines (default: those alone)" },
	{ NULL },
};

static int cmd_verify(int argc, char **argv)
{
	static struct cli cli = {
		.prog = "caec-token verify",
		.usage = "FILE --policy POLICYFILE [--platform-key PEMFILE]...",
		.about = "Verify the token in FILE against a policy: signatures (platform "
			 "key, realm attestation key), freshness, measurements, and the "
			 "policy's claims.  Prints VERIFIED or REJECTED with the reason.",
		.opts = verify_opts,
		.footer = exit_statuses,
	};
	static struct policy_file pf;
	static uint8_t tok[CAEC_TOKEN_MAX_SIZE];
	static struct caec_token_claims c;
	const char *file = NULL, *policy = NULL, *arg;
	const char *pems[MAX_KEYS];
	size_t n_pems = 0, len;
	int rc, o;

	while ((o = cli_next(&cli, argc, argv, &arg)) != -1) {
		if (o == 'p') {
			policy = arg;
		} else if (o == 'k') {
			if (n_pems == MAX_KEYS)
				cli_usage_error(&cli, "more than %d --platform-key", MAX_KEYS);
			pems[n_pems++] = arg;
		}
	}
	int first = cli_operand_index();
	if (argc - first != 1)
		cli_usage_error(&cli, "expected one FILE, got %d operands", argc - first);
	file = argv[first];
	if (!policy)
		cli_usage_error(&cli, "--policy is required");
	rc = load_policy(&pf, policy);
	if (rc)
		return rc;
	for (size_t i = 0; i < n_pems; i++) {
		size_t k = pf.pol.n_platform_keys;
		if (k == MAX_KEYS)
			return die(EXIT_USAGE, "too many platform keys");
		rc = read_file(pems[i], pf.key_bufs[k], sizeof(pf.key_bufs[k]), &len);
		if (rc)
			return rc;
		pf.keys[k] = (struct caec_platform_key_ref){ pf.key_bufs[k], len };
		pf.pol.n_platform_keys++;
	}
	if (pf.pol.n_platform_keys == 0)
		return die(EXIT_USAGE, "verify: no platform key (--platform-key or "
			   "platform_key = in the policy)");
	rc = read_file(file, tok, sizeof(tok), &len);
	if (rc)
		return rc;
	c.size = sizeof(c);
	rc = caec_token_verify(tok, len, &pf.pol, &c);
	if (rc == CAEC_E_INVAL)
		return die(EXIT_USAGE, "verify: policy refused: %s", caec_strerror(rc));
	if (rc < 0) {
		printf("REJECTED %s: %s (%s)\n", file, caec_errname(rc), caec_strerror(rc));
		return EXIT_REJECTED;
	}
	printf("VERIFIED %s: realm %016" PRIx64 ", %" PRIu32 " CSM relation(s)%s\n",
	       file, c.realm_id, c.n_relations,
	       (pf.pol.flags & CAEC_VERIFY_F_ANY_CHALLENGE) ?
	       " (freshness NOT checked: any_challenge)" : "");
	return EXIT_OK;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "get", cmd_get },
	{ "platform-key", cmd_platform_key },
	{ "dump", cmd_dump },
	{ "verify", cmd_verify },
};

int main(int argc, char **argv)
{
	static struct cli cli = {
		.prog = "caec-token",
		.usage = "get [--challenge HEX | --random] [-o FILE]\n"
			 "platform-key [-o FILE]\n"
			 "dump FILE\n"
			 "verify FILE --policy POLICYFILE [--platform-key PEMFILE]...\n"
			 "COMMAND --help",
		.about = "Attestation tokens from the command line (docs/attestation.md):\n"
			 "  get           this realm's token, from the platform\n"
			 "  platform-key  the platform's attestation public key (PEM)\n"
			 "  dump          print a token's claims, unverified\n"
			 "  verify        check a token against a policy file\n"
			 "'caec-token COMMAND --help' lists a command's options.  get and "
			 "platform-key reach caec-simd at $CAEC_SIM_SOCKET (else its default "
			 "socket), or /dev/caec in a realm.",
		.footer = exit_statuses,
		.stop_at_operand = 1,
	};
	const char *arg;

	while (cli_next(&cli, argc, argv, &arg) != -1)
		;
	int first = cli_operand_index();
	if (first == argc)
		cli_usage_error(&cli, "missing command (get, platform-key, dump or verify)");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[first], commands[i].name) == 0)
			return commands[i].run(argc - first, argv + first);
	cli_usage_error(&cli, "unknown command '%s'", argv[first]);
}
