/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Two models talking: caec-gpt2-split runs the tiny model split across two
 * realm processes, over a CSM channel (after attestation) and over the
 * AES-256-GCM plain-shared-memory baseline, at several split points, and
 * exits non-zero unless both produce bit-identical output (sampled tokens
 * and final logits) to the unsplit model.  Without a daemon it starts its
 * own; bad options are usage errors that name the option.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "caec_test.h"
#include "gen.h"
#include "simd_fixture.h"

static struct caec_test_simd simd;
static char tmpdir[64], model[128];

static int setup(void **state)
{
	(void)state;
	struct llm_gen_opts o;
	char err[256];

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/caec-test-split-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(model, sizeof(model), "%s/tiny.gguf", tmpdir);
	llm_gen_shape(&o, "tiny");
	if (llm_gen_write(&o, model, err, sizeof(err)))
		return -1;
	return caec_test_start_simd(&simd, NULL);
}

static int teardown(void **state)
{
	(void)state;
	int rc = caec_test_stop_simd(&simd);
	unlink(model);
	rmdir(tmpdir);
	return rc == 0 ? 0 : -1;
}

static void run_split(unsigned k, unsigned gen)
{
	const char *build = getenv("CAEC_BUILD_ROOT");
	char cmd[1024], line[512];
	unsigned identical = 0;

	assert_non_null(build);
	snprintf(cmd, sizeof(cmd),
		 "%s/examples/pipeline/caec-gpt2-split -m %s --split %u "
		 "--prompts 3 --prompt-tokens 24 --gen-tokens %u --transport both",
		 build, model, k, gen);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p))
		if (strstr(line, "output bit-identical to the unsplit model"))
			identical++;
	int st = pclose(p);
	assert_int_equal(st, 0);
	assert_int_equal(identical, 2); /* csm and aesgcm */
}

/* Split in the middle, with generation. */
static void test_split_middle_equals_unsplit(void **state)
{
	(void)state;
	run_split(2, 12);
}

/* Degenerate splits: all layers in B, or all in A. */
static void test_split_edges_equal_unsplit(void **state)
{
	(void)state;
	run_split(0, 4);
	run_split(4, 4);
}

/* Runs caec-gpt2-split with args (and env_prefix, e.g. "env -u X"); returns
 * its exit status and its stdout and stderr in out. */
static int run_cli(const char *env_prefix, const char *args, char *out, size_t cap)
{
	const char *build = getenv("CAEC_BUILD_ROOT");
	char cmd[1024];
	size_t n = 0;

	assert_non_null(build);
	snprintf(cmd, sizeof(cmd), "%s %s/examples/pipeline/caec-gpt2-split -m %s %s 2>&1",
		 env_prefix, build, model, args);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	while (n + 1 < cap && fgets(out + n, (int)(cap - n), p))
		n += strlen(out + n);
	out[n] = '\0';
	int st = pclose(p);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* With no daemon given (no CAEC_SIM_SOCKET), csm starts its own, as the
 * benchmarks do, and both transports still match the unsplit model. */
static void test_split_starts_its_own_daemon(void **state)
{
	(void)state;
	static char out[8192];
	int rc = run_cli("env -u CAEC_SIM_SOCKET",
			 "--prompts 2 --prompt-tokens 16 --gen-tokens 4", out, sizeof(out));
	print_message("%s", out);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "csm: a private caec-simd"));
	const char *p = strstr(out, "output bit-identical");
	assert_non_null(p);
	assert_non_null(strstr(p + 1, "output bit-identical"));
}

/* Bad values are usage errors (exit 2) naming the option, before any run. */
static void test_split_rejects_bad_options(void **state)
{
	(void)state;
	static const struct { const char *args, *named; } bad[] = {
		{ "--transport tcp", "--transport: 'tcp' is not one of" },
		{ "--split two", "--split: 'two' is not a whole number" },
		{ "--split 5", "--split 5: the model has 4 layers" },
		{ "--prompts 0", "--prompts: '0'" },
		{ "--prompt-tokens 100 --gen-tokens 100",
		  "--prompt-tokens 100 + --gen-tokens 100 = 200 tokens" },
		{ "--bogus", "unknown option '--bogus'" },
	};
	static char out[8192];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = run_cli("", bad[i].args, out, sizeof(out));
		print_message("%s -> %d: %s", bad[i].args, rc, out);
		assert_int_equal(rc, 2);
		assert_non_null(strstr(out, bad[i].named));
		assert_null(strstr(out, "bit-identical"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_middle_equals_unsplit),
		cmocka_unit_test(test_split_edges_equal_unsplit),
		cmocka_unit_test(test_split_starts_its_own_daemon),
		cmocka_unit_test(test_split_rejects_bad_options),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
