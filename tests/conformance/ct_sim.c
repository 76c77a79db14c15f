/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The conformance suite's Linux harness: the sim backend against a private
 * caec-simd, one cmocka test per case.
 *
 * Roles are processes (a realm per process, as on the simulated
 * platform).  Role 0 runs in the cmocka test process, so its assertions
 * are cmocka failures; roles 1.. run in forked children, whose assertions
 * print the failure and exit non-zero, which role 0's side then asserts
 * on.  Values travel over one pair of pipes per child (role 0 <-> role i).
 *
 *   test_conformance [--group G] [--case NAME]   run them (cmocka)
 *   test_conformance --list                       every case, one a line
 *   test_conformance --doc                        the docs table
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/sha256.h>

#include <caec/attest.h>

#include "caec_test.h"
#include "fault_probe.h"
#include "ct.h"
#include "ct_sim.h"
#include "simd_fixture.h"

#define MAX_ROLES 65        /* CT_ROLES_MANY on the sim: 64 consumers */
#define RECV_TIMEOUT_MS 60000

static struct caec_test_simd simd;
static int my_role, n_roles;
static pid_t pids[MAX_ROLES];
static int up[MAX_ROLES][2];   /* role i -> role 0 */
static int down[MAX_ROLES][2]; /* role 0 -> role i */

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
	return "sim";
}

bool ct_on_sim(void)
{
	return true;
}

void ct_fail_at(const char *file, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (my_role == 0) {
		print_error("role 0: %s\n", msg);
		_fail(file, line);
	}
	fprintf(stderr, "role %d (pid %d): %s:%d: %s\n", my_role, (int)getpid(), file, line,
		msg);
	_exit(1);
}

void ct_note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("role %d: ", my_role);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
}

void ct_send(int to, uint64_t v)
{
	int fd;
	if (my_role == 0 && to >= 1 && to < n_roles)
		fd = down[to][1];
	else if (my_role != 0 && to == 0)
		fd = up[my_role][1];
	else
		ct_fail_at(__FILE__, __LINE__, "role %d cannot send to role %d", my_role, to);
	if (write(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		ct_fail_at(__FILE__, __LINE__, "send to role %d: %s", to, strerror(errno));
}

uint64_t ct_recv(int from)
{
	int fd;
	if (my_role == 0 && from >= 1 && from < n_roles)
		fd = up[from][0];
	else if (my_role != 0 && from == 0)
		fd = down[my_role][0];
	else
		ct_fail_at(__FILE__, __LINE__, "role %d cannot receive from role %d", my_role,
			   from);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int rc;
	do {
		rc = poll(&p, 1, RECV_TIMEOUT_MS);
	} while (rc < 0 && errno == EINTR);
	if (rc == 0)
		ct_fail_at(__FILE__, __LINE__, "nothing from role %d in %d s", from,
			   RECV_TIMEOUT_MS / 1000);
	uint64_t v;
	ssize_t n;
	do {
		n = read(fd, &v, sizeof(v));
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(v))
		ct_fail_at(__FILE__, __LINE__, "role %d went away", from);
	return v;
}

void ct_die(void)
{
	if (my_role == 0)
		ct_fail_at(__FILE__, __LINE__, "role 0 cannot die: it is the test process");
	_exit(0); /* no caec_close: the platform sees the realm vanish */
}

bool ct_faults(volatile void *addr, bool write)
{
	/* tests/common's probe: in this process, and not instrumented by
	 * TSan (it reads memory the event thread may just have replaced). */
	return caec_test_faults((volatile unsigned char *)addr, write) == 1;
}

int ct_make_writable(void *addr, size_t len)
{
	return mprotect(addr, len, PROT_READ | PROT_WRITE) == 0 ? 0 : errno;
}

size_t ct_self_rim(struct caec_ctx *ctx, uint8_t out[CAEC_HASH_MAX])
{
	/* The measurement the simulated platform took of this process, from
	 * a token of its own. */
	static uint8_t tok[CAEC_TOKEN_MAX_SIZE];
	static struct caec_token_claims cl;
	uint8_t ch[CAEC_CHALLENGE_SIZE] = { 0 };
	int n = caec_attest_token(ctx, ch, tok, sizeof(tok));
	CT_OK(n);
	cl.size = sizeof(cl);
	CT_OK(caec_token_parse(tok, (size_t)n, &cl));
	CT_CHECK(cl.rim_len > 0 && cl.rim_len <= CAEC_HASH_MAX);
	memcpy(out, cl.rim, cl.rim_len);
	return cl.rim_len;
}

void ct_sha256(const void *p, size_t n, uint8_t out[32])
{
	CT_EQ(mbedtls_sha256_ret(p, n, out, 0), 0);
}

uint64_t ct_pick(uint64_t sim_count, uint64_t realm_count)
{
	(void)realm_count;
	uint64_t v = (uint64_t)((double)sim_count * caec_test_scale());
	return v ? v : 1;
}

uint64_t ct_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void ct_sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
	}
}

uint64_t ct_sleeps(void)
{
	struct rusage ru;
	return getrusage(RUSAGE_SELF, &ru) == 0 ? (uint64_t)ru.ru_nvcsw : 0;
}

void ct_sim_kill_platform(void)
{
	caec_test_kill_simd(&simd);
}

void ct_sim_restart_platform(void)
{
	CT_EQ(caec_test_start_simd(&simd, NULL), 0);
}

/* ---- cmocka ------------------------------------------------------------- */

static int setup(void **state)
{
	(void)state;
	return caec_test_start_simd(&simd, NULL) == 0 ? 0 : -1;
}

/* Children a failed role 0 left behind, and their pipes. */
static void reap(void)
{
	for (int i = 1; i < MAX_ROLES; i++) {
		if (pids[i] > 0) {
			kill(pids[i], SIGKILL);
			waitpid(pids[i], NULL, 0);
			pids[i] = 0;
		}
		for (int k = 0; k < 2; k++) {
			if (up[i][k] >= 0)
				close(up[i][k]);
			if (down[i][k] >= 0)
				close(down[i][k]);
			up[i][k] = down[i][k] = -1;
		}
	}
	ct_close_all();
	my_role = 0;
}

static int teardown(void **state)
{
	(void)state;
	reap();
	/* A clean shutdown (exit 0) also proves the daemon survived. */
	return caec_test_stop_simd(&simd) == 0 ? 0 : -1;
}

static void (*role_fn(const struct ct_case *c, int role))(void)
{
	if (role == 0)
		return c->role0;
	if (role == 1 || !c->role_n)
		return c->role1;
	return c->role_n;
}

static void run_case(void **state)
{
	const struct ct_case *c = *state;
	n_roles = c->roles == CT_ROLES_MANY ? MAX_ROLES : c->roles;
	my_role = 0;
	for (int i = 1; i < n_roles; i++) {
		if (pipe(up[i]) != 0 || pipe(down[i]) != 0)
			fail_msg("pipe: %s", strerror(errno));
	}
	fflush(NULL);
	for (int i = 1; i < n_roles; i++) {
		pid_t pid = fork();
		if (pid < 0)
			fail_msg("fork: %s", strerror(errno));
		if (pid == 0) {
			my_role = i;
			/* cmocka's handlers belong to the test process. */
			signal(SIGSEGV, SIG_DFL);
			signal(SIGBUS, SIG_DFL);
			for (int k = 1; k < n_roles; k++) {
				close(up[k][0]);
				close(down[k][1]);
				if (k != i) {
					close(up[k][1]);
					close(down[k][0]);
				}
			}
			role_fn(c, i)();
			ct_close_all();
			fflush(NULL);
			_exit(0);
		}
		pids[i] = pid;
		close(up[i][1]);
		close(down[i][0]);
		up[i][1] = down[i][0] = -1;
	}
	c->role0();
	ct_close_all();
	/* Role 0 is done: a child still waiting for it now reads EOF. */
	for (int i = 1; i < n_roles; i++) {
		close(down[i][1]);
		down[i][1] = -1;
	}
	for (int i = 1; i < n_roles; i++) {
		int st;
		pid_t w = waitpid(pids[i], &st, 0);
		pids[i] = 0;
		if (w < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			fail_msg("role %d failed (%s %d)", i,
				 WIFSIGNALED(st) ? "signal" : "exit status",
				 WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	}
}

static void print_doc_table(void)
{
	printf("| case | group | roles | sim | realms |\n|---|---|---|---|---|\n");
	for (size_t i = 0; i < ct_case_count(); i++) {
		const struct ct_case *c = ct_case_at(i);
		char roles[16];
		if (c->roles == CT_ROLES_MANY)
			snprintf(roles, sizeof(roles), "1 + n");
		else
			snprintf(roles, sizeof(roles), "%d", c->roles);
		printf("| `%s` | %s | %s | yes | %s%s |\n", c->name, c->group, roles,
		       c->realm_skip ? "no: " : "yes", c->realm_skip ? c->realm_skip : "");
	}
}

int main(int argc, char **argv)
{
	const char *group = NULL, *name = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--list") == 0) {
			for (size_t k = 0; k < ct_case_count(); k++)
				printf("%s %s\n", ct_case_at(k)->group, ct_case_at(k)->name);
			return 0;
		} else if (strcmp(argv[i], "--doc") == 0) {
			print_doc_table();
			return 0;
		} else if (strcmp(argv[i], "--group") == 0 && i + 1 < argc) {
			group = argv[++i];
		} else if (strcmp(argv[i], "--case") == 0 && i + 1 < argc) {
			name = argv[++i];
		} else {
			fprintf(stderr, "usage: %s [--group G] [--case NAME] [--list] [--doc]\n",
				argv[0]);
			return 2;
		}
	}
	for (int i = 0; i < MAX_ROLES; i++)
		up[i][0] = up[i][1] = down[i][0] = down[i][1] = -1;
	static struct CMUnitTest tests[64];
	static const struct ct_case *states[64];
	size_t n = 0;
	for (size_t k = 0; k < ct_case_count() && n < 64; k++) {
		const struct ct_case *c = ct_case_at(k);
		if ((group && strcmp(c->group, group) != 0) || (name && strcmp(c->name, name) != 0))
			continue;
		states[n] = c;
		tests[n] = (struct CMUnitTest){ c->name, run_case, setup, teardown,
						(void *)states[n] };
		n++;
	}
	if (n == 0) {
		fprintf(stderr, "no case matches\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	return _cmocka_run_group_tests(group ? group : name ? name : "conformance", tests, n,
				       NULL, NULL);
}
