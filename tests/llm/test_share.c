/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Weight sharing against a real caec-simd: a provider realm seals the model
 * in a CSM region and grants it, after verifying the consumer's token, to a
 * consumer realm, which runs inference on the read-only shared mapping.
 * Shared-mode output equals private-mode output; the wrong content hash,
 * a stale challenge and writes to the shared weights are refused.
 *
 * Each realm is a caec context (the sim platform gives each connection its
 * own realm ID); the test runs both in one process so that it can compare
 * their memory directly.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <mbedtls/sha256.h>

#include <caec/attest.h>
#include <caec/caec.h>

#include "caec_test.h"
#include "engine.h"
#include "gen.h"
#include "share.h"
#include "simd_fixture.h"

static struct caec_test_simd simd;
static char tmpdir[64], path[128], path_big[128];

static int setup(void **state)
{
	(void)state;
	struct llm_gen_opts o;
	char err[256];

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/caec-test-share-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(path, sizeof(path), "%s/tiny.gguf", tmpdir);
	llm_gen_shape(&o, "tiny");
	if (llm_gen_write(&o, path, err, sizeof(err)))
		return -1;
	/* a second model with a larger vocabulary (a consumer may move to
	 * another model after a revocation) */
	snprintf(path_big, sizeof(path_big), "%s/big-vocab.gguf", tmpdir);
	o.n_vocab = 2048;
	if (llm_gen_write(&o, path_big, err, sizeof(err)))
		return -1;
	return caec_test_start_simd(&simd, NULL);
}

static int teardown(void **state)
{
	(void)state;
	int rc = caec_test_stop_simd(&simd);
	unlink(path);
	unlink(path_big);
	rmdir(tmpdir);
	return rc == 0 ? 0 : -1;
}

struct pair {
	struct caec_ctx *prov, *cons;
	uint64_t cons_id;
	struct caec_region *r;
	uint8_t hash[CAEC_HASH_MAX];
	int hash_len;
	size_t fsize;
};

static void provide(struct pair *p)
{
	char err[256];

	memset(p, 0, sizeof(*p));
	assert_caec_ok(caec_open(&p->prov, NULL));
	assert_caec_ok(caec_open(&p->cons, NULL));
	assert_caec_ok(caec_self_id(p->cons, &p->cons_id));
	p->hash_len = llm_share_provide(p->prov, path, &p->r, p->hash, &p->fsize,
					err, sizeof(err));
	if (p->hash_len < 0)
		fail_msg("provide: %s", err);
	assert_true(caec_region_is_sealed(p->r));
}

static uint64_t grant(struct pair *p)
{
	uint8_t ch[CAEC_CHALLENGE_SIZE], tok[CAEC_TOKEN_MAX_SIZE];
	uint64_t sid;

	assert_caec_ok(llm_share_challenge(ch));
	int n = llm_share_token(p->cons, ch, tok, sizeof(tok));
	assert_caec_ok(n);
	assert_caec_ok(llm_share_grant_verified(p->prov, p->r, p->cons_id, ch, tok,
						(size_t)n, &sid));
	return sid;
}

static void release(struct pair *p)
{
	caec_close(p->cons);
	caec_close(p->prov);
}

static uint64_t generate(const void *img, size_t size, float *logits)
{
	struct llm_engine e;
	struct gpt2_state s;
	struct gpt2_sampler sp = {.temperature = 0.8f, .rng = 42};
	struct llm_gen_result res;
	char err[256];

	if (llm_engine_init(&e, img, size, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(gpt2_state_init(&s, &e.model, 0, e.model.hp.n_layer, 64, 32), 0);
	assert_int_equal(llm_generate(&e, &s, &sp, llm_bench_prompts[0], 32, 24,
				      NULL, logits, &res), 0);
	gpt2_state_fini(&s);
	llm_engine_fini(&e);
	return res.checksum;
}

/* The consumer computes on the shared read-only mapping, and its output
 * (sampled tokens and final logits) equals the private-memory baseline. */
static void test_share_output_equals_private(void **state)
{
	(void)state;
	struct pair p;
	struct caec_region *cr;
	float lp[512], lc[512], lv[512];
	char err[256];
	size_t sz, msz;

	provide(&p);
	uint64_t sid = grant(&p);
	assert_caec_ok(llm_share_attach(p.cons, sid, p.hash, (size_t)p.hash_len, &cr));
	assert_int_equal(caec_region_perm(cr), CAEC_PERM_RO);
	assert_ptr_not_equal(caec_region_addr(cr), caec_region_addr(p.r));
	void *priv = llm_image_load(path, &sz, &msz, err, sizeof(err));
	assert_non_null(priv);
	assert_int_equal(sz, p.fsize);
	uint64_t hp = generate(priv, sz, lp);
	uint64_t hc = generate(caec_region_addr(cr), caec_region_size(cr), lc);
	uint64_t hv = generate(caec_region_addr(p.r), p.fsize, lv);
	assert_int_equal(hp, hc);
	assert_int_equal(hp, hv);
	assert_memory_equal(lp, lc, sizeof(lp));
	llm_image_free(priv, msz);
	assert_caec_ok(caec_detach(cr));
	release(&p);
}

/* The sealed hash is SHA-256 of the model padded to the region size, so a
 * consumer that knows the model can compute it itself; a wrong hash makes
 * the platform refuse the attach. */
static void test_share_requires_sealed_hash(void **state)
{
	(void)state;
	struct pair p;
	struct caec_region *cr = NULL;
	uint8_t want[32];
	char err[256];
	size_t sz, msz;

	provide(&p);
	assert_int_equal(p.hash_len, 32);
	uint8_t *img = llm_image_load(path, &sz, &msz, err, sizeof(err));
	assert_non_null(img);
	assert_int_equal(mbedtls_sha256_ret(img, msz, want, 0), 0);
	assert_memory_equal(want, p.hash, 32);
	llm_image_free(img, msz);
	uint64_t sid = grant(&p);
	uint8_t bad[32];
	memcpy(bad, p.hash, 32);
	bad[7] ^= 1;
	assert_caec_err(llm_share_attach(p.cons, sid, bad, 32, &cr), CAEC_E_HASH);
	assert_caec_ok(llm_share_attach(p.cons, sid, p.hash, 32, &cr));
	assert_caec_ok(caec_detach(cr));
	release(&p);
}

/* A token made for another challenge is not accepted, and nothing is
 * granted. */
static void test_share_grant_needs_fresh_token(void **state)
{
	(void)state;
	struct pair p;
	uint8_t ch1[CAEC_CHALLENGE_SIZE], ch2[CAEC_CHALLENGE_SIZE];
	uint8_t tok[CAEC_TOKEN_MAX_SIZE];
	uint64_t sid = 0;

	provide(&p);
	assert_caec_ok(llm_share_challenge(ch1));
	assert_caec_ok(llm_share_challenge(ch2));
	assert_memory_not_equal(ch1, ch2, sizeof(ch1));
	int n = llm_share_token(p.cons, ch1, tok, sizeof(tok));
	assert_caec_ok(n);
	assert_caec_err(llm_share_grant_verified(p.prov, p.r, p.cons_id, ch2, tok,
						 (size_t)n, &sid), CAEC_E_CHALLENGE);
	/* nor is the right token presented for a different realm ID */
	assert_caec_err(llm_share_grant_verified(p.prov, p.r, p.cons_id + 1, ch1,
						 tok, (size_t)n, &sid), CAEC_E_REALM_ID);
	assert_caec_count(caec_grant_list(p.cons, NULL, 0), 0);
	release(&p);
}

/* The consumer's mapping of the weights cannot be written: a store
 * faults (checked in a child process). */
static void test_share_weights_are_read_only(void **state)
{
	(void)state;
	struct pair p;
	struct caec_region *cr;
	int st;

	provide(&p);
	uint64_t sid = grant(&p);
	assert_caec_ok(llm_share_attach(p.cons, sid, p.hash, (size_t)p.hash_len, &cr));
	volatile uint8_t *w = caec_region_addr(cr);
	uint8_t before = w[100];
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL); /* not cmocka's handler */
		w[100] = (uint8_t)(before + 1);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGSEGV);
	assert_int_equal(w[100], before);
	assert_caec_ok(caec_detach(cr));
	release(&p);
}

/* ---- a consumer realm driven over its line protocol ------------------ */

struct served {
	pid_t pid;
	FILE *in, *out; /* our ends: commands in, replies out */
};

static void serve_start(struct served *sv, const char *mode)
{
	const char *build = getenv("CAEC_BUILD_ROOT");
	char exe[512];
	int to[2], from[2];

	assert_non_null(build);
	snprintf(exe, sizeof(exe), "%s/examples/llm/caec-gpt2", build);
	assert_int_equal(pipe(to), 0);
	assert_int_equal(pipe(from), 0);
	sv->pid = fork();
	assert_true(sv->pid >= 0);
	if (sv->pid == 0) {
		dup2(to[0], 0);
		dup2(from[1], 1);
		close(to[0]); close(to[1]); close(from[0]); close(from[1]);
		execl(exe, exe, "serve", "--mode", mode, (char *)NULL);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	sv->in = fdopen(to[1], "w");
	sv->out = fdopen(from[0], "r");
	assert_non_null(sv->in);
	assert_non_null(sv->out);
}

/* Read one reply line into buf. */
static void serve_read(struct served *sv, char *buf, size_t cap)
{
	if (!fgets(buf, (int)cap, sv->out))
		fail_msg("caec-gpt2 serve closed its output");
}

/* Send one command line and read its one-line reply into buf. */
static void serve_cmd(struct served *sv, char *buf, size_t cap,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void serve_cmd(struct served *sv, char *buf, size_t cap,
		      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(sv->in, fmt, ap);
	va_end(ap);
	fputc('\n', sv->in);
	fflush(sv->in);
	serve_read(sv, buf, cap);
}

/* A hostile provider seals a region that is not a model and grants it:
 * the consumer refuses it with an error (it checks the GGUF inside the
 * mapping against the mapping's size) and stays usable: it can still
 * attach a good grant afterwards and run on it.  Before the fix the bad
 * region stayed attached and every later attach failed.  Then the
 * provider destroys the good region: the consumer's next run fails
 * cleanly instead of faulting on the revoked mapping. */
static void test_share_consumer_survives_hostile_provider(void **state)
{
	(void)state;
	struct served sv;
	struct caec_ctx *prov;
	struct caec_region *bad, *good;
	uint8_t hash[CAEC_HASH_MAX], ghash[CAEC_HASH_MAX];
	char hex[2 * CAEC_HASH_MAX + 1], line[512], err[256];
	uint64_t cid, sid;
	size_t fsize;
	int st;

	serve_start(&sv, "consumer");
	serve_read(&sv, line, sizeof(line));
	assert_int_equal(sscanf(line, "ready consumer %" SCNu64, &cid), 1);
	assert_caec_ok(caec_open(&prov, NULL));

	/* a GGUF image whose tensor lies far beyond the region's end */
	assert_caec_ok(caec_share(prov, CAEC_GRANULE_SIZE, 0, &bad));
	uint8_t *b = caec_region_addr(bad);
	memset(b, 0, CAEC_GRANULE_SIZE);
	/* header: magic, version 3, 1 tensor, 0 keys; then tensor "x",
	 * 1 dimension of 2^20 f32 elements (4 MiB) at data offset 0 */
	const uint32_t magic = GGUF_MAGIC, ver = 3, ndims = 1, f32 = 0;
	const uint64_t nt = 1, nkv = 0, nlen = 1, ne0 = 1u << 20, off = 0;
	size_t o = 0;
	memcpy(b + o, &magic, 4); o += 4;
	memcpy(b + o, &ver, 4); o += 4;
	memcpy(b + o, &nt, 8); o += 8;
	memcpy(b + o, &nkv, 8); o += 8;
	memcpy(b + o, &nlen, 8); o += 8;
	b[o++] = 'x';
	memcpy(b + o, &ndims, 4); o += 4;
	memcpy(b + o, &ne0, 8); o += 8;
	memcpy(b + o, &f32, 4); o += 4;
	memcpy(b + o, &off, 8);
	int hl = caec_seal(bad, hash, sizeof(hash));
	assert_caec_ok(hl);
	assert_caec_ok(caec_grant(bad, cid, CAEC_PERM_RO, NULL, &sid));
	llm_hex_encode(hash, (size_t)hl, hex);
	serve_cmd(&sv, line, sizeof(line), "attach %" PRIu64 " %s", sid, hex);
	assert_non_null(strstr(line, "error"));
	assert_non_null(strstr(line, "tensor data outside the file"));

	int ghl = llm_share_provide(prov, path, &good, ghash, &fsize, err,
				    sizeof(err));
	if (ghl < 0)
		fail_msg("provide: %s", err);
	assert_caec_ok(caec_grant(good, cid, CAEC_PERM_RO, NULL, &sid));
	llm_hex_encode(ghash, (size_t)ghl, hex);
	serve_cmd(&sv, line, sizeof(line), "attach %" PRIu64 " %s", sid, hex);
	char want[64];
	snprintf(want, sizeof(want), "attached %" PRIu64, sid);
	assert_true(strncmp(line, want, strlen(want)) == 0);
	serve_cmd(&sv, line, sizeof(line), "%s", "run 1 8 4");
	assert_true(strncmp(line, "done ", 5) == 0);

	/* The provider takes the weights back: the next run is refused with
	 * an error (before the fix the consumer read the now-inaccessible
	 * mapping and died of SIGSEGV), and the realm still answers. */
	assert_caec_ok(caec_unshare(good));
	serve_cmd(&sv, line, sizeof(line), "%s", "run 1 8 4");
	assert_non_null(strstr(line, "revoked"));

	/* ...and it can move to another model, here with a 4x larger
	 * vocabulary (its logits buffer must follow: ASan run) */
	ghl = llm_share_provide(prov, path_big, &good, ghash, &fsize, err,
				sizeof(err));
	if (ghl < 0)
		fail_msg("provide: %s", err);
	assert_caec_ok(caec_grant(good, cid, CAEC_PERM_RO, NULL, &sid));
	llm_hex_encode(ghash, (size_t)ghl, hex);
	serve_cmd(&sv, line, sizeof(line), "attach %" PRIu64 " %s", sid, hex);
	snprintf(want, sizeof(want), "attached %" PRIu64, sid);
	assert_true(strncmp(line, want, strlen(want)) == 0);
	serve_cmd(&sv, line, sizeof(line), "%s", "run 1 8 4");
	assert_true(strncmp(line, "done ", 5) == 0);

	/* Revocation *during* a run: a run far too long to finish is under
	 * way when the provider destroys the region.  The consumer's engine
	 * holds the region only one token at a time (caec_region_enter), so
	 * the run stops between two tokens with an error instead of
	 * faulting on the withdrawn mapping. */
	fprintf(sv.in, "run 1000000 8 4\n");
	fflush(sv.in);
	nanosleep(&(struct timespec){ 0, 200 * 1000 * 1000 }, NULL);
	assert_caec_ok(caec_unshare(good));
	serve_read(&sv, line, sizeof(line));
	assert_non_null(strstr(line, "revoked"));

	serve_cmd(&sv, line, sizeof(line), "%s", "quit");
	assert_true(strncmp(line, "bye", 3) == 0);
	fclose(sv.in);
	fclose(sv.out);
	assert_int_equal(waitpid(sv.pid, &st, 0), sv.pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_caec_ok(caec_unshare(bad));
	caec_close(prov);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_share_output_equals_private),
		cmocka_unit_test(test_share_requires_sealed_hash),
		cmocka_unit_test(test_share_grant_needs_fresh_token),
		cmocka_unit_test(test_share_weights_are_read_only),
		cmocka_unit_test(test_share_consumer_survives_hostile_provider),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
