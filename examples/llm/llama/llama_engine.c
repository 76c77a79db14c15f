/* SPDX-License-Identifier: Apache-2.0 */
/*
 * llama.cpp behind the serve protocol (serve.h): the same realms, prompts
 * and greedy generation as caec's engine, computed by llama.cpp itself
 * (llama_dl.h) on the model where it lies:
 *
 *   private   a copy of the file in a memfd of this realm's process -- the
 *             realm's own page cache, as in a VM that read the file --
 *             mmapped by llama.cpp.  Not the host file itself: its
 *             page-cache pages would be shared between processes.
 *   region    the sealed CSM region, through caec_region_export_fd(),
 *             mmapped by llama.cpp: one copy for every realm.
 *
 * Either way llama.cpp maps the file (MAP_SHARED, read-only) and runs on
 * it in place.  A consumer calls into llama.cpp only inside
 * caec_region_enter() sections, one per evaluated batch or token, so that
 * a revocation waits for the token being computed and the next one stops
 * (caec_region_export_fd(): the library then makes llama.cpp's mapping
 * inaccessible).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <caec/caec.h>

#include "lib/engine.h"
#include "llama_dl.h"
#include "llama_engine.h"
#include "serve.h"

struct llama_serve {
	struct llama_dl_model *m;
	struct caec_region *guard; /* an attached region, or NULL */
	void *copy;                /* private: our mapping of the memfd */
	size_t copy_size;
	uint32_t ctx_n, ctx_batch;
	int32_t *toks;
	size_t toks_cap;
};

static bool enter(struct llama_serve *s)
{
	return !s->guard || caec_region_enter(s->guard);
}

static void leave(struct llama_serve *s)
{
	if (s->guard)
		caec_region_leave(s->guard);
}

/* The file, copied into a new memfd of this process. */
static int private_copy(const char *path, size_t *size, char *err, size_t errlen)
{
	int in = open(path, O_RDONLY | O_CLOEXEC);
	int fd = memfd_create("caec-llama-private", MFD_CLOEXEC);
	char buf[1 << 16];
	size_t total = 0;

	if (in < 0 || fd < 0) {
		snprintf(err, errlen, "%s: %s", in < 0 ? path : "memfd_create", strerror(errno));
		goto fail;
	}
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "read %s: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		for (ssize_t o = 0; o < n;) {
			ssize_t w = write(fd, buf + o, (size_t)(n - o));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				snprintf(err, errlen, "memfd: %s", strerror(errno));
				goto fail;
			}
			o += w;
		}
		total += (size_t)n;
	}
	close(in);
	if (total == 0 || lseek(fd, 0, SEEK_SET) != 0) {
		snprintf(err, errlen, "%s is empty", path);
		close(fd);
		return -1;
	}
	*size = total;
	return fd;
fail:
	if (in >= 0)
		close(in);
	if (fd >= 0)
		close(fd);
	return -1;
}

/* llama.cpp on an open descriptor (closed here; the mapping stays). */
bool llm_llama_repack;

static struct llama_dl_model *load_fd(int fd, char *err, size_t errlen)
{
	FILE *fp = fdopen(fd, "rb");
	if (!fp) {
		snprintf(err, errlen, "fdopen: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	struct llama_dl_model *m = llama_dl_load(fp, llm_llama_repack, err, errlen);
	fclose(fp);
	return m;
}

static void *llama_load(const char *path, struct caec_region *r, size_t image_size,
			char *err, size_t errlen)
{
	struct llama_serve *s = calloc(1, sizeof(*s));

	(void)image_size; /* llama.cpp sizes the file itself (trailing zeros are harmless) */
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!r) {
		size_t size;
		int fd = private_copy(path, &size, err, errlen);
		if (fd < 0)
			goto fail;
		/* Our own view, touched once, so that the whole copy is in
		 * this realm's Pss -- llama.cpp unmaps the parts of the file
		 * that hold no tensor (docs/llm.md, memory accounting). */
		s->copy = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
		if (s->copy == MAP_FAILED) {
			s->copy = NULL;
			snprintf(err, errlen, "mmap: %s", strerror(errno));
			close(fd);
			goto fail;
		}
		s->copy_size = size;
		(void)llm_serve_prefault(s->copy, size);
		s->m = load_fd(fd, err, errlen);
		if (!s->m)
			goto fail;
		return s;
	}
	int fd, rc = caec_region_export_fd(r, 0, &fd);
	if (rc < 0) {
		snprintf(err, errlen, "caec_region_export_fd: %s", caec_strerror(rc));
		goto fail;
	}
	if (!caec_region_is_provider(r))
		s->guard = r;
	if (!enter(s)) {
		leave(s);
		close(fd);
		snprintf(err, errlen, "weights revoked");
		goto fail;
	}
	s->m = load_fd(fd, err, errlen);
	if (s->m)
		(void)llm_serve_prefault(caec_region_addr(r), caec_region_size(r));
	leave(s);
	if (!s->m)
		goto fail;
	return s;
fail:
	if (s->copy)
		munmap(s->copy, s->copy_size);
	free(s);
	return NULL;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static int32_t argmax(const float *v, int32_t n)
{
	int32_t best = 0;

	for (int32_t i = 1; i < n; i++)
		if (v[i] > v[best]) /* lowest index wins ties, as caec's sampler */
			best = i;
	return best;
}

/* One prompt: tokenize, force to n_prompt tokens, prefill, n_gen greedy
 * tokens.  *checksum covers the generated IDs and the final logits. */
static int one_prompt(struct llama_serve *s, const char *prompt, unsigned n_prompt,
		      unsigned n_gen, uint64_t *checksum)
{
	const int32_t nv = llama_dl_n_vocab(s->m);
	long nt;

	if (!enter(s)) {
		leave(s);
		return LLM_E_REVOKED;
	}
	nt = llama_dl_tokenize(s->m, prompt, NULL, 0);
	size_t need = (size_t)(nt > (long)n_prompt ? nt : (long)n_prompt);
	if (nt > 0 && need > s->toks_cap) {
		free(s->toks);
		s->toks = malloc(need * sizeof(int32_t));
		s->toks_cap = s->toks ? need : 0;
	}
	bool ok = nt > 0 && s->toks &&
		  llama_dl_tokenize(s->m, prompt, s->toks, s->toks_cap) == nt;
	leave(s);
	if (!ok)
		return -1;
	for (unsigned i = (unsigned)(nt < (long)n_prompt ? nt : (long)n_prompt); i < n_prompt; i++)
		s->toks[i] = s->toks[i % nt]; /* repeat a short prompt */
	llama_dl_reset(s->m);
	if (!enter(s)) {
		leave(s);
		return LLM_E_REVOKED;
	}
	const float *logits = llama_dl_decode(s->m, s->toks, (int32_t)n_prompt);
	leave(s);
	if (!logits)
		return -1;
	uint64_t h = 0xcbf29ce484222325ull;
	for (unsigned g = 0; g < n_gen; g++) {
		int32_t id = argmax(logits, nv);
		h = fnv(h, &id, sizeof(id));
		/* One token per section: a revocation waits at most one
		 * token's compute, and the next token sees it. */
		if (!enter(s)) {
			leave(s);
			return LLM_E_REVOKED;
		}
		logits = llama_dl_decode(s->m, &id, 1);
		leave(s);
		if (!logits)
			return -1;
	}
	*checksum = fnv(h, logits, (size_t)nv * sizeof(float));
	return 0;
}

static int llama_run(void *arg, unsigned n_prompts, unsigned n_prompt, unsigned n_gen,
		     double *secs, double *cpu, uint64_t *sum)
{
	struct llama_serve *s = arg;
	char err[256];

	if (n_prompt == 0)
		return -1;
	/* The context is made at the first run and kept until the realm
	 * quits (as caec's engine keeps its KV cache). */
	if (!s->ctx_n || s->ctx_n < n_prompt + n_gen || s->ctx_batch < n_prompt) {
		if (llama_dl_context(s->m, n_prompt + n_gen, n_prompt, err, sizeof(err))) {
			fprintf(stderr, "caec-llama-serve: %s\n", err);
			return -1;
		}
		s->ctx_n = n_prompt + n_gen;
		s->ctx_batch = n_prompt;
	}
	uint64_t h = 0;
	double t0 = llm_serve_clock(CLOCK_MONOTONIC);
	double c0 = llm_serve_clock(CLOCK_PROCESS_CPUTIME_ID);
	for (unsigned i = 0; i < n_prompts; i++) {
		uint64_t c;
		int rc = one_prompt(s, llm_bench_prompts[i % 10], n_prompt, n_gen, &c);
		if (rc)
			return rc;
		h = h * 31 + c;
	}
	*secs = llm_serve_clock(CLOCK_MONOTONIC) - t0;
	*cpu = llm_serve_clock(CLOCK_PROCESS_CPUTIME_ID) - c0;
	*sum = h;
	return 0;
}

static void llama_unload(void *arg)
{
	struct llama_serve *s = arg;

	if (!s)
		return;
	llama_dl_free(s->m);
	if (s->copy)
		munmap(s->copy, s->copy_size);
	free(s->toks);
	free(s);
}

const struct llm_serve_engine llm_serve_llama = {
	.name = "llama.cpp",
	.load = llama_load,
	.run = llama_run,
	.unload = llama_unload,
};
