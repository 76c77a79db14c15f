/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The measurement describes the code that speaks for the realm.
 *
 * A grant policy names a consumer's RIM.  Code the executable file does
 * not contain -- a library forced in with LD_PRELOAD, or a program run
 * through the dynamic loader (ld.so PROGRAM, where the executable is the
 * loader) -- must change the measurement, so a policy naming the clean
 * program's RIM refuses it.  The realms here are separate programs
 * (caec-test-realm, started as the attack needs).
 */
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "adv_util.h"
#include "simd_fixture.h"

static struct caec_test_simd simd;

static int setup(void **state)
{
	(void)state;
	return caec_test_start_simd(&simd, NULL) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return caec_test_stop_simd(&simd) == 0 ? 0 : -1;
}

/* A running caec-test-realm in "rim" mode. */
struct helper {
	pid_t pid;
	FILE *in, *out;
	char rim[160];
	uint64_t id;
};

/* Start argv (argv[0] is the program) with up to two extra environment
 * entries (NULL: none). */
static void helper_start2(struct helper *h, const char *const *argv, const char *env1,
			  const char *env2)
{
	int to[2], from[2];
	assert_int_equal(pipe(to), 0);
	assert_int_equal(pipe(from), 0);
	h->pid = fork();
	assert_true(h->pid >= 0);
	if (h->pid == 0) {
		dup2(to[0], 0);
		dup2(from[1], 1);
		close(to[1]);
		close(from[0]);
		if (env1)
			putenv((char *)env1);
		if (env2)
			putenv((char *)env2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	h->in = fdopen(to[1], "w");
	h->out = fdopen(from[0], "r");
	char line[256];
	assert_non_null(fgets(line, sizeof(line), h->out));
	if (sscanf(line, "RIM %159s", h->rim) != 1)
		fail_msg("helper: %s", line);
	assert_non_null(fgets(line, sizeof(line), h->out));
	assert_int_equal(sscanf(line, "ID %" SCNx64, &h->id), 1);
}

static void helper_start(struct helper *h, const char *const *argv, const char *env1)
{
	helper_start2(h, argv, env1, NULL);
}

static const char *helper_attach(struct helper *h, uint64_t grant)
{
	static char line[256];
	fprintf(h->in, "attach %016" PRIx64 "\n", grant);
	fflush(h->in);
	assert_non_null(fgets(line, sizeof(line), h->out));
	line[strcspn(line, "\n")] = '\0';
	return line + 7; /* after "ATTACH " */
}

static void helper_stop(struct helper *h)
{
	fprintf(h->in, "quit\n");
	fclose(h->in);
	fclose(h->out);
	assert_int_equal(wait_child(h->pid), 0);
}

static const char *helper_path(void)
{
	static char p[512];
	const char *b = getenv("CAEC_BUILD_ROOT");
	assert_non_null(b);
	snprintf(p, sizeof(p), "%s/tests/adversarial/caec-test-realm", b);
	return p;
}

static void hex_rim(const char *hex, struct caec_grant_policy *pol)
{
	memset(pol, 0, sizeof(*pol));
	pol->size = sizeof(*pol);
	pol->rim_len = (uint32_t)strlen(hex) / 2;
	for (uint32_t i = 0; i < pol->rim_len; i++)
		assert_int_equal(sscanf(hex + 2 * i, "%2hhx", &pol->rim[i]), 1);
}

/*
 * LD_PRELOAD: the same executable with a preloaded library measures
 * differently, and a grant whose policy names the clean program's RIM
 * cannot be attached by it; the clean program attaches.
 */
static void test_measure_preloaded_code_changes_the_rim(void **state)
{
	(void)state;
	const char *b = getenv("CAEC_BUILD_ROOT");
	char env[600];
	snprintf(env, sizeof(env), "LD_PRELOAD=%s/tests/adversarial/libcaec_test_preload.so", b);
	const char *argv[] = { helper_path(), "rim", NULL };
	struct helper clean, pre;
	helper_start(&clean, argv, NULL);
	/* Under ASan the runtime must come first; preloading anything else
	 * first is what this test does on purpose. */
	helper_start2(&pre, argv, env, "ASAN_OPTIONS=verify_asan_link_order=0");
	assert_string_not_equal(clean.rim, pre.rim);

	struct caec_ctx *ctx;
	struct caec_region *r;
	struct caec_grant_policy pol;
	uint64_t g_clean, g_pre;
	assert_caec_ok(caec_open(&ctx, NULL));
	assert_caec_ok(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r));
	hex_rim(clean.rim, &pol);
	assert_caec_ok(caec_grant(r, clean.id, CAEC_PERM_RO, &pol, &g_clean));
	assert_caec_ok(caec_grant(r, pre.id, CAEC_PERM_RO, &pol, &g_pre));
	assert_string_equal(helper_attach(&clean, g_clean), "CAEC_OK");
	assert_string_equal(helper_attach(&pre, g_pre), "CAEC_E_DENIED");
	helper_stop(&clean);
	helper_stop(&pre);
	assert_caec_ok(caec_unshare(r));
	caec_close(ctx);
}

/* The dynamic loader this test runs with (its PT_INTERP), from our maps. */
static void find_loader(char *out, size_t cap)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	out[0] = '\0';
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, '/');
		if (p && strstr(p, "/ld-linux")) {
			p[strcspn(p, "\n")] = '\0';
			snprintf(out, cap, "%s", p);
			break;
		}
	}
	fclose(f);
	if (!out[0])
		skip();
}

/*
 * ld.so PROGRAM: the executable is the loader, for every program run that
 * way.  Two different programs run through it must not measure the same,
 * and neither measures like the program run directly.
 */
static void test_measure_programs_run_by_the_loader_differ(void **state)
{
	(void)state;
	char ld[256], dir[64], copy[128], cmd[1024];
	find_loader(ld, sizeof(ld));
	snprintf(dir, sizeof(dir), "/tmp/caec-measure-XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0755), 0);
	/* Another program: the same one with a byte more (ignored when it
	 * runs, but a different file). */
	snprintf(copy, sizeof(copy), "%s/other-realm", dir);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && printf x >> '%s'", helper_path(), copy, copy);
	assert_int_equal(system(cmd), 0);

	const char *direct[] = { helper_path(), "rim", NULL };
	const char *via1[] = { ld, helper_path(), "rim", NULL };
	const char *via2[] = { ld, copy, "rim", NULL };
	/* The copy is elsewhere: its $ORIGIN run path finds no libcaec. */
	static char libpath[600];
	snprintf(libpath, sizeof(libpath), "LD_LIBRARY_PATH=%s/src", getenv("CAEC_BUILD_ROOT"));
	struct helper h0, h1, h2;
	helper_start(&h0, direct, NULL);
	helper_start(&h1, via1, libpath);
	helper_start(&h2, via2, libpath);
	assert_string_not_equal(h1.rim, h2.rim);
	assert_string_not_equal(h0.rim, h1.rim);
	helper_stop(&h0);
	helper_stop(&h1);
	helper_stop(&h2);
	unlink(copy);
	rmdir(dir);
}

int main(void)
{
	caec_test_filter();
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_measure_preloaded_code_changes_the_rim, setup, teardown),
		cmocka_unit_test_setup_teardown(test_measure_programs_run_by_the_loader_differ, setup, teardown),
	};
	return cmocka_run_group_tests_name("measurement of what speaks", tests, NULL, NULL);
}
