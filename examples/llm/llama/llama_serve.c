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
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "llama_dl.h"
#include "llama_engine.h"
#include "serve.h"

enum { OPT_MODE = 256, OPT_LIB, OPT_REPACK, OPT_MODEL = 'm' };

static const struct cli_opt opts[] = {
	{ "mode", OPT_MODE, "MODE", "private (a private copy of the model), provider "
	  "(one sealed CSM copy shared read-only with verified consumers) or consumer "
	  "(llama.cpp maps the provider's copy); required" },
	{ "model", OPT_MODEL, "FILE", "the GGUF model (private and provider)" },
	{ "llama-lib", OPT_LIB, "DIR", "node-llama-cpp's prebuilt libllama and ggml "
	  "CPU backends (default: $CAEC_LLAMA_LIB; after scripts/setup.sh, "
	  "tools/npm/llama/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64)" },
	{ "repack", OPT_REPACK, NULL, "let llama.cpp repack quantized weights for its "
	  "CPU kernels: a private copy in each realm (default: off, as llama-cli's "
	  "--no-repack)" },
	{ NULL },
};

static struct cli cli = {
	.prog = "caec-llama-serve",
	.usage = "--mode private|provider|consumer [-m FILE] [--llama-lib DIR] [--repack]",
	.about = "One realm running llama.cpp behind the line protocol of `caec-gpt2 "
		 "serve` (examples/llm/serve.c), on a private copy of the model or on "
		 "one sealed CSM copy that every realm maps (caec_region_export_fd(); "
		 "docs/llm.md).  Provider and consumer need caec-simd "
		 "($CAEC_SIM_SOCKET or its default socket).",
	.opts = opts,
	.footer = "Exit status: 0 served until \"quit\"; 1 llama.cpp could not be "
		  "loaded (an \"error\" line says why) or the service failed; 2 usage "
		  "error.",
};

int main(int argc, char **argv)
{
	static const char *const modes[] = { "private", "provider", "consumer", NULL };
	const char *model = NULL, *lib = getenv("CAEC_LLAMA_LIB"), *arg;
	int mode = -1, c;
	char err[512];

	while ((c = cli_next(&cli, argc, argv, &arg)) != -1) {
		switch (c) {
		case OPT_MODE: mode = cli_choice(&cli, "--mode", arg, modes); break;
		case OPT_MODEL: model = arg; break;
		case OPT_LIB: lib = arg; break;
		case OPT_REPACK: llm_llama_repack = true; break;
		}
	}
	if (cli_operand_index() != argc)
		cli_usage_error(&cli, "unexpected operand '%s'", argv[cli_operand_index()]);
	if (mode < 0)
		cli_usage_error(&cli, "--mode private, provider or consumer is required");
	if (mode != 2 && !model)
		cli_usage_error(&cli, "--mode %s needs -m FILE", modes[mode]);
	if (!lib || !*lib)
		cli_usage_error(&cli, "no --llama-lib DIR (nor $CAEC_LLAMA_LIB)");
	if (llama_dl_open(lib, err, sizeof(err))) {
		/* the protocol's error line, so that a driver sees why */
		printf("error -16 %s\n", err);
		return 1;
	}
	static const enum llm_serve_mode m[] = { LLM_SERVE_PRIVATE, LLM_SERVE_PROVIDER,
						 LLM_SERVE_CONSUMER };
	return llm_serve(&llm_serve_llama, m[mode], mode == 2 ? NULL : model);
}
