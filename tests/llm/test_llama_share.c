/* SPDX-License-Identifier: Apache-2.0 */
/*
 * llama.cpp itself on shared weights, against a real caec-simd: a realm
 * running llama.cpp (caec-llama-serve, node-llama-cpp's prebuilt libllama)
 * attaches a sealed CSM copy of the model that this test provides, and
 * llama.cpp mmaps it through caec_region_export_fd():
 *
 * - its output equals a private llama.cpp realm's on the same file;
 * - when the provider takes the weights back between two runs, the next
 *   run is refused ("revoked") and the realm lives on;
 * - when it does so *during* a run, the run stops between two tokens with
 *   "revoked": llama.cpp's own mapping of the region was made inaccessible
 *   by the library (before the provider's caec_unshare() returned), and
 *   the realm called into llama.cpp only inside caec_region_enter()
 *   sections, so nothing faulted;
 * - a sealed region that is not a model is refused by llama.cpp with an
 *   error, and the realm attaches a good one afterwards.
 *
 *   test_llm_llama_share NPM_DIR
 *
 * Skips only if setup recorded that the npm set could not be installed.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <caec/caec.h>

#include "gen.h"
#include "npm_skip.h"
#include "share.h"
#include "simd_fixture.h"

#define CHECK(cond)                                                             \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,  \
				__LINE__, #cond);                               \
			exit(1);                                                \
		}                                                               \
	} while (0)

struct served {
	pid_t pid;
	FILE *in, *out;
};

static char lib[4096], exe[4096];

static void serve_start(struct served *sv, const char *mode, const char *model)
{
	int to[2], from[2];

	CHECK(pipe(to) == 0 && pipe(from) == 0);
	sv->pid = fork();
	CHECK(sv->pid >= 0);
	if (sv->pid == 0) {
		dup2(to[0], 0);
		dup2(from[1], 1);
		close(to[0]); close(to[1]); close(from[0]); close(from[1]);
		if (model)
			execl(exe, exe, "--mode", mode, "-m", model, "--llama-lib", lib,
			      (char *)NULL);
		else
			execl(exe, exe, "--mode", mode, "--llama-lib", lib, (char *)NULL);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	sv->in = fdopen(to[1], "w");
	sv->out = fdopen(from[0], "r");
	CHECK(sv->in && sv->out);
}

static void serve_read(struct served *sv, char *buf, size_t cap)
{
	if (!fgets(buf, (int)cap, sv->out)) {
		fprintf(stderr, "caec-llama-serve closed its output\n");
		exit(1);
	}
}

static void serve_cmd(struct served *sv, char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void serve_cmd(struct served *sv, char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(sv->in, fmt, ap);
	va_end(ap);
	fputc('\n', sv->in);
	fflush(sv->in);
	serve_read(sv, buf, cap);
}

/* "quit", and the realm exits 0 (it did not die of a fault). */
static void serve_quit(struct served *sv)
{
	char line[256];
	int st;

	serve_cmd(sv, line, sizeof(line), "%s", "quit");
	CHECK(strncmp(line, "bye", 3) == 0);
	fclose(sv->in);
	fclose(sv->out);
	CHECK(waitpid(sv->pid, &st, 0) == sv->pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "caec-llama-serve ended with status %#x%s\n", st,
			WIFSIGNALED(st) ? " (a signal)" : "");
		exit(1);
	}
}

/* Provide the model and grant it to consumer; attach it there. */
static struct caec_region *provide_attach(struct caec_ctx *prov, struct served *sv,
					  uint64_t cid, const char *model)
{
	struct caec_region *r;
	uint8_t hash[CAEC_HASH_MAX];
	char hex[2 * CAEC_HASH_MAX + 1], line[512], err[256], want[64];
	uint64_t gid;
	size_t fsize;

	int hl = llm_share_provide(prov, model, &r, hash, &fsize, err, sizeof(err));
	if (hl < 0) {
		fprintf(stderr, "provide: %s\n", err);
		exit(1);
	}
	CHECK(caec_grant(r, cid, CAEC_PERM_RO, NULL, &gid) == CAEC_OK);
	llm_hex_encode(hash, (size_t)hl, hex);
	serve_cmd(sv, line, sizeof(line), "attach %" PRIu64 " %s", gid, hex);
	snprintf(want, sizeof(want), "attached %" PRIu64, gid);
	if (strncmp(line, want, strlen(want))) {
		fprintf(stderr, "attach: %s", line);
		exit(1);
	}
	return r;
}

int main(int argc, char **argv)
{
	struct caec_test_simd simd;
	struct llm_gen_opts o;
	char dir[64], model[128], err[256], line[512], priv_done[128];
	const char *build = getenv("CAEC_BUILD_ROOT");

	if (argc != 2 || !build) {
		fprintf(stderr, "usage: test_llm_llama_share NPM_DIR (CAEC_BUILD_ROOT set)\n");
		return 2;
	}
	snprintf(lib, sizeof(lib),
		 "%s/llama/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64", argv[1]);
	char probe[4200];
	snprintf(probe, sizeof(probe), "%s/libggml-base.so", lib);
	npm_set_required(argv[1], "llama", probe);
	snprintf(exe, sizeof(exe), "%s/examples/llm/caec-llama-serve", build);

	snprintf(dir, sizeof(dir), "/tmp/caec-test-llama-share-XXXXXX");
	CHECK(mkdtemp(dir));
	snprintf(model, sizeof(model), "%s/tiny.gguf", dir);
	llm_gen_shape(&o, "tiny");
	CHECK(llm_gen_write(&o, model, err, sizeof(err)) == 0);
	CHECK(caec_test_start_simd(&simd, NULL) == 0);
	signal(SIGPIPE, SIG_IGN);

	/* the reference: a private llama.cpp realm */
	struct served pv;
	serve_start(&pv, "private", model);
	serve_read(&pv, line, sizeof(line));
	CHECK(strncmp(line, "ready private", 13) == 0);
	serve_cmd(&pv, priv_done, sizeof(priv_done), "%s", "run 2 16 8");
	CHECK(strncmp(priv_done, "done ", 5) == 0);
	serve_quit(&pv);
	char want_sum[32];
	CHECK(sscanf(priv_done, "done %*f %31s", want_sum) == 1);

	struct served sv;
	struct caec_ctx *prov;
	uint64_t cid;
	serve_start(&sv, "consumer", NULL);
	serve_read(&sv, line, sizeof(line));
	if (sscanf(line, "ready consumer %" SCNu64, &cid) != 1) {
		fprintf(stderr, "consumer: %s", line);
		return 1;
	}
	CHECK(caec_open(&prov, NULL) == CAEC_OK);

	/* a sealed region that is not a model: refused, the realm lives on */
	struct caec_region *bad;
	uint8_t hash[CAEC_HASH_MAX];
	char hex[2 * CAEC_HASH_MAX + 1];
	uint64_t gid;
	CHECK(caec_share(prov, CAEC_GRANULE_SIZE, 0, &bad) == CAEC_OK);
	memcpy(caec_region_addr(bad), "GGUF\3\0\0\0garbage", 15);
	int hl = caec_seal(bad, hash, sizeof(hash));
	CHECK(hl > 0);
	CHECK(caec_grant(bad, cid, CAEC_PERM_RO, NULL, &gid) == CAEC_OK);
	llm_hex_encode(hash, (size_t)hl, hex);
	serve_cmd(&sv, line, sizeof(line), "attach %" PRIu64 " %s", gid, hex);
	CHECK(strncmp(line, "error", 5) == 0);
	printf("not a model: %s", line);

	/* shared output equals private output */
	struct caec_region *good = provide_attach(prov, &sv, cid, model);
	serve_cmd(&sv, line, sizeof(line), "%s", "run 2 16 8");
	char got_sum[32];
	CHECK(sscanf(line, "done %*f %31s", got_sum) == 1);
	printf("private %s, shared %s\n", want_sum, got_sum);
	CHECK(strcmp(want_sum, got_sum) == 0);

	/* revoked between two runs */
	CHECK(caec_unshare(good) == CAEC_OK);
	serve_cmd(&sv, line, sizeof(line), "%s", "run 1 16 8");
	CHECK(strstr(line, "revoked"));

	/* revoked during a run far too long to finish: CAEC_OK means the
	 * consumer acknowledged, i.e. llama.cpp's mapping was gone */
	good = provide_attach(prov, &sv, cid, model);
	fprintf(sv.in, "run 1000000 16 8\n");
	fflush(sv.in);
	nanosleep(&(struct timespec){ 0, 300 * 1000 * 1000 }, NULL);
	int urc = caec_unshare(good);
	if (urc != CAEC_OK) {
		fprintf(stderr, "caec_unshare: %s\n", caec_errname(urc));
		return 1;
	}
	serve_read(&sv, line, sizeof(line));
	printf("during a run: %s", line);
	CHECK(strstr(line, "revoked"));

	/* and it runs again on a new grant */
	good = provide_attach(prov, &sv, cid, model);
	serve_cmd(&sv, line, sizeof(line), "%s", "run 2 16 8");
	CHECK(sscanf(line, "done %*f %31s", got_sum) == 1 && !strcmp(want_sum, got_sum));
	serve_quit(&sv);
	CHECK(caec_unshare(good) == CAEC_OK);
	CHECK(caec_unshare(bad) == CAEC_OK);
	caec_close(prov);
	CHECK(caec_test_stop_simd(&simd) == 0);
	unlink(model);
	rmdir(dir);
	printf("llama.cpp on a sealed CSM region: output equals private, revocation "
	       "stops it cleanly\n");
	return 0;
}
