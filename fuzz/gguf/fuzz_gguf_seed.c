/* SPDX-License-Identifier: Apache-2.0 */
/* Writes the fuzzer's seed corpus into DIR: a micro GPT-2 GGUF (q8_0, f16
 * and f32 variants; a few tens of KB each), generated, never committed. */
#include <stdio.h>

#include "gen.h"

int main(int argc, char **argv)
{
	static const struct { const char *name; enum ggml_type t; } v[] = {
		{"micro-q8_0.gguf", GGML_TYPE_Q8_0},
		{"micro-f16.gguf", GGML_TYPE_F16},
		{"micro-f32.gguf", GGML_TYPE_F32},
	};
	char path[512], err[256];

	if (argc != 2) {
		fprintf(stderr, "usage: fuzz_gguf_seed DIR\n");
		return 2;
	}
	for (unsigned i = 0; i < 3; i++) {
		struct llm_gen_opts o;
		llm_gen_shape(&o, "tiny");
		o.n_vocab = 300;
		o.n_ctx = 8;
		o.n_embd = 32;
		o.n_head = 2;
		o.n_layer = 1;
		o.n_ff = 32;
		o.wtype = v[i].t;
		o.output_weight = i == 1;
		snprintf(path, sizeof(path), "%s/%s", argv[1], v[i].name);
		if (llm_gen_write(&o, path, err, sizeof(err))) {
			fprintf(stderr, "fuzz_gguf_seed: %s\n", err);
			return 1;
		}
	}
	return 0;
}
