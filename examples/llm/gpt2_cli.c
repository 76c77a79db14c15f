/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-gpt2: GPT-2 inference on a GGUF file.
 *
 *   caec-gpt2 info -m FILE
 *   caec-gpt2 run  -m FILE [-p PROMPT] [-n TOKENS] [--temp T] [--seed S]
 *   caec-gpt2 tokenize -m FILE -p TEXT
 *   caec-gpt2 logits -m FILE -t "ID ID ..." -o OUT
 *   caec-gpt2 serve --mode private|provider|consumer [-m FILE]
 *   (--help: every option)
 *
 * "run" loads the file into private memory.  "tokenize" prints the token
 * IDs of TEXT, one line.  "logits" feeds the tokens one at a time (the
 * decode path) and writes, after each, the n_vocab logits as
 * little-endian float32 to OUT: the raw material for comparing the engine
 * with another one (tests/llm/test_llama_crosscheck.py).  "serve" is one
 * realm of the weight-sharing service (serve.c): private copy, or one
 * sealed CSM copy shared read-only by verified consumers.
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

enum { OPT_MODEL = 'm', OPT_PROMPT = 'p', OPT_TOKENS = 'n', OPT_IDS = 't',
       OPT_OUT = 'o', OPT_TEMP = 256, OPT_SEED, OPT_MODE };

static const struct cli_opt opts[] = {
	{ "model", OPT_MODEL, "FILE", "the GGUF model (info, run, tokenize, logits, serve "
	  "private and provider)" },
	{ "prompt", OPT_PROMPT, "TEXT", "run: the prompt (default: \"Hello, my name is\"); "
	  "tokenize: the text" },
	{ "ids", OPT_IDS, "IDS", "logits: the token IDs to evaluate, separated by spaces or "
	  "commas, at most the model's context; required" },
	{ "output", OPT_OUT, "FILE", "logits: where the logits go, n_vocab little-endian "
	  "float32 values after each token; required" },
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
		 "tokenize -m FILE -p TEXT\n"
		 "logits -m FILE -t \"ID ID ...\" -o OUT\n"
		 "serve --mode private|provider|consumer [-m FILE]",
	.about = "GPT-2 inference on a GGUF file (q8_0, f16 or f32; docs/llm.md):\n"
		 "  info      print the model's shape\n"
		 "  run       generate text from a prompt, in private memory\n"
		 "  tokenize  print the token IDs of a text, on one line\n"
		 "  logits    evaluate token IDs one at a time (the decode path) and write\n"
		 "            the logits after each (to compare with another engine)\n"
		 "  serve     one realm of the weight-sharing service, driven by a line\n"
		 "            protocol on stdin and stdout (examples/llm/serve.c); provider\n"
		 "            and consumer need caec-simd ($CAEC_SIM_SOCKET or its default\n"
		 "            socket)",
	.opts = opts,
	.footer = "Exit status: 0 done; 1 the model could not be loaded or run; 2 "
		  "usage error.",
};

static int cmd_tokenize(struct llm_engine *e, const char *text)
{
	size_t n = strlen(text);
	long k = bpe_encode(&e->tok, text, n, NULL, 0);
	int32_t *ids = k > 0 ? malloc((size_t)k * sizeof(int32_t)) : NULL;

	if (k < 0 || (k > 0 && !ids)) {
		fprintf(stderr, "caec-gpt2: cannot tokenize\n");
		free(ids);
		return 1;
	}
	bpe_encode(&e->tok, text, n, ids, (size_t)k);
	for (long i = 0; i < k; i++)
		printf(i ? " %d" : "%d", ids[i]);
	printf("\n");
	free(ids);
	return 0;
}

static int cmd_logits(struct llm_engine *e, const char *ids_arg, const char *out_path)
{
	const struct gpt2_hparams *hp = &e->model.hp;
	int32_t *ids = malloc(hp->n_ctx * sizeof(int32_t));
	float *x = malloc(hp->n_embd * sizeof(float));
	float *logits = malloc(hp->n_vocab * sizeof(float));
	uint32_t n = 0;
	struct gpt2_state st;
	int rc = 1;

	if (!ids || !x || !logits)
		goto out;
	for (const char *p = ids_arg; *p;) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p || v < 0 || v >= (long)hp->n_vocab || n == hp->n_ctx) {
			fprintf(stderr, "caec-gpt2: -t: token IDs below %u, at most %u of them\n",
				hp->n_vocab, hp->n_ctx);
			goto out;
		}
		ids[n++] = (int32_t)v;
		p = end;
		while (*p == ' ' || *p == ',')
			p++;
	}
	if (n == 0 || gpt2_state_init(&st, &e->model, 0, hp->n_layer, n, 1)) {
		fprintf(stderr, "caec-gpt2: no tokens, or out of memory\n");
		goto out;
	}
	FILE *fp = fopen(out_path, "wb");
	if (!fp) {
		perror(out_path);
		gpt2_state_fini(&st);
		goto out;
	}
	rc = 0;
	for (uint32_t i = 0; i < n && rc == 0; i++)
		if (gpt2_eval(&st, &ids[i], 1, x, logits) ||
		    fwrite(logits, sizeof(float), hp->n_vocab, fp) != hp->n_vocab)
			rc = 1;
	if (fclose(fp) != 0)
		rc = 1;
	gpt2_state_fini(&st);
	if (rc)
		fprintf(stderr, "caec-gpt2: evaluating or writing %s failed\n", out_path);
out:
	free(ids);
	free(x);
	free(logits);
	return rc;
}

int main(int argc, char **argv)
{
	static const char *const modes[] = { "private", "provider", "consumer", NULL };
	const char *model = NULL, *prompt = "Hello, my name is", *arg;
	const char *ids_arg = NULL, *out_path = NULL;
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
		case OPT_IDS: ids_arg = arg; break;
		case OPT_OUT: out_path = arg; break;
		}
	}
	int first = cli_operand_index();
	if (first == argc)
		cli_usage_error(&cli, "missing command (info, run, tokenize, logits or serve)");
	if (argc - first > 1)
		cli_usage_error(&cli, "unexpected operand '%s'", argv[first + 1]);
	const char *cmd = argv[first];
	if (!strcmp(cmd, "serve")) {
		if (mode < 0)
			cli_usage_error(&cli, "serve needs --mode private, provider or consumer");
		if (mode == 2)
			return llm_serve(&llm_serve_caec, LLM_SERVE_CONSUMER, NULL);
		if (!model)
			cli_usage_error(&cli, "serve --mode %s needs -m FILE", modes[mode]);
		return llm_serve(&llm_serve_caec,
				 mode == 0 ? LLM_SERVE_PRIVATE : LLM_SERVE_PROVIDER, model);
	}
	if (strcmp(cmd, "info") && strcmp(cmd, "run") && strcmp(cmd, "tokenize") &&
	    strcmp(cmd, "logits"))
		cli_usage_error(&cli, "unknown command '%s'", cmd);
	if (!model)
		cli_usage_error(&cli, "%s needs -m FILE", cmd);
	if (!strcmp(cmd, "logits") && (!ids_arg || !out_path))
		cli_usage_error(&cli, "logits needs -t IDS and -o FILE");
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
	if (!strcmp(cmd, "tokenize") || !strcmp(cmd, "logits")) {
		int rc = !strcmp(cmd, "tokenize") ? cmd_tokenize(&e, prompt)
						  : cmd_logits(&e, ids_arg, out_path);
		llm_engine_fini(&e);
		llm_image_free(img, msize);
		return rc;
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
