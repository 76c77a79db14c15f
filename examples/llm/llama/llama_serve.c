/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-llama-serve: one realm running llama.cpp -- npm's node-llama-cpp
 * prebuilt libllama, loaded at run time (llama_dl.h) -- behind the same
 * line protocol as `caec-gpt2 serve` (serve.c), on a private copy of the
 * model or on one sealed CSM copy shared by every realm.
 *
 *   caec-llama-serve --mode private|provider|consumer [-m FILE] [--llama-lib DIR]
 *                    [--repack]
 *
 * DIR holds libllama.*.so and the ggml CPU backends (default
 * $CAEC_LLAMA_LIB); tools/npm/llama/node_modules/@node-llama-cpp/linux-x64/
 * bins/linux-x64 after scripts/setup.sh.  The libraries are loaded before
 * the realm opens its libcaec context, so that the platform's measurement
 * of the realm covers them.  llama.cpp runs with weight repacking off
 * (llama-cli's --no-repack) unless --repack is given: a repacked weight is a
 * private copy in each realm, which no sharing of the file can avoid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llama_dl.h"
#include "llama_engine.h"
#include "serve.h"

static void usage(FILE *fp)
{
	fprintf(fp, "usage: caec-llama-serve --mode private|provider|consumer [-m FILE] "
		    "[--llama-lib DIR] [--repack]\n"
		    "  DIR: node-llama-cpp's prebuilt libllama (default $CAEC_LLAMA_LIB)\n");
}

int main(int argc, char **argv)
{
	const char *mode = NULL, *model = NULL, *lib = getenv("CAEC_LLAMA_LIB");
	char err[512];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--mode") && v) { mode = v; i++; }
		else if (!strcmp(a, "-m") && v) { model = v; i++; }
		else if (!strcmp(a, "--llama-lib") && v) { lib = v; i++; }
		else if (!strcmp(a, "--repack")) llm_llama_repack = true;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); return 0; }
		else { usage(stderr); return 2; }
	}
	enum llm_serve_mode m;
	if (!mode || !lib)
		goto bad;
	if (!strcmp(mode, "consumer"))
		m = LLM_SERVE_CONSUMER;
	else if (model && !strcmp(mode, "private"))
		m = LLM_SERVE_PRIVATE;
	else if (model && !strcmp(mode, "provider"))
		m = LLM_SERVE_PROVIDER;
	else
		goto bad;
	if (llama_dl_open(lib, err, sizeof(err))) {
		/* the protocol's error line, so that a driver sees why */
		printf("error -16 %s\n", err);
		return 1;
	}
	return llm_serve(&llm_serve_llama, m, model);
bad:
	usage(stderr);
	return 2;
}
