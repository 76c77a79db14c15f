/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file llama_dl.h
 * @brief llama.cpp's C API, loaded at run time from the prebuilt shared
 *        libraries npm's node-llama-cpp ships (libllama, libggml and the
 *        ggml CPU backends; tools/npm/llama, pinned to 3.21.1, whose
 *        llama.cpp is release v0.4.0).
 *
 * Nothing of llama.cpp is built here or included at build time: its
 * headers are not installed by the npm package.  The few functions used
 * are declared locally, and the structs llama.cpp passes and returns by
 * value (model and context parameters, a batch) travel as opaque blocks
 * larger than the real structs.  That is ABI-compatible because both are
 * "memory class" values on x86-64 and AArch64 (more than 16 bytes: passed
 * and returned through memory, the callee reads only its own size).  The
 * parameters are llama.cpp's defaults, except three context fields that
 * are set only after checking that the defaults sit where release v0.4.0
 * puts them (anything else: refused, "unsupported libllama").
 *
 * Every log line of llama.cpp and ggml goes to stderr; warnings and errors
 * while a model loads make the load fail (caec's GGUF files must load
 * without one).
 */
#ifndef CAEC_LLM_LLAMA_DL_H
#define CAEC_LLM_LLAMA_DL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct llama_dl_model;

/**
 * @brief dlopen() libllama from dir and load ggml's best CPU backend from
 *        there.  Call before caec_open(), so that the realm's measurement
 *        covers these libraries (docs/sim-platform.md).
 * @returns 0, or -1 with a message.
 */
int llama_dl_open(const char *dir, char *err, size_t errlen);

/**
 * @brief Load a GGUF model from an open file (read-only is enough): llama.cpp
 *        reads its header and mmaps the rest (MAP_SHARED, PROT_READ), so a
 *        descriptor of a CSM region or of a private memfd is mapped, not
 *        copied.  The FILE may be closed once this returns.
 * @param repack  let llama.cpp repack weights for its CPU kernels (its
 *                default; llama-cli's --no-repack turns it off).  Repacked
 *                weights are a private copy in each process (AMX on x86
 *                with AMX, i8mm/dotprod layouts on AArch64), whatever the
 *                file's mapping: off, the mapped file is all there is.
 * @returns the model, or NULL with a message (llama.cpp's error, or the
 *          warnings it logged while loading).
 */
struct llama_dl_model *llama_dl_load(FILE *fp, bool repack, char *err, size_t errlen);

/**
 * @brief Make the inference context: n_ctx positions (llama.cpp rounds up
 *        to 256), batches of up to n_batch tokens, one thread.
 * @returns 0 or -1 with a message.
 */
int llama_dl_context(struct llama_dl_model *m, uint32_t n_ctx, uint32_t n_batch,
		     char *err, size_t errlen);

/** @brief Vocabulary size. */
int32_t llama_dl_n_vocab(const struct llama_dl_model *m);

/**
 * @brief Tokenize text (no BOS/EOS added, special tokens as text).
 * @returns the token count (may exceed cap: then only cap are written), or
 *          -1.
 */
long llama_dl_tokenize(struct llama_dl_model *m, const char *text, int32_t *out,
		       size_t cap);

/** @brief Forget the context (the KV cache is cleared). */
void llama_dl_reset(struct llama_dl_model *m);

/**
 * @brief Evaluate n tokens at the next positions.
 * @returns the logits of the last one (n_vocab floats, valid until the next
 *          call), or NULL.
 */
const float *llama_dl_decode(struct llama_dl_model *m, int32_t *tokens, int32_t n);

/** @brief Free the context and the model (unmapping the model). */
void llama_dl_free(struct llama_dl_model *m);

#endif /* CAEC_LLM_LLAMA_DL_H */
