/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Admission: caec-simd admits only realms it can isolate.
 *
 * A process of an unprivileged user is admitted; the same process holding
 * a capability (effective, or only permitted), being traced, or able to
 * become root again (saved user) is refused -- CAEC_E_DENIED, and the
 * daemon's stderr names that one reason.  The daemon runs as root in its
 * secure setup; each realm is a child that becomes a throwaway user
 * (needs root; the tests skip otherwise).
 */
#include <linux/capability.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>

#include "adv_util.h"
#include "simd_fixture.h"

static struct caec_test_simd simd;
static char simd_log[64]; /* the daemon's stderr */

static int setup(void **state)
{
	(void)state;
	if (geteuid() != 0)
		return 0; /* tests skip */
	snprintf(simd_log, sizeof(simd_log), "/tmp/caec-admission-XXXXXX");
	int lfd = mkstemp(simd_log);
	int saved = dup(2);
	if (lfd < 0 || saved < 0)
		return -1;
	/* The daemon inherits this stderr: its reasons land in the file. */
	(void)dup2(lfd, 2);
	int rc = caec_test_start_simd_secure(&simd, NULL);
	(void)dup2(saved, 2);
	close(saved);
	close(lfd);
	return rc == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	if (geteuid() != 0)
		return 0;
	int rc = caec_test_stop_simd(&simd);
	unlink(simd_log);
	return rc == 0 ? 0 : -1;
}

static void need_root(void)
{
	if (geteuid() != 0)
		skip();
}

/* Who a realm process is. */
struct who {
	unsigned uid;       /* real, effective and filesystem user */
	unsigned suid;      /* saved user */
	uint64_t eff, prm;  /* capability sets */
	bool traced;        /* by its parent, a process of the same user */
};

/* Become `w` (a child of root): keep the capabilities asked for across
 * the change of user, then set them exactly. */
static int become(const struct who *w)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];
	memset(d, 0, sizeof(d));
	for (int i = 0; i < 2; i++) {
		d[i].effective = (uint32_t)(w->eff >> (32 * i));
		d[i].permitted = (uint32_t)(w->prm >> (32 * i));
	}
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 || setgroups(0, NULL) < 0 ||
	    setresgid(w->uid, w->uid, w->uid) < 0 || setresuid(w->uid, w->uid, w->suid) < 0 ||
	    syscall(SYS_capset, &h, d) < 0 || prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return -1;
	return 0;
}

/* Is this process what `w` says, as the daemon will read it? */
static bool is(const struct who *w)
{
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return false;
	char line[256];
	unsigned r = 1, e = 1, s = 1, fs = 1;
	unsigned long long eff = ~0ull, prm = ~0ull;
	int tracer = -1;
	while (fgets(line, sizeof(line), f)) {
		(void)sscanf(line, "Uid: %u %u %u %u", &r, &e, &s, &fs);
		(void)sscanf(line, "CapEff: %llx", &eff);
		(void)sscanf(line, "CapPrm: %llx", &prm);
		(void)sscanf(line, "TracerPid: %d", &tracer);
	}
	fclose(f);
	return r == w->uid && e == w->uid && fs == w->uid && s == w->suid &&
	       eff == w->eff && prm == w->prm && (tracer == getppid()) == w->traced &&
	       (tracer == 0) == !w->traced;
}

/* HELLO as this process; its status and pid to fd. */
static void say_hello(const struct who *w, int fd)
{
	CHILD_CHECK(is(w));
	int sock = raw_connect_to(simd.sock);
	CHILD_CHECK(sock >= 0);
	uint64_t id = 0;
	int64_t out[2] = { raw_hello(sock, &id, NULL), getpid() };
	if (write(fd, out, sizeof(out)) != (ssize_t)sizeof(out))
		_exit(3);
}

/*
 * Run a HELLO from a process that is `w`: returns its status; *pid is the
 * process that said it.  A traced realm is the child of a process of its
 * user that it asked to trace it (PTRACE_TRACEME).
 */
static int hello_as(const struct who *w, pid_t *pid)
{
	int res[2];
	assert_int_equal(pipe(res), 0);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		close(res[0]);
		CHILD_CHECK(become(w) == 0);
		if (!w->traced) {
			say_hello(w, res[1]);
			_exit(0);
		}
		pid_t realm = fork();
		CHILD_CHECK(realm >= 0);
		if (realm == 0) {
			CHILD_CHECK(ptrace(PTRACE_TRACEME, 0, NULL, NULL) == 0);
			say_hello(w, res[1]);
			_exit(0);
		}
		/* The tracer: let every stop go on, pass on the exit. */
		for (;;) {
			int st;
			CHILD_CHECK(waitpid(realm, &st, 0) == realm);
			if (WIFEXITED(st))
				_exit(WEXITSTATUS(st));
			if (WIFSIGNALED(st))
				_exit(128 + WTERMSIG(st));
			(void)ptrace(PTRACE_CONT, realm, NULL,
				     (void *)(uintptr_t)WSTOPSIG(st));
		}
	}
	close(res[1]);
	int64_t out[2] = { 1, 0 };
	ssize_t n = read(res[0], out, sizeof(out));
	close(res[0]);
	assert_int_equal(wait_child(child), 0);
	assert_int_equal(n, (ssize_t)sizeof(out));
	*pid = (pid_t)out[1];
	return (int)out[0];
}

/* The daemon refused pid for exactly this reason (and no other). */
static void assert_refused_for(pid_t pid, unsigned uid, const char *reason)
{
	char want[256];
	snprintf(want, sizeof(want),
		 "caec-simd: pid %d (uid %u) not admitted: the daemon cannot isolate it: "
		 "%s (see --allow-insecure-realms)\n", (int)pid, uid, reason);
	FILE *f = fopen(simd_log, "r");
	assert_non_null(f);
	char line[512];
	bool found = false;
	while (!found && fgets(line, sizeof(line), f))
		found = strcmp(line, want) == 0;
	fclose(f);
	if (!found)
		fail_msg("the daemon did not log: %s", want);
}

#define CAPS_BYPASS "has-capabilities-that-bypass-permissions"

/* The control: an unprivileged, untraced process of the same kind is
 * admitted -- the refusals below are for what each adds. */
static void test_adm_unprivileged_realm_admitted(void **state)
{
	(void)state;
	need_root();
	struct who w = { .uid = caec_test_uid(1), .suid = caec_test_uid(1) };
	pid_t pid;
	assert_caec_ok(hello_as(&w, &pid));
}

/*
 * A process of an unprivileged user holding one capability is refused:
 * CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_SYS_PTRACE or CAP_SYS_ADMIN would
 * bypass the modes of the daemon's memfds or reach other realms; with
 * CAP_CHOWN (fchown() its memfd) or CAP_SETUID (become root) a read-only
 * consumer wrote its provider's region when they were admitted.  Any
 * other capability is refused as well (CAP_NET_BIND_SERVICE here): no
 * list of the dangerous ones stays complete.
 */
static void test_adm_capability_refused(void **state)
{
	(void)state;
	need_root();
	static const int caps[] = { CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_SYS_PTRACE, CAP_SYS_ADMIN,
				    CAP_CHOWN, CAP_SETUID, CAP_NET_BIND_SERVICE };
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		unsigned uid = caec_test_uid(2 + (unsigned)i);
		uint64_t cap = 1ull << caps[i];
		struct who w = { .uid = uid, .suid = uid, .eff = cap, .prm = cap };
		pid_t pid;
		int rc = hello_as(&w, &pid);
		if (rc != CAEC_E_DENIED)
			fail_msg("capability %d: HELLO = %s, want CAEC_E_DENIED", caps[i],
				 caec_errname(rc));
		assert_refused_for(pid, uid, CAPS_BYPASS);
	}
}

/*
 * Holding CAP_DAC_OVERRIDE only in the permitted set is holding it: the
 * process can make it effective again any time after HELLO.  Refused.
 */
static void test_adm_permitted_capability_refused(void **state)
{
	(void)state;
	need_root();
	unsigned uid = caec_test_uid(9);
	struct who w = { .uid = uid, .suid = uid, .prm = 1ull << CAP_DAC_OVERRIDE };
	pid_t pid;
	assert_caec_err(hello_as(&w, &pid), CAEC_E_DENIED);
	assert_refused_for(pid, uid, CAPS_BYPASS);
}

/*
 * A process whose saved user is root runs unprivileged, with no
 * capability, but may make root its effective user again after HELLO
 * (and then owns the daemon's memfds).  Refused.
 */
static void test_adm_saved_root_refused(void **state)
{
	(void)state;
	need_root();
	unsigned uid = caec_test_uid(10);
	struct who w = { .uid = uid, .suid = 0 };
	pid_t pid;
	assert_caec_err(hello_as(&w, &pid), CAEC_E_DENIED);
	assert_refused_for(pid, uid, "runs-as-root-or-the-daemon's-user");
}

/*
 * A process being traced (here by its parent, of the same unprivileged
 * user, through PTRACE_TRACEME) has a tracer that can change its code and
 * memory: refused.
 */
static void test_adm_traced_refused(void **state)
{
	(void)state;
	need_root();
	unsigned uid = caec_test_uid(11);
	struct who w = { .uid = uid, .suid = uid, .traced = true };
	pid_t pid;
	assert_caec_err(hello_as(&w, &pid), CAEC_E_DENIED);
	assert_refused_for(pid, uid, "is-traced");
}

int main(void)
{
	caec_test_filter();
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_adm_unprivileged_realm_admitted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adm_capability_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adm_permitted_capability_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adm_saved_root_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adm_traced_refused, setup, teardown),
	};
	return cmocka_run_group_tests_name("admission of realms the daemon can isolate", tests,
					   NULL, NULL);
}
