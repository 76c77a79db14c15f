/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One realm of the weight-sharing service (see serve.c for the line
 * protocol), for any inference engine: caec's own GPT-2 engine
 * (serve_caec.c, `caec-gpt2 serve`) or llama.cpp (llama/,
 * `caec-llama-serve`).
 */
#ifndef CAEC_LLM_SERVE_H
#define CAEC_LLM_SERVE_H

#include <stddef.h>
#include <stdint.h>

#include <caec/caec.h>

enum llm_serve_mode {
	LLM_SERVE_PRIVATE,
	LLM_SERVE_PROVIDER,
	LLM_SERVE_CONSUMER,
};

/** An inference engine behind the protocol. */
struct llm_serve_engine {
	const char *name;
	/**
	 * Load the model, either from the file at path into this realm's
	 * private memory (r == NULL), or from the region r -- this realm's
	 * own sealed region (provider) or an attached one (consumer) -- whose
	 * first image_size bytes are the GGUF file.  Every page of the model
	 * is touched once (docs/llm.md, memory accounting).  An attached
	 * region's memory may be withdrawn: the engine then reads it only
	 * inside caec_region_enter() sections.
	 * @returns the engine's state, or NULL with err set.
	 */
	void *(*load)(const char *path, struct caec_region *r, size_t image_size,
		      char *err, size_t errlen);
	/**
	 * Run n_prompts of the fixed prompts (llm_bench_prompts), each forced
	 * to n_prompt tokens, then n_gen greedy tokens.  *sum combines the
	 * generated tokens (and what else the engine can show), equal for
	 * equal outputs.
	 * @returns 0, LLM_E_REVOKED (the region went; stopped between two
	 *          tokens), or -1.
	 */
	int (*run)(void *e, unsigned n_prompts, unsigned n_prompt, unsigned n_gen,
		   double *secs, double *cpu, uint64_t *sum);
	/** Free everything, after the region (if any) was detached. */
	void (*unload)(void *e);
};

/** caec's own GPT-2 engine (examples/llm/lib). */
extern const struct llm_serve_engine llm_serve_caec;

/** @brief Serve one realm until "quit" or EOF on stdin.  Returns 0. */
int llm_serve(const struct llm_serve_engine *eng, enum llm_serve_mode mode,
	      const char *model);

/** Seconds on a clock (CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID). */
double llm_serve_clock(int clock_id);

/** Touch every page of [p, p + n) once; returns a sum nobody uses. */
uint64_t llm_serve_prefault(const void *p, size_t n);

#endif
