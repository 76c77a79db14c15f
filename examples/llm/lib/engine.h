/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file engine.h
 * @brief Glue: a GGUF image (wherever it is mapped) -> parsed file, GPT-2
 *        model and tokenizer; plus loading a file into private anonymous
 *        memory and a simple "prompt -> tokens" generation loop.
 */
#ifndef CAEC_LLM_ENGINE_H
#define CAEC_LLM_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpe.h"
#include "gguf.h"
#include "gpt2.h"

/**
 * Optional guard around every access to the weights: enter() returns false
 * once the weights are gone (a revoked CSM region), and leave() follows
 * every enter(), whatever it returned.  A CSM consumer maps these onto
 * caec_region_enter()/caec_region_leave(), so a revocation waits for the
 * token being computed and the next one stops cleanly instead of faulting.
 */
struct llm_guard {
	bool (*enter)(void *arg);
	void (*leave)(void *arg);
	void *arg;
};

struct llm_engine {
	struct llm_guard guard; /**< zero: no guard (private weights) */
	const void *image; /**< borrowed: private buffer or CSM mapping */
	size_t size;
	struct gguf_file file;
	struct gpt2_model model;
	struct bpe tok;
};

/**
 * @brief Parse and bind an image in place (no copy).
 * @returns 0, or -1 with a message in err.
 * Ownership: pair with llm_engine_fini(); the image must outlive e.
 */
int llm_engine_init(struct llm_engine *e, const void *image, size_t size,
		    char *err, size_t errlen);
void llm_engine_fini(struct llm_engine *e);

/**
 * @brief Read a whole file into fresh private anonymous memory
 *        (mmap(MAP_PRIVATE|MAP_ANONYMOUS), then read()): every byte is a
 *        private, dirty page of this process, as when each realm loads its
 *        own copy.  Deliberately NOT an mmap of the file, whose page-cache
 *        pages would be shared between processes and fake the baseline.
 * @param[out] size  the file size; *mapped_size the mapping size (pages).
 * @returns the buffer (free with llm_image_free()), or NULL with err set.
 */
void *llm_image_load(const char *path, size_t *size, size_t *mapped_size,
		     char *err, size_t errlen);
void llm_image_free(void *p, size_t mapped_size);

/** @brief File size, or -1. */
long long llm_file_size(const char *path);

/**
 * @brief Read a whole file into dst (capacity cap) with read().
 * @returns 0, or -1 with err set.
 */
int llm_file_read_into(const char *path, void *dst, size_t cap, size_t *size,
		       char *err, size_t errlen);

/** llm_generate(): the weights were withdrawn (see struct llm_guard). */
#define LLM_E_REVOKED (-2)

/** Result of one llm_generate() call. */
struct llm_gen_result {
	uint32_t n_prompt;  /**< prompt tokens after truncation/padding */
	uint32_t n_gen;     /**< tokens generated */
	uint64_t checksum;  /**< FNV-1a over generated ids and final logits bits */
};

/**
 * @brief Tokenize prompt, force it to exactly n_prompt tokens (truncate, or
 *        repeat it), prefill in batches of s->n_batch, then sample n_gen
 *        tokens; writes the generated ids to out_ids (cap n_gen) if not
 *        NULL and the last logits to logits (n_vocab floats).
 * @returns 0, LLM_E_REVOKED if the guard reported the weights gone (the
 *          run stopped between two tokens), or -1.  The state is reset first.
 */
int llm_generate(struct llm_engine *e, struct gpt2_state *s,
		 struct gpt2_sampler *sp, const char *prompt,
		 uint32_t n_prompt, uint32_t n_gen, int32_t *out_ids,
		 float *logits, struct llm_gen_result *res);

/** The ten fixed benchmark prompts. */
extern const char *const llm_bench_prompts[10];

#endif /* CAEC_LLM_ENGINE_H */
