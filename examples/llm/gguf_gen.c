/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-gguf-gen: write a GPT-2-shaped GGUF v3 file with deterministic random
 * weights and a synthetic byte-level BPE vocabulary (see lib/gen.h).
 *
 *   caec-gguf-gen --shape gpt2|gpt2-medium|tiny [--type q8_0|f16|f32]
 *                 [--seed N] [--tied] [--layers N] -o FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/gen.h"

static void usage(FILE *fp)
{
	fprintf(fp, "usage: caec-gguf-gen --shape gpt2|gpt2-medium|tiny "
		    "[--type q8_0|f16|f32] [--seed N] [--tied] [--layers N] -o FILE\n");
}

int main(int argc, char **argv)
{
	struct llm_gen_opts o;
	const char *shape = "tiny", *out = NULL, *type = "q8_0";
	unsigned long long seed = 0;
	int have_seed = 0, tied = 0;
	long layers = 0;
	char err[256];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--shape") && v) { shape = v; i++; }
		else if (!strcmp(a, "--type") && v) { type = v; i++; }
		else if (!strcmp(a, "--seed") && v) { seed = strtoull(v, NULL, 0); have_seed = 1; i++; }
		else if (!strcmp(a, "--layers") && v) { layers = strtol(v, NULL, 0); i++; }
		else if (!strcmp(a, "--tied")) tied = 1;
		else if (!strcmp(a, "-o") && v) { out = v; i++; }
		else if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); return 0; }
		else { usage(stderr); return 2; }
	}
	if (!out || llm_gen_shape(&o, shape)) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(type, "q8_0")) o.wtype = GGML_TYPE_Q8_0;
	else if (!strcmp(type, "f16")) o.wtype = GGML_TYPE_F16;
	else if (!strcmp(type, "f32")) o.wtype = GGML_TYPE_F32;
	else { usage(stderr); return 2; }
	if (have_seed)
		o.seed = seed;
	if (layers > 0 && layers <= 4096)
		o.n_layer = (uint32_t)layers;
	o.tied = tied;
	if (llm_gen_write(&o, out, err, sizeof(err))) {
		fprintf(stderr, "caec-gguf-gen: %s\n", err);
		return 1;
	}
	return 0;
}
