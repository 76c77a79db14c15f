/* SPDX-License-Identifier: Apache-2.0 */
#include "engine.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errf.h"

int llm_engine_init(struct llm_engine *e, const void *image, size_t size,
		    char *err, size_t errlen)
{
	struct gguf_error ge;

	memset(e, 0, sizeof(*e));
	e->image = image;
	e->size = size;
	if (gguf_parse(&e->file, image, size, &ge))
		return llm_errf(err, errlen, "%s", ge.msg);
	if (gpt2_model_init(&e->model, &e->file, err, errlen)) {
		gguf_fini(&e->file);
		return -1;
	}
	if (bpe_init(&e->tok, &e->file, err, errlen)) {
		gpt2_model_fini(&e->model);
		gguf_fini(&e->file);
		return -1;
	}
	if (e->tok.n_vocab != e->model.hp.n_vocab) {
		llm_errf(err, errlen, "vocabulary has %u tokens, token_embd.weight %u",
			 e->tok.n_vocab, e->model.hp.n_vocab);
		llm_engine_fini(e);
		return -1;
	}
	return 0;
}

void llm_engine_fini(struct llm_engine *e)
{
	bpe_fini(&e->tok);
	gpt2_model_fini(&e->model);
	gguf_fini(&e->file);
}

long long llm_file_size(const char *path)
{
	struct stat st;

	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return -1;
	return (long long)st.st_size;
}

int llm_file_read_into(const char *path, void *dst, size_t cap, size_t *size,
		       char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	size_t done = 0;

	if (fd < 0)
		return llm_errf(err, errlen, "cannot open %s: %s", path, strerror(errno));
	if (fstat(fd, &st) || (uint64_t)st.st_size > cap) {
		close(fd);
		return llm_errf(err, errlen, "%s: too large (%lld bytes, room for %zu)",
				path, (long long)st.st_size, cap);
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, (char *)dst + done, (size_t)st.st_size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return llm_errf(err, errlen, "read %s: %s", path,
					n ? strerror(errno) : "unexpected end of file");
		}
		done += (size_t)n;
	}
	close(fd);
	*size = done;
	return 0;
}

void *llm_image_load(const char *path, size_t *size, size_t *mapped_size,
		     char *err, size_t errlen)
{
	long long fs = llm_file_size(path);

	if (fs < 0) {
		llm_errf(err, errlen, "cannot stat %s (missing or not a file)", path);
		return NULL;
	}
	size_t ms = ((size_t)fs + 4095) / 4096 * 4096;
	if (ms == 0)
		ms = 4096;
	void *p = mmap(NULL, ms, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		llm_errf(err, errlen, "mmap %zu bytes: %s", ms, strerror(errno));
		return NULL;
	}
	if (llm_file_read_into(path, p, ms, size, err, errlen)) {
		munmap(p, ms);
		return NULL;
	}
	*mapped_size = ms;
	return p;
}

void llm_image_free(void *p, size_t mapped_size)
{
	if (p)
		munmap(p, mapped_size);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

/* Enter the weights' guard; false (after leaving again) if they are gone. */
static bool weights_enter(const struct llm_engine *e)
{
	if (!e->guard.enter)
		return true;
	if (e->guard.enter(e->guard.arg))
		return true;
	e->guard.leave(e->guard.arg);
	return false;
}

static void weights_leave(const struct llm_engine *e)
{
	if (e->guard.leave)
		e->guard.leave(e->guard.arg);
}

int llm_generate(struct llm_engine *e, struct gpt2_state *s,
		 struct gpt2_sampler *sp, const char *prompt,
		 uint32_t n_prompt, uint32_t n_gen, int32_t *out_ids,
		 float *logits, struct llm_gen_result *res)
{
	const uint32_t E = e->model.hp.n_embd;
	size_t plen = strlen(prompt);
	int32_t *toks = NULL;
	float *x = NULL;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	gpt2_state_reset(s);
	if (n_prompt == 0 || n_prompt + n_gen > s->n_ctx)
		return -1;
	/* The vocabulary lives in the weights' image too. */
	if (!weights_enter(e))
		return LLM_E_REVOKED;
	long nt = bpe_encode(&e->tok, prompt, plen, NULL, 0);
	if (nt <= 0) {
		weights_leave(e);
		return -1;
	}
	toks = malloc((size_t)(nt > n_prompt ? nt : n_prompt) * sizeof(int32_t));
	x = malloc((size_t)s->n_batch * E * sizeof(float));
	bool enc_ok = toks && x && bpe_encode(&e->tok, prompt, plen, toks, (size_t)nt) == nt;
	weights_leave(e);
	if (!enc_ok)
		goto out;
	for (uint32_t i = (uint32_t)(nt < n_prompt ? nt : n_prompt); i < n_prompt; i++)
		toks[i] = toks[i % nt]; /* repeat a short prompt */
	for (uint32_t i = 0; i < n_prompt;) {
		uint32_t n = n_prompt - i < s->n_batch ? n_prompt - i : s->n_batch;
		if (!weights_enter(e)) {
			rc = LLM_E_REVOKED;
			goto out;
		}
		int erc = gpt2_eval(s, toks + i, n, x, logits);
		weights_leave(e);
		if (erc)
			goto out;
		i += n;
	}
	uint64_t h = 0xcbf29ce484222325ull;
	for (uint32_t g = 0; g < n_gen; g++) {
		int32_t id = gpt2_sample(sp, logits, e->model.hp.n_vocab);
		if (out_ids)
			out_ids[g] = id;
		h = fnv(h, &id, sizeof(id));
		/* One token per section: a revocation waits at most one
		 * token's compute, and the next token sees it. */
		if (!weights_enter(e)) {
			rc = LLM_E_REVOKED;
			goto out;
		}
		int erc = gpt2_eval(s, &id, 1, x, logits);
		weights_leave(e);
		if (erc)
			goto out;
	}
	h = fnv(h, logits, e->model.hp.n_vocab * sizeof(float));
	res->n_prompt = n_prompt;
	res->n_gen = n_gen;
	res->checksum = h;
	rc = 0;
out:
	free(toks);
	free(x);
	return rc;
}

const char *const llm_bench_prompts[10] = {
	"The history of the printing press begins in the fifteenth century, when "
	"a goldsmith in Mainz combined movable metal type, an oil-based ink and a "
	"screw press adapted from wine making.",
	"Confidential computing protects data in use by running computations in "
	"hardware-isolated environments whose memory the host cannot read.",
	"A recipe for a simple loaf: flour, water, salt and yeast are mixed, "
	"kneaded, left to rise twice, shaped and baked in a very hot oven.",
	"The committee met on Tuesday to discuss the budget for next year, the "
	"new parking rules, and the schedule for repairing the old bridge.",
	"In mathematics, a prime number is a natural number greater than one that "
	"is not a product of two smaller natural numbers.",
	"She opened the door slowly, listening for any sound from the dark hall, "
	"and then stepped inside with the lantern held high.",
	"Rivers carry sediment from mountains to the sea, building deltas, "
	"carving valleys and shaping the land over millions of years.",
	"To install the package, download the archive, extract it, run the "
	"configure script and then build it with make and make install.",
	"The orchestra tuned their instruments while the audience found their "
	"seats, and the conductor waited quietly at the side of the stage.",
	"Weather forecasts combine observations from satellites, balloons and "
	"ground stations with numerical models of the atmosphere.",
};
