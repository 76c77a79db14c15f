/* SPDX-License-Identifier: Apache-2.0 */
/* llama.cpp loaded at run time: see llama_dl.h for why and how. */
#include "llama_dl.h"
#include "errf.h"

#include <dirent.h>
#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Values llama.cpp passes or returns by value (see llama_dl.h): larger than
 * the real llama_model_params, llama_context_params and llama_batch. */
struct params_blob {
	uint64_t w[128];
};
struct batch_blob {
	uint64_t w[32];
};

/* enum ggml_log_level of ggml.h (v0.4.0): DEBUG 1, INFO 2, WARN 3,
 * ERROR 4, CONT 5 (continues the previous line). */
enum { LOG_WARN = 3, LOG_ERROR = 4, LOG_CONT = 5 };

static struct {
	void *lib;
	void (*backend_init)(void);
	void (*log_set)(void (*)(int, const char *, void *), void *);
	void (*load_all_from_path)(const char *);
	struct params_blob (*model_default_params)(void);
	struct params_blob (*context_default_params)(void);
	void *(*model_load_from_file_ptr)(FILE *, struct params_blob);
	void (*model_free)(void *);
	void *(*init_from_model)(void *, struct params_blob);
	void (*free_ctx)(void *);
	void (*set_n_threads)(void *, int32_t, int32_t);
	const void *(*model_get_vocab)(const void *);
	int32_t (*vocab_n_tokens)(const void *);
	int32_t (*tokenize)(const void *, const char *, int32_t, int32_t *, int32_t,
			    bool, bool);
	struct batch_blob (*batch_get_one)(int32_t *, int32_t);
	int32_t (*decode)(void *, struct batch_blob);
	float *(*get_logits_ith)(void *, int32_t);
	void *(*get_memory)(const void *);
	void (*memory_clear)(void *, bool);
} L;

struct llama_dl_model {
	void *model, *ctx;
	const void *vocab;
	int32_t n_vocab;
};

/* ---- the log ----------------------------------------------------------- */

static bool log_loading;   /* a model is loading: warnings count */
static int log_last;       /* level of the last line that was not CONT */
static char log_first[400];/* the first warning or error while loading */

static void on_log(int level, const char *text, void *ud)
{
	(void)ud;
	if (level != LOG_CONT)
		log_last = level;
	if (log_last != LOG_WARN && log_last != LOG_ERROR) {
		if (getenv("CAEC_LLAMA_VERBOSE"))
			fputs(text, stderr);
		return;
	}
	fprintf(stderr, "llama.cpp: %s", text);
	size_t n = strlen(text);
	if (n && text[n - 1] != '\n')
		fputc('\n', stderr);
	if (log_loading && !log_first[0] && strspn(text, " \n") < n)
		snprintf(log_first, sizeof(log_first), "%.*s", (int)strcspn(text, "\n"), text);
}

/* ---- loading ------------------------------------------------------------- */

/* dir/libllama.<version>.so (not libllama-common.so). */
static int find_libllama(const char *dir, char *path, size_t cap)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = -1;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (!strncmp(e->d_name, "libllama.", 9) && n > 12 &&
		    !strcmp(e->d_name + n - 3, ".so") &&
		    (size_t)snprintf(path, cap, "%s/%s", dir, e->d_name) < cap) {
			rc = 0;
			break;
		}
	}
	closedir(d);
	return rc;
}

int llama_dl_open(const char *dir, char *err, size_t errlen)
{
	char path[4096];

	if (L.lib)
		return 0;
	if (find_libllama(dir, path, sizeof(path)))
		return llm_errf(err, errlen, "no libllama.*.so in %s (node-llama-cpp's "
			    "prebuilt llama.cpp: scripts/setup.sh installs it in "
			    "tools/npm/llama)", dir);
	L.lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!L.lib)
		return llm_errf(err, errlen, "dlopen %s: %s", path, dlerror());
	struct { void **fn; const char *name; } syms[] = {
		{ (void **)&L.backend_init, "llama_backend_init" },
		{ (void **)&L.log_set, "llama_log_set" },
		{ (void **)&L.load_all_from_path, "ggml_backend_load_all_from_path" },
		{ (void **)&L.model_default_params, "llama_model_default_params" },
		{ (void **)&L.context_default_params, "llama_context_default_params" },
		{ (void **)&L.model_load_from_file_ptr, "llama_model_load_from_file_ptr" },
		{ (void **)&L.model_free, "llama_model_free" },
		{ (void **)&L.init_from_model, "llama_init_from_model" },
		{ (void **)&L.free_ctx, "llama_free" },
		{ (void **)&L.set_n_threads, "llama_set_n_threads" },
		{ (void **)&L.model_get_vocab, "llama_model_get_vocab" },
		{ (void **)&L.vocab_n_tokens, "llama_vocab_n_tokens" },
		{ (void **)&L.tokenize, "llama_tokenize" },
		{ (void **)&L.batch_get_one, "llama_batch_get_one" },
		{ (void **)&L.decode, "llama_decode" },
		{ (void **)&L.get_logits_ith, "llama_get_logits_ith" },
		{ (void **)&L.get_memory, "llama_get_memory" },
		{ (void **)&L.memory_clear, "llama_memory_clear" },
	};
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		*syms[i].fn = dlsym(L.lib, syms[i].name);
		if (!*syms[i].fn) {
			dlclose(L.lib);
			L.lib = NULL;
			return llm_errf(err, errlen, "%s: no %s (unsupported libllama)", path,
				    syms[i].name);
		}
	}
	L.log_set(on_log, NULL);
	/* The CPU backend is a library of its own (one per instruction set);
	 * ggml picks the best one for this CPU. */
	L.load_all_from_path(dir);
	L.backend_init();
	return 0;
}

/*
 * llama_model_params of v0.4.0 (LP64): two pointers, then int32
 * n_gpu_layers (-1), split_mode (1, LAYER), load_mode (-1, AUTO: mmap),
 * lazy_mode (1, AUTO) and main_gpu (0) at 16..35, four pointers at 40..71,
 * then the bools vocab_only, check_tensors, use_extra_bufts (true),
 * no_host, no_alloc, load_mtp at 72..77.  Checked against the defaults
 * before use_extra_bufts is changed.
 */
static bool model_params_as_expected(const struct params_blob *mp)
{
	static const int32_t ints[5] = { -1, 1, -1, 1, 0 };
	static const uint8_t bools[6] = { 0, 0, 1, 0, 0, 0 };
	const uint8_t *b = (const uint8_t *)mp->w;
	int32_t v[5];

	memcpy(v, b + 16, sizeof(v));
	return mp->w[0] == 0 && mp->w[1] == 0 && !memcmp(v, ints, sizeof(v)) &&
	       mp->w[5] == 0 && mp->w[6] == 0 && mp->w[7] == 0 && mp->w[8] == 0 &&
	       !memcmp(b + 72, bools, sizeof(bools));
}

struct llama_dl_model *llama_dl_load(FILE *fp, bool repack, char *err, size_t errlen)
{
	struct llama_dl_model *m = calloc(1, sizeof(*m));

	if (!m) {
		llm_errf(err, errlen, "out of memory");
		return NULL;
	}
	/* llama.cpp's defaults: mmap the file, CPU only; repacking (extra
	 * buffer types) only if asked. */
	struct params_blob mp = L.model_default_params();
	if (!model_params_as_expected(&mp)) {
		free(m);
		llm_errf(err, errlen, "unsupported libllama: llama_model_params is not laid "
		     "out as in llama.cpp v0.4.0");
		return NULL;
	}
	((uint8_t *)mp.w)[74] = repack; /* use_extra_bufts */
	log_loading = true;
	log_first[0] = 0;
	m->model = L.model_load_from_file_ptr(fp, mp);
	log_loading = false;
	if (!m->model || log_first[0]) {
		llm_errf(err, errlen, "llama.cpp %s: %s", m->model ? "warned while loading the model"
							      : "could not load the model",
		     log_first[0] ? log_first : "(no message)");
		llama_dl_free(m);
		return NULL;
	}
	m->vocab = L.model_get_vocab(m->model);
	m->n_vocab = L.vocab_n_tokens(m->vocab);
	return m;
}

int llama_dl_context(struct llama_dl_model *m, uint32_t n_ctx, uint32_t n_batch,
		     char *err, size_t errlen)
{
	struct params_blob cp = L.context_default_params();
	uint32_t f[4];

	/* n_ctx, n_batch, n_ubatch, n_seq_max: the first four uint32_t of
	 * llama_context_params in v0.4.0, defaults 512, 2048, 512, 1. */
	memcpy(f, cp.w, sizeof(f));
	if (f[0] != 512 || f[1] != 2048 || f[2] != 512 || f[3] != 1)
		return llm_errf(err, errlen, "unsupported libllama: llama_context_params "
			    "does not start as in llama.cpp v0.4.0");
	f[0] = n_ctx;
	f[1] = f[2] = n_batch;
	memcpy(cp.w, f, 3 * sizeof(uint32_t));
	if (m->ctx)
		L.free_ctx(m->ctx);
	m->ctx = L.init_from_model(m->model, cp);
	if (!m->ctx)
		return llm_errf(err, errlen, "llama.cpp could not make a context of %u", n_ctx);
	/* one thread per realm, as caec's engine (the benchmark runs up to
	 * 8 realms side by side) */
	L.set_n_threads(m->ctx, 1, 1);
	return 0;
}

int32_t llama_dl_n_vocab(const struct llama_dl_model *m)
{
	return m->n_vocab;
}

long llama_dl_tokenize(struct llama_dl_model *m, const char *text, int32_t *out,
		       size_t cap)
{
	size_t n = strlen(text);
	int32_t c = cap > INT32_MAX ? INT32_MAX : (int32_t)cap;

	if (n > INT32_MAX)
		return -1;
	/* negative: the count needed when cap is too small */
	int32_t k = L.tokenize(m->vocab, text, (int32_t)n, out, c, false, false);
	return k < 0 ? -(long)k : (long)k;
}

void llama_dl_reset(struct llama_dl_model *m)
{
	if (m->ctx)
		L.memory_clear(L.get_memory(m->ctx), true);
}

const float *llama_dl_decode(struct llama_dl_model *m, int32_t *tokens, int32_t n)
{
	if (!m->ctx || n <= 0)
		return NULL;
	/* a batch of one sequence; llama.cpp keeps the last token's logits */
	struct batch_blob b = L.batch_get_one(tokens, n);
	if (L.decode(m->ctx, b) != 0)
		return NULL;
	return L.get_logits_ith(m->ctx, -1);
}

void llama_dl_free(struct llama_dl_model *m)
{
	if (!m)
		return;
	if (m->ctx)
		L.free_ctx(m->ctx);
	if (m->model)
		L.model_free(m->model);
	free(m);
}
