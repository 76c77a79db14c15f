/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One realm of the weight-sharing service, driven by a line protocol on
 * stdin/stdout (the benchmark and the tests drive it; a deployment would
 * carry the same messages over any channel), for any engine (serve.h):
 * `caec-gpt2 serve` runs caec's own, `caec-llama-serve` llama.cpp.
 *
 *   --mode private   the realm reads the model into its own private
 *                    anonymous memory (the paper's baseline)
 *   --mode provider  the realm loads the model into a CSM region, seals it,
 *                    grants it read-only to verified consumers, and also
 *                    serves inference from it
 *   --mode consumer  the realm attaches the sealed region read-only and
 *                    serves inference straight from the shared mapping
 *
 * Replies are one line each; errors are "error <code> <message>".
 *   (startup)                    -> ready <mode> <realm-id> [<hash-hex>]
 *   challenge <consumer-id>      -> challenge <consumer-id> <hex>   (provider)
 *   grant <consumer-id> <token>  -> granted <consumer-id> <grant-id> (provider)
 *   attest <challenge-hex>       -> token <hex>                      (consumer)
 *   attach <grant-id> <hash-hex> -> attached <grant-id>              (consumer)
 *   run <prompts> <prompt-tokens> <gen-tokens>
 *                                -> done <wall-seconds> <checksum> <cpu-seconds>
 *   quit                         -> bye
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <caec/attest.h>
#include <caec/caec.h>

#include "lib/engine.h"
#include "serve.h"
#include "share.h"

#define LINE_MAX_BYTES (2 * CAEC_TOKEN_MAX_SIZE + 256)
#define MAX_PENDING 64

struct pending {
	uint64_t consumer;
	uint8_t challenge[CAEC_CHALLENGE_SIZE];
};

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void reply(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void reply(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

double llm_serve_clock(int clock_id)
{
	return clock_s((clockid_t)clock_id);
}

/*
 * Touch every page of the image once.  Without this the memory comparison
 * would flatter the shared mode: pages of the region that inference never
 * reads (most rows of token_embd) are resident in RAM but mapped by no
 * realm, so they appear in nobody's Pss.  In private mode read() has
 * already made every page resident.
 */
uint64_t llm_serve_prefault(const void *p, size_t n)
{
	const volatile uint8_t *b = p;
	uint64_t s = 0;

	for (size_t i = 0; i < n; i += 4096)
		s += b[i];
	return s;
}

int llm_serve(const struct llm_serve_engine *eng, enum llm_serve_mode mode,
	      const char *model)
{
	struct caec_ctx *ctx = NULL;
	struct caec_region *region = NULL;
	void *engine = NULL;
	size_t fsize = 0;
	uint8_t hash[CAEC_HASH_MAX];
	int hash_len = 0, rc;
	uint64_t self = 0;
	char err[512];
	char *line = malloc(LINE_MAX_BYTES), *hex = malloc(LINE_MAX_BYTES);
	uint8_t *tok = malloc(CAEC_TOKEN_MAX_SIZE);
	struct pending pend[MAX_PENDING];
	unsigned n_pend = 0;

	if (!line || !hex || !tok) {
		reply("error %d out of memory", CAEC_E_NOMEM);
		goto out;
	}
	if (mode == LLM_SERVE_PRIVATE) {
		engine = eng->load(model, NULL, 0, err, sizeof(err));
		if (!engine) {
			reply("error %d %s", CAEC_E_INVAL, err);
			goto out;
		}
		reply("ready private 0");
	} else {
		rc = caec_open(&ctx, NULL);
		if (rc < 0 || (rc = caec_self_id(ctx, &self)) < 0) {
			reply("error %d caec_open: %s", rc, caec_strerror(rc));
			goto out;
		}
		if (mode == LLM_SERVE_PROVIDER) {
			hash_len = llm_share_provide(ctx, model, &region, hash, &fsize,
						     err, sizeof(err));
			if (hash_len < 0) {
				reply("error %d %s", hash_len, err);
				goto out;
			}
			engine = eng->load(NULL, region, fsize, err, sizeof(err));
			if (!engine) {
				reply("error %d %s", CAEC_E_INVAL, err);
				goto out;
			}
			llm_hex_encode(hash, (size_t)hash_len, hex);
			reply("ready provider %" PRIu64 " %s", self, hex);
		} else {
			reply("ready consumer %" PRIu64, self);
		}
	}

	while (fgets(line, LINE_MAX_BYTES, stdin)) {
		char cmd[32];
		uint64_t a = 0;
		unsigned p1, p2, p3;

		if (sscanf(line, "%31s", cmd) != 1)
			continue;
		if (!strcmp(cmd, "quit")) {
			reply("bye");
			break;
		} else if (!strcmp(cmd, "run") &&
			   sscanf(line, "run %u %u %u", &p1, &p2, &p3) == 3) {
			double secs, cpu;
			uint64_t sum;
			int rrc = 0;
			if (!(mode == LLM_SERVE_CONSUMER && region &&
			      caec_region_is_revoked(region)) && engine) {
				rrc = eng->run(engine, p1, p2, p3, &secs, &cpu, &sum);
				if (rrc == 0) {
					reply("done %.6f %016" PRIx64 " %.6f", secs, sum, cpu);
					continue;
				}
			}
			if (mode == LLM_SERVE_CONSUMER && region &&
			    (rrc == LLM_E_REVOKED || caec_region_is_revoked(region))) {
				/* The provider took the weights back (revoke,
				 * destroy, or it died): the mappings now fault,
				 * so running would crash this realm.  Drop the
				 * grant, then the engine -- in that order: the
				 * detach waits until the library has made every
				 * mapping of the region inaccessible, the
				 * engine's own included, so the engine frees
				 * nothing the library is still replacing.  A new
				 * attach can follow.  A revocation during a run
				 * stops it between two tokens (the engine reads
				 * the weights only inside caec_region_enter()
				 * sections). */
				int drc = caec_detach(region);
				region = NULL;
				eng->unload(engine);
				engine = NULL;
				reply("error %d weights revoked by the provider%s",
				      CAEC_E_REVOKED,
				      drc < 0 ? " (and detach failed)" : "");
				continue;
			}
			reply("error %d run failed", CAEC_E_STATE);
		} else if (mode == LLM_SERVE_PROVIDER && !strcmp(cmd, "challenge") &&
			   sscanf(line, "challenge %" SCNu64, &a) == 1) {
			if (n_pend == MAX_PENDING) {
				reply("error %d too many pending consumers", CAEC_E_RANGE);
				continue;
			}
			pend[n_pend].consumer = a;
			if ((rc = llm_share_challenge(pend[n_pend].challenge)) < 0) {
				reply("error %d getrandom", rc);
				continue;
			}
			llm_hex_encode(pend[n_pend].challenge, CAEC_CHALLENGE_SIZE, hex);
			n_pend++;
			reply("challenge %" PRIu64 " %s", a, hex);
		} else if (mode == LLM_SERVE_PROVIDER && !strcmp(cmd, "grant") &&
			   sscanf(line, "grant %" SCNu64 " %s", &a, hex) == 2) {
			long n = llm_hex_decode(hex, tok, CAEC_TOKEN_MAX_SIZE);
			unsigned i;
			uint64_t sid;
			for (i = 0; i < n_pend && pend[i].consumer != a; i++)
				;
			if (i == n_pend || n <= 0) {
				reply("error %d no challenge sent to %" PRIu64 " or bad token",
				      CAEC_E_STATE, a);
				continue;
			}
			rc = llm_share_grant_verified(ctx, region, a, pend[i].challenge,
						      tok, (size_t)n, &sid);
			pend[i] = pend[--n_pend]; /* a challenge is used once */
			if (rc < 0)
				reply("error %d grant to %" PRIu64 ": %s", rc, a,
				      caec_strerror(rc));
			else
				reply("granted %" PRIu64 " %" PRIu64, a, sid);
		} else if (mode == LLM_SERVE_CONSUMER && !strcmp(cmd, "attest") &&
			   sscanf(line, "attest %s", hex) == 1) {
			uint8_t ch[CAEC_CHALLENGE_SIZE];
			if (llm_hex_decode(hex, ch, sizeof(ch)) != CAEC_CHALLENGE_SIZE) {
				reply("error %d bad challenge", CAEC_E_INVAL);
				continue;
			}
			rc = llm_share_token(ctx, ch, tok, CAEC_TOKEN_MAX_SIZE);
			if (rc < 0) {
				reply("error %d caec_attest_token: %s", rc, caec_strerror(rc));
				continue;
			}
			llm_hex_encode(tok, (size_t)rc, hex);
			reply("token %s", hex);
		} else if (mode == LLM_SERVE_CONSUMER && !strcmp(cmd, "attach") &&
			   sscanf(line, "attach %" SCNu64 " %s", &a, hex) == 2) {
			long hl = llm_hex_decode(hex, hash, sizeof(hash));
			if (region || hl <= 0) {
				reply("error %d already attached or bad hash", CAEC_E_STATE);
				continue;
			}
			rc = llm_share_attach(ctx, a, hash, (size_t)hl, &region);
			if (rc < 0) {
				reply("error %d caec_attach: %s", rc, caec_strerror(rc));
				continue;
			}
			engine = eng->load(NULL, region, caec_region_size(region), err,
					   sizeof(err));
			if (!engine) {
				/* The provider sealed something that is not a
				 * usable model.  Let go of it, so that this realm
				 * holds no mapping it will never use and can
				 * attach a good grant later (otherwise every
				 * further attach is refused as "already
				 * attached"). */
				int drc = caec_detach(region);
				region = NULL;
				reply("error %d %s%s", CAEC_E_INVAL, err,
				      drc < 0 ? " (and detach failed)" : "");
				continue;
			}
			reply("attached %" PRIu64, a);
		} else {
			reply("error %d unknown or malformed command '%s'", CAEC_E_INVAL, cmd);
		}
	}
out:
	/* The region first, then the engine, as after a revocation: releasing
	 * it makes every mapping of it inaccessible, so freeing the engine
	 * afterwards only unmaps ranges the library already replaced. */
	if (region) {
		int drc = caec_region_is_provider(region) ? caec_unshare(region)
							   : caec_detach(region);
		if (drc < 0)
			fprintf(stderr, "%s serve: release region: %s\n", eng->name,
				caec_strerror(drc));
	}
	if (engine)
		eng->unload(engine);
	caec_close(ctx);
	free(line);
	free(hex);
	free(tok);
	return 0;
}
