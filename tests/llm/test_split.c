/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Two models talking: caec-gpt2-split runs the tiny model split across two
 * realm processes, over a CSM channel (after attestation) and over the
 * AES-256-GCM plain-shared-memory baseline, at several split points, and
 * exits non-zero unless both produce bit-identical output (sampled tokens
 * and final logits) to the unsplit model.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_middle_equals_unsplit),
		cmocka_unit_test(test_split_edges_equal_unsplit),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
