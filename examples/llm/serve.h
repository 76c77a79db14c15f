/* SPDX-License-Identifier: Apache-2.0 */
/* caec-gpt2 serve: see serve.c for the line protocol. */
#ifndef CAEC_LLM_SERVE_H
#define CAEC_LLM_SERVE_H

enum llm_serve_mode {
	LLM_SERVE_PRIVATE,
	LLM_SERVE_PROVIDER,
	LLM_SERVE_CONSUMER,
};

/** @brief Serve one realm until "quit" or EOF on stdin.  Returns 0. */
int llm_serve(enum llm_serve_mode mode, const char *model);

#endif
