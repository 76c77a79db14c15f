/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-gguf-gen: write a GPT-2-shaped GGUF v3 file with deterministic random
 * weights and a synthetic byte-level BPE vocabulary (see lib/gen.h), and
 * say what it wrote.
 *
 *   caec-gguf-gen [--shape gpt2|gpt2-medium|tiny] [--type q8_0|f16|f32]
 *                 [--seed N] [--tied] [--layers N] -o FILE
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cli.h"
#include "lib/gen.h"

enum { OPT_SHAPE = 256, OPT_TYPE, OPT_SEED, OPT_TIED, OPT_LAYERS, OPT_OUT = 'o' };

static const struct cli_opt opts[] = {
	{ "shape", OPT_SHAPE, "SHAPE", "gpt2 (124M: 12 layers, 768 wide), gpt2-medium "
	  "(355M: 24 layers, 1024 wide), both with 50257 tokens and 1024 positions, or "
	  "tiny (4 layers, 64 wide, 512 tokens, 128 positions) (default: tiny)" },
	{ "type", OPT_TYPE, "TYPE", "weight matrices as q8_0, f16 or f32 (default: q8_0)" },
	{ "seed", OPT_SEED, "N", "seed of the pseudo-random weights and merges "
	  "(default: 0x6361656367707432, \"caecgpt2\")" },
	{ "tied", OPT_TIED, NULL, "omit output.weight: the output head uses the token "
	  "embeddings (default: an output.weight, as llama.cpp's converter writes)" },
	{ "layers", OPT_LAYERS, "N", "number of transformer layers, 1..4096 (default: "
	  "the shape's)" },
	{ "output", OPT_OUT, "FILE", "the GGUF file to write (required)" },
	{ NULL },
};

static struct cli cli = {
	.prog = "caec-gguf-gen",
	.usage = "[--shape SHAPE] [--type TYPE] [--seed N] [--tied] [--layers N] -o FILE",
	.about = "Write a GGUF v3 model with GPT-2's tensor names and shapes, "
		 "deterministic pseudo-random weights and a synthetic byte-level BPE "
		 "vocabulary (docs/llm.md); nothing is downloaded.  Prints what it wrote.",
	.opts = opts,
	.footer = "Exit status: 0 written; 1 the file could not be written; 2 usage "
		  "error.",
};

static const char *const shapes[] = { "gpt2", "gpt2-medium", "tiny", NULL };
static const char *const types[] = { "q8_0", "f16", "f32", NULL };
static const enum ggml_type type_ids[] = { GGML_TYPE_Q8_0, GGML_TYPE_F16, GGML_TYPE_F32 };

int main(int argc, char **argv)
{
	struct llm_gen_opts o;
	const char *shape = "tiny", *out = NULL, *arg;
	unsigned long long seed = 0, layers = 0;
	int have_seed = 0, tied = 0, type = 0, c;
	char err[256];

	while ((c = cli_next(&cli, argc, argv, &arg)) != -1) {
		switch (c) {
		case OPT_SHAPE: shape = shapes[cli_choice(&cli, "--shape", arg, shapes)]; break;
		case OPT_TYPE: type = cli_choice(&cli, "--type", arg, types); break;
		case OPT_SEED:
			seed = cli_uint(&cli, "--seed", arg, 0, UINT64_MAX);
			have_seed = 1;
			break;
		case OPT_TIED: tied = 1; break;
		case OPT_LAYERS: layers = cli_uint(&cli, "--layers", arg, 1, 4096); break;
		case OPT_OUT: out = arg; break;
		}
	}
	if (cli_operand_index() != argc)
		cli_usage_error(&cli, "unexpected operand '%s'", argv[cli_operand_index()]);
	if (!out)
		cli_usage_error(&cli, "no output file (-o FILE)");
	llm_gen_shape(&o, shape); /* a name from shapes[]: cannot fail */
	o.wtype = type_ids[type];
	if (have_seed)
		o.seed = seed;
	if (layers)
		o.n_layer = (uint32_t)layers;
	o.tied = tied;
	if (llm_gen_write(&o, out, err, sizeof(err))) {
		fprintf(stderr, "caec-gguf-gen: %s\n", err);
		return 1;
	}
	struct stat st;
	long long bytes = stat(out, &st) == 0 ? (long long)st.st_size : -1;
	printf("caec-gguf-gen: wrote %s: %lld bytes (%.1f MiB), GGUF v3, shape %s: "
	       "%u layers, %u wide, %u heads, %u-token vocabulary, %u positions; %s "
	       "weights, %s output head, seed 0x%llx\n",
	       out, bytes, (double)bytes / (1 << 20), shape, o.n_layer, o.n_embd, o.n_head,
	       o.n_vocab, o.n_ctx, types[type], o.tied ? "tied (token embeddings)" :
	       "separate (output.weight)", (unsigned long long)o.seed);
	return 0;
}
