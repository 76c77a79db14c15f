/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec's own GPT-2 engine behind the serve protocol (serve.h): it parses
 * the GGUF image in place -- a private copy, or the CSM region itself --
 * and keeps its inference state (KV cache, activations), allocated at the
 * first "run", until the realm quits, as a serving realm would.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <caec/caec.h>

#include "lib/engine.h"
#include "serve.h"

struct caec_serve {
	struct llm_engine e;
	void *priv;          /* private copy (llm_image_load), or NULL */
	size_t priv_msize;
	struct gpt2_state st;
	float *logits;
};

/* The engine's weights guard for a CSM consumer: an RCU section on the
 * region per token (see struct llm_guard). */
static bool region_guard_enter(void *arg)
{
	return caec_region_enter(arg) != NULL;
}

static void region_guard_leave(void *arg)
{
	caec_region_leave(arg);
}

static void *caec_load(const char *path, struct caec_region *r, size_t image_size,
		       char *err, size_t errlen)
{
	struct caec_serve *c = calloc(1, sizeof(*c));
	size_t size;

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!r) {
		c->priv = llm_image_load(path, &size, &c->priv_msize, err, errlen);
		if (!c->priv || llm_engine_init(&c->e, c->priv, size, err, errlen))
			goto fail;
		return c; /* read() made every page resident already */
	}
	/* The GGUF image is the region; trailing zero padding is harmless
	 * (the parser bounds everything by the tensors).  A consumer reads it
	 * only inside a section: the provider may take it back. */
	bool consumer = !caec_region_is_provider(r);
	bool ok = !consumer || caec_region_enter(r);
	int rc = ok ? llm_engine_init(&c->e, caec_region_addr(r), image_size, err, errlen)
		    : (snprintf(err, errlen, "weights revoked"), -1);
	if (rc == 0)
		(void)llm_serve_prefault(caec_region_addr(r), caec_region_size(r));
	if (consumer)
		caec_region_leave(r);
	if (rc)
		goto fail;
	if (consumer)
		c->e.guard = (struct llm_guard){ region_guard_enter, region_guard_leave, r };
	return c;
fail:
	llm_image_free(c->priv, c->priv_msize);
	free(c);
	return NULL;
}

static int caec_run(void *arg, unsigned n_prompts, unsigned n_prompt, unsigned n_gen,
		    double *secs, double *cpu, uint64_t *sum)
{
	struct caec_serve *c = arg;
	const struct gpt2_hparams *hp = &c->e.model.hp;
	uint32_t ctx = n_prompt + n_gen;

	if (n_prompt == 0 || ctx > hp->n_ctx)
		return -1;
	if (c->st.m && c->st.n_ctx < ctx)
		gpt2_state_fini(&c->st);
	if (!c->st.m && gpt2_state_init(&c->st, &c->e.model, 0, hp->n_layer, ctx,
					n_prompt < 128 ? n_prompt : 128))
		return -1;
	if (!c->logits)
		c->logits = malloc(hp->n_vocab * sizeof(float));
	if (!c->logits)
		return -1;
	uint64_t h = 0;
	double t0 = llm_serve_clock(CLOCK_MONOTONIC);
	double c0 = llm_serve_clock(CLOCK_PROCESS_CPUTIME_ID);
	for (unsigned i = 0; i < n_prompts; i++) {
		struct gpt2_sampler sp = {.temperature = 0.0f, .rng = i + 1};
		struct llm_gen_result res;
		int grc = llm_generate(&c->e, &c->st, &sp, llm_bench_prompts[i % 10],
				       n_prompt, n_gen, NULL, c->logits, &res);
		if (grc)
			return grc; /* -1, or LLM_E_REVOKED */
		h = h * 31 + res.checksum;
	}
	*secs = llm_serve_clock(CLOCK_MONOTONIC) - t0;
	*cpu = llm_serve_clock(CLOCK_PROCESS_CPUTIME_ID) - c0;
	*sum = h;
	return 0;
}

static void caec_unload(void *arg)
{
	struct caec_serve *c = arg;

	if (!c)
		return;
	if (c->st.m)
		gpt2_state_fini(&c->st);
	free(c->logits);
	llm_engine_fini(&c->e);
	llm_image_free(c->priv, c->priv_msize);
	free(c);
}

const struct llm_serve_engine llm_serve_caec = {
	.name = "caec",
	.load = caec_load,
	.run = caec_run,
	.unload = caec_unload,
};
