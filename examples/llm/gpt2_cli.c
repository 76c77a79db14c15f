/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-gpt2: GPT-2 inference on a GGUF file.
 *
 *   caec-gpt2 info -m FILE
 *   caec-gpt2 run  -m FILE [-p PROMPT] [-n TOKENS] [--temp T] [--seed S]
 *   caec-gpt2 serve --mode private|provider|consumer [-m FILE]
 *   (--help: every option)
 *
 * "run" loads the file into private memory.  "serve" is one realm of the
 * weight-sharing service (serve.c): private copy, or one sealed CSM copy
 * shared read-only by verified consumers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "lib/engine.h"
#include "serve.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

enum { OPT_MODEL = 'm', OPT_PROMPT = 'p', OPT_TOKENS = 'n', OPT_TEMP = 256, OPT_SEED,
       OPT_MODE };

static const struct cli_opt opts[] = {
	{ "model", OPT_MODEL, "FILE", "the GGUF model (info, run, serve private and "
	  "provider)" },
	{ "prompt", OPT_PROMPT, "TEXT", "run: the prompt (default: \"Hello, my name is\")" },
	{ "tokens", OPT_TOKENS, "N", "run: tokens to generate, 0..100000 (default 32); "
	  "prompt + N must fit the model's context" },
	{ "temp", OPT_TEMP, "T", "run: sampling temperature, 0..100; 0 is greedy "
	  "(default 0)" },
	{ "seed", OPT_SEED, "S", "run: the sampler's seed (default 1)" },
	{ "mode", OPT_MODE, "MODE", "serve: private (a private copy of the model), "
	  "provider (one sealed CSM copy shared read-only with verified consumers) or "
	  "consumer (serves from the provider's copy); required" },
	{ NULL },
};

static struct cli cli = {
	.prog = "caec-gpt2",
	.usage = "info -m FILE\n"
		 "run -m FILE [-p PROMPT] [-n TOKENS] [--temp T] [--seed S]\n"
		 "serve --mode private|provider|consumer [-m FILE]",
	.about = "GPT-2 inference on a GGUF file (q8_0, f16 or f32; docs/llm.md):\n"
		 "  info   print the model's shape\n"
		 "  run    generate text from a prompt, in private memory\n"
		 "  serve  one realm of the weight-sharing service, driven by a line protocol\n"
		 "         on stdin and stdout (examples/llm/serve.c); provider and consumer\n"
		 "         need caec-simd ($CAEC_SIM_SOCKET or its default socket)",
	.opts = opts,
	.footer = "Exit status: 0 done; 1 the model could not be loaded or run; 2 "
		  "usage error.",
};

int main(int argc, char **argv)
{
	static const char *const modes[] = { "private", "provider", "consumer", NULL };
	const char *model = NULL, *prompt = "Hello, my name is", *arg;
	long n_gen = 32;
	float temp = 0.0f;
	unsigned long long seed = 1;
	int mode = -1, c;
	char err[256];

	while ((c = cli_next(&cli, argc, argv, &arg)) != -1) {
		switch (c) {
		case OPT_MODEL: model = arg; break;
		case OPT_PROMPT: prompt = arg; break;
		case OPT_TOKENS: n_gen = (long)cli_uint(&cli, "--tokens", arg, 0, 100000); break;
		case OPT_TEMP: temp = (float)cli_double(&cli, "--temp", arg, 0, 100); break;
		case OPT_SEED: seed = cli_uint(&cli, "--seed", arg, 0, UINT64_MAX); break;
		case OPT_MODE: mode = cli_choice(&cli, "--mode", arg, modes); break;
		}
	}
	int first = cli_operand_index();
	if (first == argc)
		cli_usage_error(&cli, "missing command (info, run or serve)");
	if (argc - first > 1)
		cli_usage_error(&cli, "unexpected operand '%s'", argv[first + 1]);
	const char *cmd = argv[first];
	if (!strcmp(cmd, "serve")) {
		if (mode < 0)
			cli_usage_error(&cli, "serve needs --mode private, provider or consumer");
		if (mode == 2)
			return llm_serve(LLM_SERVE_CONSUMER, NULL);
		if (!model)
			cli_usage_error(&cli, "serve --mode %s needs -m FILE", modes[mode]);
		return llm_serve(mode == 0 ? LLM_SERVE_PRIVATE : LLM_SERVE_PROVIDER, model);
	}
	if (strcmp(cmd, "info") && strcmp(cmd, "run"))
		cli_usage_error(&cli, "unknown command '%s'", cmd);
	if (!model)
		cli_usage_error(&cli, "%s needs -m FILE", cmd);
	size_t size, msize;
	double t0 = now();
	void *img = llm_image_load(model, &size, &msize, err, sizeof(err));
	if (!img) {
		fprintf(stderr, "caec-gpt2: %s\n", err);
		return 1;
	}
	struct llm_engine e;
	if (llm_engine_init(&e, img, size, err, sizeof(err))) {
		fprintf(stderr, "caec-gpt2: %s: %s\n", model, err);
		llm_image_free(img, msize);
		return 1;
	}
	const struct gpt2_hparams *hp = &e.model.hp;
	double t1 = now();
	if (!strcmp(cmd, "info")) {
		printf("file: %s (%zu bytes, %llu tensors, %llu keys)\n", model, size,
		       (unsigned long long)e.file.n_tensors,
		       (unsigned long long)e.file.n_kv);
		printf("n_vocab=%u n_ctx=%u n_embd=%u n_head=%u n_layer=%u n_ff=%u eps=%g\n",
		       hp->n_vocab, hp->n_ctx, hp->n_embd, hp->n_head, hp->n_layer,
		       hp->n_ff, (double)hp->eps);
		printf("merges=%s tied_output=%s load=%.3fs\n",
		       gguf_find_kv(&e.file, "tokenizer.ggml.merges") ? "yes" : "no",
		       e.model.out.data == e.model.wte.data ? "yes" : "no", t1 - t0);
		llm_engine_fini(&e);
		llm_image_free(img, msize);
		return 0;
	}
	long np = bpe_encode(&e.tok, prompt, strlen(prompt), NULL, 0);
	if (np <= 0 || (unsigned long)(np + n_gen) > hp->n_ctx) {
		fprintf(stderr, "caec-gpt2: prompt (%ld tokens) + %ld does not fit n_ctx %u\n",
			np, n_gen, hp->n_ctx);
		return 1;
	}
	struct gpt2_state st;
	uint32_t ctx = (uint32_t)(np + n_gen);
	if (gpt2_state_init(&st, &e.model, 0, hp->n_layer, ctx, (uint32_t)np)) {
		fprintf(stderr, "caec-gpt2: out of memory\n");
		return 1;
	}
	struct gpt2_sampler sp = {.temperature = temp, .rng = seed};
	float *logits = malloc(hp->n_vocab * sizeof(float));
	int32_t *ids = malloc(((size_t)n_gen + 1) * sizeof(int32_t));
	struct llm_gen_result res;
	double t2 = now();
	int rc = llm_generate(&e, &st, &sp, prompt, (uint32_t)np, (uint32_t)n_gen,
			      ids, logits, &res);
	double t3 = now();
	if (rc) {
		fprintf(stderr, "caec-gpt2: generation failed\n");
	} else {
		fputs(prompt, stdout);
		for (long i = 0; i < n_gen; i++) {
			char buf[256];
			long n = bpe_decode(&e.tok, ids[i], buf, sizeof(buf));
			if (n > 0)
				fwrite(buf, 1, (size_t)(n < 256 ? n : 256), stdout);
		}
		printf("\n");
		fprintf(stderr, "load %.3fs, %ld prompt + %ld generated tokens in %.3fs "
			"(%.1f ms/token), checksum %016llx\n", t1 - t0, np, n_gen,
			t3 - t2, 1e3 * (t3 - t2) / (double)(np + n_gen),
			(unsigned long long)res.checksum);
	}
	free(logits);
	free(ids);
	gpt2_state_fini(&st);
	llm_engine_fini(&e);
	llm_image_free(img, msize);
	return rc ? 1 : 0;
}
