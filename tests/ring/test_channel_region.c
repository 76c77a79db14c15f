/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Channels over real sim CSM regions, two realms (processes), with a
 * private caec-simd: the events that end a channel from outside.
 *
 *  revoke:      the consumer sleeps in recv; the provider revokes the
 *               grant.  The consumer must wake with CAEC_E_CLOSED (the
 *               event handler kicks the doorbell before the unmap) and
 *               every later call must return CAEC_E_CLOSED, not fault.
 *  peer-death:  the consumer sends 3 messages and dies (_exit without
 *               closing).  The provider, asleep in recv, gets the 3
 *               messages and then CAEC_E_CLOSED (PEER_DETACHED event).
 *  many:        many-to-one: the provider grants one region to two
 *               consumer realms; each sends 20000 messages over the
 *               multi-producer ring; the provider receives all, in
 *               per-sender order, and then CAEC_E_AGAIN.
 *  handshake:   a consumer cannot open a channel on a region the
 *               provider has not formatted (CAEC_E_CORRUPT), nor on a
 *               read-only grant (CAEC_E_PERM).
 *  second:      a second caec_channel_create() on a region with a live
 *               channel is refused (CAEC_E_EXIST) on both sides, and the
 *               message queued before it is still received.
 * Exit 0 pass, 1 fail, 77 skip.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <caec/caec.h>
#include <caec/channel.h>

#include "simd_fixture.h"

#define SZ (64u * 1024u)
#define SEC 1000000000ll

static int failures;
#define CHECK(cond, ...)                                                      \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);       \
			fprintf(stderr, __VA_ARGS__);                         \
			fputc('\n', stderr);                                  \
			failures++;                                           \
		}                                                             \
	} while (0)

static int put64(int fd, uint64_t v) { return write(fd, &v, 8) == 8 ? 0 : -1; }
static int get64(int fd, uint64_t *v) { return read(fd, v, 8) == 8 ? 0 : -1; }

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	nanosleep(&ts, NULL);
}

/* Consumer side of a scenario, in the child. */
static int consumer(const char *scenario, int rd, int wr)
{
	struct caec_ctx *ctx;
	uint64_t self, grant;
	struct caec_region *r;
	struct caec_channel *ch;
	if (caec_open(&ctx, NULL) != 0 || caec_self_id(ctx, &self) != 0 ||
	    put64(wr, self) || get64(rd, &grant))
		return 1;
	int rc = caec_attach(ctx, grant, NULL, &r);
	if (rc != 0) {
		fprintf(stderr, "consumer: attach: %s\n", caec_errname(rc));
		return 1;
	}
	if (strcmp(scenario, "unformatted") == 0) {
		rc = caec_channel_create(r, NULL, &ch);
		CHECK(rc == CAEC_E_CORRUPT, "unformatted: %s", caec_errname(rc));
		return failures != 0;
	}
	if (strcmp(scenario, "readonly") == 0) {
		rc = caec_channel_create(r, NULL, &ch);
		CHECK(rc == CAEC_E_PERM, "readonly: %s", caec_errname(rc));
		return failures != 0;
	}
	rc = caec_channel_create(r, NULL, &ch);
	if (rc != 0) {
		fprintf(stderr, "consumer: channel: %s\n", caec_errname(rc));
		return 1;
	}
	put64(wr, 1); /* ready */
	char buf[64];
	if (strcmp(scenario, "second") == 0) {
		struct caec_channel *ch2 = NULL;
		uint64_t sent;
		(void)get64(rd, &sent); /* the provider queued a message */
		rc = caec_channel_create(r, NULL, &ch2);
		CHECK(rc == CAEC_E_EXIST, "second consumer end: %s", caec_errname(rc));
		rc = caec_channel_recv(ch, buf, sizeof(buf), 10 * SEC);
		CHECK(rc == 6 && memcmp(buf, "first", 6) == 0,
		      "queued message: %s", rc < 0 ? caec_errname(rc) : "wrong bytes");
		caec_channel_destroy(ch);
		CHECK(caec_detach(r) == 0, "detach");
		caec_close(ctx);
		return failures != 0;
	}
	if (strcmp(scenario, "revoke") == 0) {
		/* Sleeps on the doorbell until the revocation wakes it. */
		rc = caec_channel_recv(ch, buf, sizeof(buf), 30 * SEC);
		CHECK(rc == CAEC_E_CLOSED, "revoke: recv returned %s", caec_errname(rc));
		CHECK(caec_region_is_revoked(r), "region not marked revoked");
		rc = caec_channel_send(ch, "x", 1, 0);
		CHECK(rc == CAEC_E_CLOSED, "send after revoke: %s", caec_errname(rc));
		const void *p;
		size_t len;
		rc = caec_channel_peek(ch, &p, &len, CAEC_TIMEOUT_INFINITE);
		CHECK(rc == CAEC_E_CLOSED, "peek after revoke: %s", caec_errname(rc));
		caec_channel_destroy(ch);
		CHECK(caec_detach(r) == 0, "detach after revoke");
		caec_close(ctx);
		return failures != 0;
	}
	/* peer-death: send 3 messages, then die without closing anything */
	for (int i = 0; i < 3; i++) {
		rc = caec_channel_send(ch, &i, sizeof(i), 5 * SEC);
		CHECK(rc == 0, "send: %s", caec_errname(rc));
	}
	_exit(failures != 0 ? 1 : 0);
}

#define MANY_N 20000u

/* One sender of the many-to-one scenario, in a child realm. */
static int many_sender(uint32_t id, int rd, int wr)
{
	struct caec_ctx *ctx;
	uint64_t self, grant;
	struct caec_region *r;
	struct caec_channel *ch;
	if (caec_open(&ctx, NULL) != 0 || caec_self_id(ctx, &self) != 0 ||
	    put64(wr, self) || get64(rd, &grant))
		return 1;
	int rc = caec_attach(ctx, grant, NULL, &r);
	if (rc == 0)
		rc = caec_channel_create(r, NULL, &ch);
	if (rc != 0) {
		fprintf(stderr, "sender %u: %s\n", id, caec_errname(rc));
		return 1;
	}
	for (uint32_t i = 0; i < MANY_N && rc == 0; i++) {
		uint32_t m[2] = {id, i};
		rc = caec_channel_send(ch, m, sizeof(m), 10 * SEC);
	}
	CHECK(rc == 0, "sender %u: %s", id, caec_errname(rc));
	/* stay attached until the provider has read everything */
	uint64_t done;
	(void)get64(rd, &done);
	caec_channel_destroy(ch);
	CHECK(caec_detach(r) == 0, "detach");
	caec_close(ctx);
	return failures != 0;
}

static int run_many(void)
{
	enum { K = 2 };
	int up[K][2], down[K][2];
	pid_t pid[K];
	for (int k = 0; k < K; k++) {
		if (pipe(up[k]) || pipe(down[k]))
			return 1;
		pid[k] = fork();
		if (pid[k] == 0)
			_exit(many_sender((uint32_t)k, down[k][0], up[k][1]));
	}
	struct caec_ctx *ctx;
	struct caec_region *r;
	struct caec_channel *ch = NULL;
	int rc = caec_open(&ctx, NULL);
	if (rc == 0)
		rc = caec_share(ctx, SZ, 0, &r);
	struct caec_channel_opts o = {.size = sizeof(o),
				      .flags = CAEC_CHANNEL_F_MANY_TO_ONE};
	if (rc == 0)
		rc = caec_channel_create(r, &o, &ch);
	CHECK(rc == 0, "provider set-up: %s", caec_errname(rc));
	for (int k = 0; k < K && rc == 0; k++) {
		uint64_t peer, grant;
		if (get64(up[k][0], &peer))
			rc = CAEC_E_PROTO;
		if (rc == 0)
			rc = caec_grant(r, peer, CAEC_PERM_RW, NULL, &grant);
		CHECK(rc == 0, "grant %d: %s", k, caec_errname(rc));
		put64(down[k][1], rc == 0 ? grant : 0);
	}
	uint32_t next[K] = {0};
	for (uint32_t n = 0; rc == 0 && n < K * MANY_N; n++) {
		uint32_t m[2];
		rc = caec_channel_recv(ch, m, sizeof(m), 20 * SEC);
		if (rc != (int)sizeof(m)) {
			CHECK(0, "recv after %u: %s", n, caec_errname(rc));
			break;
		}
		rc = 0;
		if (m[0] >= K || m[1] != next[m[0]]) {
			CHECK(0, "message (%u, %u) out of order", m[0], m[1]);
			rc = -1;
			break;
		}
		next[m[0]]++;
	}
	for (int k = 0; k < K; k++)
		CHECK(next[k] == MANY_N, "sender %d: %u messages", k, next[k]);
	if (ch != NULL) {
		char b[8];
		rc = caec_channel_recv(ch, b, sizeof(b), 0);
		CHECK(rc == CAEC_E_AGAIN, "extra message: %s", caec_errname(rc));
	}
	for (int k = 0; k < K; k++) {
		put64(down[k][1], 1);
		int st;
		waitpid(pid[k], &st, 0);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "sender %d failed", k);
		close(up[k][0]);
		close(up[k][1]);
		close(down[k][0]);
		close(down[k][1]);
	}
	caec_channel_destroy(ch);
	CHECK(caec_unshare(r) == 0, "destroy");
	caec_close(ctx);
	return failures != 0;
}

static int run(const char *scenario)
{
	if (strcmp(scenario, "many") == 0)
		return run_many();
	int to_parent[2], to_child[2];
	if (pipe(to_parent) || pipe(to_child))
		return 1;
	pid_t pid = fork();
	if (pid == 0)
		_exit(consumer(scenario, to_child[0], to_parent[1]));
	struct caec_ctx *ctx;
	struct caec_region *r;
	struct caec_channel *ch = NULL;
	uint64_t peer, grant, ready;
	int rc = caec_open(&ctx, NULL);
	if (rc != 0 || get64(to_parent[0], &peer)) {
		fprintf(stderr, "provider: open: %s\n", caec_errname(rc));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 1;
	}
	rc = caec_share(ctx, SZ, 0, &r);
	CHECK(rc == 0, "grant: %s", caec_errname(rc));
	bool formatted = strcmp(scenario, "unformatted") != 0;
	if (rc == 0 && formatted) {
		rc = caec_channel_create(r, NULL, &ch);
		CHECK(rc == 0, "provider channel: %s", caec_errname(rc));
	}
	unsigned perm = strcmp(scenario, "readonly") == 0 ? CAEC_PERM_RO : CAEC_PERM_RW;
	if (rc == 0)
		rc = caec_grant(r, peer, perm, NULL, &grant);
	CHECK(rc == 0, "grant: %s", caec_errname(rc));
	put64(to_child[1], rc == 0 ? grant : 0);
	if (strcmp(scenario, "revoke") == 0) {
		if (get64(to_parent[0], &ready) == 0) {
			sleep_ms(100); /* the consumer is asleep in recv by now */
			rc = caec_revoke(r, grant);
			CHECK(rc == 0, "revoke: %s", caec_errname(rc));
		}
	} else if (strcmp(scenario, "second") == 0) {
		if (get64(to_parent[0], &ready) == 0) {
			rc = caec_channel_send(ch, "first", 6, 5 * SEC);
			CHECK(rc == 0, "send: %s", caec_errname(rc));
			/* Would re-format the region under the live channel. */
			struct caec_channel *ch2 = NULL;
			rc = caec_channel_create(r, NULL, &ch2);
			CHECK(rc == CAEC_E_EXIST, "second provider channel: %s", caec_errname(rc));
			if (rc == 0)
				caec_channel_destroy(ch2);
			put64(to_child[1], 1);
		}
	} else if (strcmp(scenario, "peer-death") == 0) {
		if (get64(to_parent[0], &ready) == 0) {
			int v, n = 0;
			for (;;) {
				rc = caec_channel_recv(ch, &v, sizeof(v), 30 * SEC);
				if (rc < 0)
					break;
				CHECK(v == n, "message %d, want %d", v, n);
				n++;
			}
			CHECK(n == 3, "got %d messages", n);
			CHECK(rc == CAEC_E_CLOSED, "after peer death: %s", caec_errname(rc));
		}
	}
	int st;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "consumer failed (status %d)", st);
	caec_channel_destroy(ch);
	CHECK(caec_unshare(r) == 0, "destroy");
	caec_close(ctx);
	close(to_parent[0]);
	close(to_parent[1]);
	close(to_child[0]);
	close(to_child[1]);
	return failures != 0;
}

int main(int argc, char **argv)
{
	if (getenv("CAEC_SIMD") == NULL) {
		fprintf(stderr, "CAEC_SIMD not set: skip\n");
		return 77;
	}
	alarm(100);
	struct caec_test_simd simd;
	if (caec_test_start_simd(&simd, NULL) != 0)
		return 1;
	const char *all[] = {"revoke", "peer-death", "many", "unformatted", "readonly",
			     "second"};
	int res = 0;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (argc > 1 && strcmp(argv[1], all[i]) != 0)
			continue;
		failures = 0;
		int rc = run(all[i]);
		printf("%-12s %s\n", all[i], rc ? "FAIL" : "ok");
		res |= rc;
	}
	caec_test_stop_simd(&simd);
	return res;
}
