/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The conformance suite's realm harness: a tiny runner, one per realm, an
 * application of the caec realm kernel linked with libcaec's realm build
 * (the RSI backend on the firmware RMM).
 *
 * Role r of a case runs in realm r (a case with fewer roles leaves the
 * other realms idle; CT_ROLES_MANY uses every realm).  Values between
 * roles travel through the host, tagged with the case (the kernel's test
 * hooks, firmware/common/include/realm_harness.h).  A failed assertion
 * prints where and why and ends the role (longjmp back to the runner,
 * which closes the contexts the role left open).  After each case every
 * realm sends its verdict to realm 0, which prints one line per case and
 * sends "next": no realm starts a case before all finished the previous
 * one.  Realm 0 ends with the line
 *   realm conformance: N passed, M failed
 * which the QEMU test fw_libcaec_conformance collects.
 *
 * A case's dying role runs in a process of its own, spawned by the
 * runner with "--case I --role R", so that its death (ct_die: exit
 * without cleanup) is that process's, not the runner's.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sha256.h>
#include <user/sys.h>

#include "ct.h"

#define RECV_TIMEOUT_NS (60ull * 1000000000ull)
#define VERDICT_TIMEOUT_NS (600ull * 1000000000ull)

/* Tags: 4 per case, the kind in the low bits. */
enum { TAG_DATA, TAG_VERDICT, TAG_NEXT };
enum { V_PASS = 1, V_FAIL = 2, V_IDLE = 3 };

static unsigned my_realm, n_realms;
static int my_role, n_roles;
static size_t cur_case;
static bool helper; /* a process spawned for one dying role */
static jmp_buf role_jmp;

static uint64_t tag(size_t c, unsigned kind)
{
	return (uint64_t)c * 4u + kind;
}

static uint64_t now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };
	nanosleep(&ts, NULL);
}

/* ---- the harness API ---------------------------------------------------- */

int ct_role(void)
{
	return my_role;
}

int ct_nroles(void)
{
	return n_roles;
}

const char *ct_backend(void)
{
	return "rsi";
}

bool ct_on_sim(void)
{
	return false;
}

void ct_fail_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	const char *base = strrchr(file, '/');
	printf("r%u: %s role %d: FAIL %s:%d: ", my_realm, ct_case_at(cur_case)->name, my_role,
	       base ? base + 1 : file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (helper || my_role < 0)
		exit(1); /* the dying role's process, or the runner itself */
	longjmp(role_jmp, 1);
}

void ct_note(const char *fmt, ...)
{
	va_list ap;
	printf("r%u: %s role %d: ", my_realm, ct_case_at(cur_case)->name, my_role);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void send_tagged(unsigned to, uint64_t t, uint64_t v)
{
	uint64_t t0 = now();
	long rc;
	while ((rc = sys_test_peer_send(to, t, v)) == -RERR_EAGAIN) {
		/* The host's queue is full: the peer drains it, unless it is gone. */
		if (now() - t0 > RECV_TIMEOUT_NS)
			ct_fail_at(__FILE__, __LINE__, "realm %u takes no message for %llu s", to,
				   (unsigned long long)(RECV_TIMEOUT_NS / 1000000000ull));
		sleep_ms(1);
	}
	if (rc != 0)
		ct_fail_at(__FILE__, __LINE__, "send to realm %u: %s", to, sys_errname(rc));
}

static uint64_t recv_tagged(unsigned from, uint64_t t, uint64_t timeout_ns)
{
	uint64_t v, t0 = now();
	long rc;
	while ((rc = sys_test_peer_recv(from, t, &v)) == -RERR_EAGAIN) {
		if (now() - t0 > timeout_ns)
			ct_fail_at(__FILE__, __LINE__, "nothing from realm %u in %llu s", from,
				   (unsigned long long)(timeout_ns / 1000000000ull));
		sleep_ms(1);
	}
	if (rc != 0)
		ct_fail_at(__FILE__, __LINE__, "receive from realm %u: %s", from, sys_errname(rc));
	return v;
}

void ct_send(int to, uint64_t v)
{
	if ((my_role == 0) == (to == 0) || to < 0 || to >= n_roles)
		ct_fail_at(__FILE__, __LINE__, "role %d cannot send to role %d", my_role, to);
	send_tagged((unsigned)to, tag(cur_case, TAG_DATA), v);
}

uint64_t ct_recv(int from)
{
	if ((my_role == 0) == (from == 0) || from < 0 || from >= n_roles)
		ct_fail_at(__FILE__, __LINE__, "role %d cannot receive from role %d", my_role,
			   from);
	return recv_tagged((unsigned)from, tag(cur_case, TAG_DATA), RECV_TIMEOUT_NS);
}

void ct_die(void)
{
	if (!helper)
		ct_fail_at(__FILE__, __LINE__, "only a dying role's own process can die");
	fflush(stdout);
	/* exit_group with /dev/caec still open: the kernel releases it, as
	 * it would for a killed process (the driver unshares its regions). */
	for (;;)
		(void)sys_call6(RSYS_exit_group, 0, 0, 0, 0, 0, 0);
}

static jmp_buf probe_jmp;

static void on_fault(int sig, struct rsiginfo *info, void *uctx)
{
	(void)sig;
	(void)info;
	(void)uctx;
	longjmp(probe_jmp, 1);
}

static void default_action(int sig)
{
	struct rsigaction dfl = { .handler = RSIG_DFL };
	(void)sys_rt_sigaction(sig, &dfl, NULL, 8U);
}

bool ct_faults(volatile void *addr, bool write)
{
	volatile unsigned char *p = addr;
	volatile bool faulted = false;
	CT_EQ(user_sigaction(RSIGSEGV, on_fault), 0);
	CT_EQ(user_sigaction(RSIGBUS, on_fault), 0);
	if (setjmp(probe_jmp) == 0) {
		unsigned char v = p[0];
		if (write)
			p[0] = v; /* the same byte: a store that succeeds changes nothing */
	} else {
		faulted = true;
	}
	default_action(RSIGSEGV);
	default_action(RSIGBUS);
	return faulted;
}

int ct_make_writable(void *addr, size_t len)
{
	long rc = sys_call6(RSYS_mprotect, (long)(uintptr_t)addr, (long)len,
			    RPROT_READ | RPROT_WRITE, 0, 0, 0);
	return rc == 0 ? 0 : (int)-rc; /* the kernel's errno: Linux numbering */
}

size_t ct_self_rim(struct caec_ctx *ctx, uint8_t out[CAEC_HASH_MAX])
{
	(void)ctx;
	uint8_t rim[64];
	long n = sys_test_realm_rim(rim);
	if (n <= 0 || n > CAEC_HASH_MAX)
		ct_fail_at(__FILE__, __LINE__, "RIM: %s", sys_errname(n));
	memcpy(out, rim, (size_t)n);
	return (size_t)n;
}

void ct_sha256(const void *p, size_t n, uint8_t out[32])
{
	sha256(p, n, out);
}

uint64_t ct_pick(uint64_t sim_count, uint64_t realm_count)
{
	(void)sim_count;
	return realm_count;
}

uint64_t ct_now_ns(void)
{
	return now();
}

void ct_sleep_ms(unsigned ms)
{
	sleep_ms(ms);
}

uint64_t ct_sleeps(void)
{
	long n = user_voluntary_switches();
	return n < 0 ? 0 : (uint64_t)n;
}

/* ---- the runner --------------------------------------------------------- */

static void (*role_fn(const struct ct_case *c, int role))(void)
{
	if (role == 0)
		return c->role0;
	if (role == 1 || !c->role_n)
		return c->role1;
	return c->role_n;
}

static int roles_of(const struct ct_case *c)
{
	return c->roles == CT_ROLES_MANY ? (int)n_realms : c->roles;
}

/* The dying role in a process of its own; true if it passed. */
static bool run_helper(size_t i, int role)
{
	char ci[16], cr[16];
	snprintf(ci, sizeof(ci), "%zu", i);
	snprintf(cr, sizeof(cr), "%d", role);
	const char *argv[] = { "conformance", "--case", ci, "--role", cr, NULL };
	int32_t st = -1;
	fflush(stdout);
	long pid = sys_test_spawn("conformance", argv);
	if (pid <= 0) {
		printf("r%u: %s: cannot start the dying role's process: %s\n", my_realm,
		       ct_case_at(i)->name, sys_errname(pid));
		return false;
	}
	if (sys_wait4(pid, &st) != pid)
		return false;
	return st == 0; /* exited with status 0 */
}

/* One case in this realm: its verdict. */
static unsigned run_case(size_t i)
{
	const struct ct_case *c = ct_case_at(i);
	cur_case = i;
	n_roles = roles_of(c);
	my_role = my_realm < (unsigned)n_roles ? (int)my_realm : -1;
	if (my_role < 0)
		return V_IDLE;
	if (my_role == c->dying_role)
		return run_helper(i, my_role) ? V_PASS : V_FAIL;
	unsigned v = V_PASS;
	if (setjmp(role_jmp) == 0)
		role_fn(c, my_role)();
	else
		v = V_FAIL;
	ct_close_all();
	return v;
}

int main(int argc, char **argv)
{
	long info = sys_test_peer_info();
	if (info < 0) {
		printf("no peer harness: %s\n", sys_errname(info));
		return 2;
	}
	my_realm = (unsigned)(info & 0xFFFF);
	n_realms = (unsigned)(info >> 16);
	if (argc == 5 && strcmp(argv[1], "--case") == 0 && strcmp(argv[3], "--role") == 0) {
		helper = true;
		cur_case = (size_t)strtoul(argv[2], NULL, 10);
		const struct ct_case *c = ct_case_at(cur_case);
		if (!c)
			return 2;
		n_roles = roles_of(c);
		my_role = atoi(argv[4]);
		role_fn(c, my_role)();
		ct_close_all();
		return 0;
	}

	unsigned passed = 0, failed = 0, skipped = 0;
	if (my_realm == 0)
		printf("realm conformance: %zu cases, %u realms (role r runs in realm r)\n",
		       ct_case_count(), n_realms);
	for (size_t i = 0; i < ct_case_count(); i++) {
		const struct ct_case *c = ct_case_at(i);
		if (c->realm_skip) {
			skipped++;
			if (my_realm == 0)
				printf("conformance: %-44s skipped: %s\n", c->name, c->realm_skip);
			continue;
		}
		unsigned v = run_case(i);
		my_role = -1;
		if (my_realm != 0) {
			send_tagged(0, tag(i, TAG_VERDICT), v);
			(void)recv_tagged(0, tag(i, TAG_NEXT), VERDICT_TIMEOUT_NS);
			continue;
		}
		bool ok = v != V_FAIL;
		for (unsigned r = 1; r < n_realms; r++)
			ok = recv_tagged(r, tag(i, TAG_VERDICT), VERDICT_TIMEOUT_NS) != V_FAIL && ok;
		printf("conformance: %-44s %s\n", c->name, ok ? "ok" : "FAIL");
		if (ok)
			passed++;
		else
			failed++;
		for (unsigned r = 1; r < n_realms; r++)
			send_tagged(r, tag(i, TAG_NEXT), 1);
	}
	if (my_realm == 0) {
		printf("realm conformance: %u of %zu cases run in realms, %u not (docs/conformance.md)\n",
		       passed + failed, ct_case_count(), skipped);
		printf("realm conformance: %u passed, %u failed\n", passed, failed);
	}
	return failed ? 1 : 0;
}
