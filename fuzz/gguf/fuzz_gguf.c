/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the GGUF v3 reader, then (for inputs it accepts) the
 * GPT-2 model binder and the BPE tokenizer, then one forward step.  Any
 * crash, out-of-bounds read or UB is a bug: the reader must bound every
 * access by the image.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bpe.h"
#include "gguf.h"
#include "gpt2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gguf_file f;
	struct gguf_error e;
	struct gpt2_model m;
	struct bpe b;
	char err[256];

	/* an exactly-sized copy, so ASan sees any read past the end */
	uint8_t *p = malloc(size ? size : 1);
	if (!p)
		return 0;
	memcpy(p, data, size);
	if (gguf_parse(&f, p, size, &e) == GGUF_OK) {
		for (uint64_t i = 0; i < f.n_tensors; i++) {
			const uint8_t *d = f.tensors[i].data;
			if (d < p || d + f.tensors[i].nbytes > p + size)
				abort();
		}
		if (bpe_init(&b, &f, err, sizeof(err)) == 0) {
			int32_t ids[64];
			(void)bpe_encode(&b, "Hello world, it's 42!", 21, ids, 64);
			bpe_fini(&b);
		}
		if (gpt2_model_init(&m, &f, err, sizeof(err)) == 0) {
			struct gpt2_state s;
			/* keep each run short: small models only */
			if (m.hp.n_embd * (uint64_t)m.hp.n_layer <= 4096 &&
			    m.hp.n_vocab <= 4096 &&
			    gpt2_state_init(&s, &m, 0, m.hp.n_layer, 2, 1) == 0) {
				int32_t t = 0;
				float *x = malloc(m.hp.n_embd * sizeof(float));
				float *lg = malloc(m.hp.n_vocab * sizeof(float));
				if (x && lg)
					(void)gpt2_eval(&s, &t, 1, x, lg);
				free(x);
				free(lg);
				gpt2_state_fini(&s);
			}
			gpt2_model_fini(&m);
		}
		gguf_fini(&f);
	}
	free(p);
	return 0;
}
