/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-demo: three realms share one confidential region.
 *
 *   provider  creates a region, grants it read-write to consumer A and
 *             read-only to consumer B, later revokes B and destroys it;
 *   A         attaches, reads the provider's message, writes a reply;
 *   B         attaches read-only, reads both, and shows that a write faults.
 *
 * Each realm is a process with its own libcaec context (so its own realm
 * ID).  Realm IDs and grant IDs travel between them over pipes: in a real
 * deployment they travel over any untrusted channel, because the platform,
 * not the channel, enforces who may attach.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <caec/caec.h>

#include "peer_check.h"

#define REGION_SIZE (16 * CAEC_GRANULE_SIZE)
#define REPLY_OFF CAEC_GRANULE_SIZE

struct link {
	int to_child[2];
	int to_parent[2];
};

__attribute__((format(printf, 2, 3)))
static void say(const char *who, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("[%-8s] ", who);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
}

static void die(const char *who, const char *what, int rc)
{
	fprintf(stderr, "[%-8s] %s failed: %s (%s)\n", who, what, caec_strerror(rc),
		caec_errname(rc));
	exit(1);
}

static void put_u64(int fd, uint64_t v)
{
	if (write(fd, &v, sizeof(v)) != (ssize_t)sizeof(v)) {
		perror("demo: pipe write");
		exit(1);
	}
}

static uint64_t get_u64(int fd)
{
	uint64_t v;
	ssize_t n;
	do {
		n = read(fd, &v, sizeof(v));
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(v)) {
		fprintf(stderr, "demo: peer process went away\n");
		exit(1);
	}
	return v;
}

static sigjmp_buf *fault_jump;

static void on_fault(int sig)
{
	siglongjmp(*fault_jump, sig);
}

/* Try to store into a read-only mapping and observe the fault rather than
 * suffer it: a temporary SIGSEGV handler jumps back here.  (Not in a
 * forked child: region memory is not inherited across fork().) */
static int write_faults(volatile char *p)
{
	struct sigaction sa, old;
	sigjmp_buf jb;
	volatile int faulted = 0;

	sa.sa_handler = on_fault;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NODEFER;
	if (sigaction(SIGSEGV, &sa, &old) < 0)
		return -1;
	fault_jump = &jb;
	if (sigsetjmp(jb, 1) == 0) {
		char v = p[0];
		p[0] = v; /* stores nothing new even if it were allowed */
	} else {
		faulted = 1;
	}
	fault_jump = NULL;
	sigaction(SIGSEGV, &old, NULL);
	return faulted;
}

static int consumer(const char *who, struct link *l, bool writer)
{
	struct caec_ctx *ctx;
	struct caec_region *r;
	uint64_t self;
	int rc;

	close(l->to_child[1]);
	close(l->to_parent[0]);
	int in = l->to_child[0], out = l->to_parent[1];

	if ((rc = caec_open(&ctx, NULL)) < 0)
		die(who, "caec_open", rc);
	if ((rc = caec_self_id(ctx, &self)) < 0)
		die(who, "caec_self_id", rc);
	say(who, "realm ID %016" PRIx64 ", asking the provider for a grant", self);
	put_u64(out, self);
	/* Before attaching, make sure the provider is the realm we expect,
	 * running the software we expect (and prove the same to it). */
	uint64_t provider = get_u64(in);
	if ((rc = demo_mutual_attest(ctx, who, in, out, provider, false)) < 0)
		die(who, "peer verification", rc);
	uint64_t grant = get_u64(in);

	struct caec_grant_info gi[8];
	int n = caec_grant_list(ctx, gi, 8);
	if (n < 0)
		die(who, "caec_grant_list", n);
	say(who, "%d grant(s) granted to me; attaching %016" PRIx64 " (%s)", n, grant,
	    n > 0 && gi[0].perm == CAEC_PERM_RW ? "read-write" : "read-only");
	if ((rc = caec_attach(ctx, grant, NULL, &r)) < 0)
		die(who, "caec_attach", rc);
	const char *base = caec_region_addr(r);
	say(who, "mapped %zu bytes at %p; provider says: \"%s\"", caec_region_size(r),
	    (void *)base, base);

	if (writer) {
		snprintf((char *)base + REPLY_OFF, 64, "reply from %s, in place", who);
		say(who, "wrote my reply into the region (no copy, no crypto)");
		put_u64(out, 1);
	} else {
		get_u64(in); /* wait until A has written */
		say(who, "reads A's reply: \"%s\"", base + REPLY_OFF);
		int f = write_faults((volatile char *)base);
		say(who, "write attempt on my read-only mapping: %s",
		    f == 1 ? "SIGSEGV (refused, as it must be)" : "NOT REFUSED");
		if (f != 1)
			exit(1);
		put_u64(out, 1);
	}

	/* Wait until the provider revokes us / destroys the region. */
	get_u64(in);
	say(who, "access now: %s (caec_region_enter() -> %s)",
	    caec_region_is_revoked(r) ? "revoked" : "still granted",
	    caec_region_enter(r) ? "mapping" : "NULL");
	caec_region_leave(r);
	if ((rc = caec_detach(r)) < 0)
		die(who, "caec_detach", rc);
	put_u64(out, 1);
	caec_close(ctx);
	return 0;
}

static pid_t spawn(const char *who, struct link *l, bool writer)
{
	if (pipe(l->to_child) < 0 || pipe(l->to_parent) < 0) {
		perror("demo: pipe");
		exit(1);
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("demo: fork");
		exit(1);
	}
	if (pid == 0)
		exit(consumer(who, l, writer));
	close(l->to_child[0]);
	close(l->to_parent[1]);
	return pid;
}

int main(void)
{
	const char *who = "provider";
	struct link la, lb;
	struct caec_ctx *ctx;
	struct caec_region *r;
	uint64_t self, grant_a, grant_b;
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	pid_t pa = spawn("A (rw)", &la, true);
	pid_t pb = spawn("B (ro)", &lb, false);

	if ((rc = caec_open(&ctx, NULL)) < 0)
		die(who, "caec_open (is caec-simd running?)", rc);
	if ((rc = caec_self_id(ctx, &self)) < 0)
		die(who, "caec_self_id", rc);
	say(who, "realm ID %016" PRIx64 " on the '%s' platform", self,
	    caec_backend_name(ctx));

	uint64_t id_a = get_u64(la.to_parent[0]);
	uint64_t id_b = get_u64(lb.to_parent[0]);
	put_u64(la.to_child[1], self);
	put_u64(lb.to_child[1], self);
	/* Verify each consumer before granting anything to it. */
	if ((rc = demo_mutual_attest(ctx, who, la.to_parent[0], la.to_child[1], id_a, true)) < 0)
		die(who, "verify A", rc);
	if ((rc = demo_mutual_attest(ctx, who, lb.to_parent[0], lb.to_child[1], id_b, true)) < 0)
		die(who, "verify B", rc);

	if ((rc = caec_share(ctx, REGION_SIZE, 0, &r)) < 0)
		die(who, "caec_share", rc);
	char *base = caec_region_addr(r);
	snprintf(base, 64, "hello from realm %016" PRIx64, self);
	say(who, "created a %d KiB confidential region and wrote a message", REGION_SIZE / 1024);

	if ((rc = caec_grant(r, id_a, CAEC_PERM_RW, NULL, &grant_a)) < 0)
		die(who, "caec_grant A", rc);
	if ((rc = caec_grant(r, id_b, CAEC_PERM_RO, NULL, &grant_b)) < 0)
		die(who, "caec_grant B", rc);
	say(who, "granted read-write to %016" PRIx64 " and read-only to %016" PRIx64,
	    id_a, id_b);
	put_u64(la.to_child[1], grant_a);
	put_u64(lb.to_child[1], grant_b);

	get_u64(la.to_parent[0]); /* A replied */
	say(who, "reads A's reply in place: \"%s\"", base + REPLY_OFF);
	put_u64(lb.to_child[1], 1);
	get_u64(lb.to_parent[0]); /* B showed its fault */

	if ((rc = caec_revoke(r, grant_b)) < 0)
		die(who, "caec_revoke B", rc);
	say(who, "revoked B's grant (B has unmapped when this returns)");
	put_u64(lb.to_child[1], 1);
	get_u64(lb.to_parent[0]);

	if ((rc = caec_unshare(r)) < 0)
		die(who, "caec_unshare", rc);
	say(who, "destroyed the region: A's grant revoked with it, memory scrubbed");
	put_u64(la.to_child[1], 1);
	get_u64(la.to_parent[0]);

	int st_a, st_b;
	waitpid(pa, &st_a, 0);
	waitpid(pb, &st_b, 0);
	caec_close(ctx);
	bool ok = WIFEXITED(st_a) && !WEXITSTATUS(st_a) && WIFEXITED(st_b) &&
		  !WEXITSTATUS(st_b);
	say(who, "%s", ok ? "demo complete" : "demo FAILED");
	return ok ? 0 : 1;
}
