/* SPDX-License-Identifier: Apache-2.0 */
/* llama.cpp behind the serve protocol: see llama_engine.c. */
#ifndef CAEC_LLM_LLAMA_ENGINE_H
#define CAEC_LLM_LLAMA_ENGINE_H

#include <stdbool.h>

#include "serve.h"

/** llama.cpp (llama_dl.h); llama_dl_open() must have succeeded. */
extern const struct llm_serve_engine llm_serve_llama;

/** Let llama.cpp repack weights (llama_dl_load()); default false. */
extern bool llm_llama_repack;

#endif
