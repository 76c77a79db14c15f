/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hello-caec: a first libcaec program (docs/first-app.md walks through it).
 *
 * Two realms -- on the simulated platform, two processes: this one, the
 * provider, and a forked child, the consumer -- share one confidential
 * region and talk over a channel in it:
 *
 *   consumer: open a context, tell the provider its realm ID
 *   provider: open, create a region, format a channel in it, grant it to
 *             the consumer (read-write), send MESSAGES messages
 *   consumer: find the grant, attach it (consent), open its end of the
 *             channel, receive every message, reply with a summary
 *   consumer: close its end, detach, tell the provider it is done
 *   provider: print the reply, close the channel, unshare the region
 *
 * Realm IDs travel over a pipe here; real realms exchange them (and
 * attestation tokens, see caec_verify_peer(3)) over any channel they have.
 * Build it against an installed caec with the Makefile or meson.build
 * beside it, or in the caec tree (build/release/examples/hello-caec).
 * Exit status 0 when every message arrived intact.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <caec/caec.h>
#include <caec/channel.h>
#include <caec/version.h>

#define MESSAGES 1000
#define REGION_SIZE (64 * 1024)
/* Nothing here should take long: give up after 10 s rather than hang. */
#define TIMEOUT_NS (INT64_C(10) * 1000 * 1000 * 1000)

static int fail(const char *who, const char *what, int rc)
{
	fprintf(stderr, "hello-caec: %s: %s: %s (%s)\n", who, what,
		caec_errname(rc), caec_strerror(rc));
	return 1;
}

static int write_all(int fd, const void *p, size_t n)
{
	return write(fd, p, n) == (ssize_t)n ? 0 : -1;
}

static int read_all(int fd, void *p, size_t n)
{
	return read(fd, p, n) == (ssize_t)n ? 0 : -1;
}

/* The consumer: attach the provider's grant and receive. */
static int consumer(int to_provider, int from_provider)
{
	const char *me = "consumer";
	struct caec_ctx *ctx;
	struct caec_region *r;
	struct caec_channel *ch;
	uint64_t self, provider;
	int rc = caec_open(&ctx, NULL); /* NULL: defaults and CAEC_* variables */

	if (rc)
		return fail(me, "caec_open", rc);
	rc = caec_self_id(ctx, &self);
	if (rc || write_all(to_provider, &self, sizeof(self)) ||
	    read_all(from_provider, &provider, sizeof(provider))) {
		caec_close(ctx);
		return fail(me, "exchanging realm IDs", rc ? rc : CAEC_E_PLATFORM);
	}

	/* The provider has granted by now: find its grant among ours. */
	struct caec_grant_info g[8];
	int n = caec_grant_list(ctx, g, 8), i;
	for (i = 0; i < n && i < 8; i++)
		if (g[i].provider_id == provider)
			break;
	if (n < 0 || i == n || i == 8) {
		caec_close(ctx);
		return fail(me, "no grant from the provider", n < 0 ? n : CAEC_E_NOENT);
	}
	rc = caec_attach(ctx, g[i].grant_id, NULL, &r);
	if (rc) {
		caec_close(ctx);
		return fail(me, "caec_attach", rc);
	}
	rc = caec_channel_create(r, NULL, &ch);
	if (rc) {
		caec_close(ctx); /* detaches r too */
		return fail(me, "caec_channel_create", rc);
	}

	int got = 0, bad = 0;
	char buf[64], want[64];
	for (i = 0; i < MESSAGES; i++) {
		int len = caec_channel_recv(ch, buf, sizeof(buf) - 1, TIMEOUT_NS);
		if (len < 0) {
			rc = len;
			break;
		}
		buf[len] = '\0';
		snprintf(want, sizeof(want), "hello #%d", i);
		got++;
		bad += strcmp(buf, want) != 0;
	}
	if (rc == 0) {
		char reply[64];
		int len = snprintf(reply, sizeof(reply), "%d received, %d wrong", got, bad);
		rc = caec_channel_send(ch, reply, (size_t)len, TIMEOUT_NS);
	}
	caec_channel_destroy(ch);
	int drc = caec_detach(r);
	caec_close(ctx);
	/* Done with the region: the provider may unshare it now. */
	uint8_t done = 1;
	if (write_all(to_provider, &done, 1))
		return fail(me, "telling the provider", CAEC_E_PLATFORM);
	if (rc)
		return fail(me, "channel", rc);
	if (drc)
		return fail(me, "caec_detach", drc);
	return bad != 0;
}

/* The provider: share, format, grant, send. */
static int provider(int to_consumer, int from_consumer)
{
	const char *me = "provider";
	struct caec_ctx *ctx;
	struct caec_region *r;
	struct caec_channel *ch;
	uint64_t self, consumer_id, grant;
	int rc = caec_open(&ctx, NULL);

	if (rc)
		return fail(me, "caec_open", rc);
	rc = caec_self_id(ctx, &self);
	if (rc || read_all(from_consumer, &consumer_id, sizeof(consumer_id))) {
		caec_close(ctx);
		return fail(me, "exchanging realm IDs", rc ? rc : CAEC_E_PLATFORM);
	}
	rc = caec_share(ctx, REGION_SIZE, 0, &r);
	if (rc) {
		caec_close(ctx);
		return fail(me, "caec_share", rc);
	}
	/* Format the channel before granting: the consumer must find it. */
	rc = caec_channel_create(r, NULL, &ch);
	if (rc) {
		caec_close(ctx); /* unshares r too */
		return fail(me, "caec_channel_create", rc);
	}
	rc = caec_grant(r, consumer_id, CAEC_PERM_RW, NULL, &grant);
	if (rc || write_all(to_consumer, &self, sizeof(self))) {
		caec_channel_destroy(ch);
		caec_close(ctx);
		return fail(me, "caec_grant", rc ? rc : CAEC_E_PLATFORM);
	}

	char buf[64];
	for (int i = 0; i < MESSAGES && rc == 0; i++) {
		int len = snprintf(buf, sizeof(buf), "hello #%d", i);
		rc = caec_channel_send(ch, buf, (size_t)len, TIMEOUT_NS);
	}
	int len = rc ? rc : caec_channel_recv(ch, buf, sizeof(buf) - 1, TIMEOUT_NS);
	if (len >= 0) {
		buf[len] = '\0';
		printf("hello-caec: realm %016" PRIx64 " sent %d messages through a "
		       "%d KiB region to realm %016" PRIx64 ", which replied: %s\n",
		       self, MESSAGES, REGION_SIZE / 1024, consumer_id, buf);
	}
	/* Unshare only once the consumer has detached: unsharing revokes its
	 * grant, and a consumer should not lose the region while it still
	 * uses it.  (If it died instead, read() returns 0 and we go on.) */
	uint8_t done;
	if (len >= 0 && read(from_consumer, &done, 1) < 0)
		len = CAEC_E_PLATFORM;
	caec_channel_destroy(ch);
	int urc = caec_unshare(r);
	caec_close(ctx);
	if (len < 0)
		return fail(me, "channel", len);
	if (urc)
		return fail(me, "caec_unshare", urc);
	return 0;
}

/* No options of its own; --help and --version as every caec tool has. */
static int options(int argc, char **argv)
{
	if (argc < 2)
		return -1;
	if (!strcmp(argv[1], "--help")) {
		printf("usage: hello-caec\n"
		       "A provider and a consumer process share a region and pass %d\n"
		       "messages over a channel in it (docs/first-app.md).  It uses the\n"
		       "caec-simd that $CAEC_SIM_SOCKET or the default socket names.\n\n"
		       "  --help     show this help and exit\n"
		       "  --version  show the version and exit\n\n"
		       "Exit status: 0 every message arrived intact, 1 a call failed,\n"
		       "2 a usage error.\n",
		       MESSAGES);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("hello-caec %s\n", CAEC_VERSION_STRING);
		return 0;
	}
	fprintf(stderr, "hello-caec: unknown option or operand '%s'\n"
			"Try 'hello-caec --help'.\n", argv[1]);
	return 2;
}

int main(int argc, char **argv)
{
	int up[2], down[2]; /* consumer -> provider, provider -> consumer */
	int orc = options(argc, argv);

	if (orc >= 0)
		return orc;

	if (pipe(up) || pipe(down)) {
		perror("hello-caec: pipe");
		return 1;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("hello-caec: fork");
		return 1;
	}
	if (pid == 0) {
		close(up[0]);
		close(down[1]);
		_exit(consumer(up[1], down[0]));
	}
	close(up[1]);
	close(down[0]);
	int rc = provider(down[1], up[0]);
	/* A provider that failed early closes its pipe: the consumer's read
	 * fails and it exits too. */
	close(down[1]);
	int status;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "hello-caec: the consumer failed\n");
		rc = 1;
	}
	return rc;
}
