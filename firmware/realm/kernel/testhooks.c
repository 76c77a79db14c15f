/*
 * System calls of test kernels only (REALM_KERNEL_TEST_HOOKS; numbers
 * Linux does not use, uapi/realm_syscall.h): the peer harness through the
 * host (common/include/realm_harness.h), the realm's RIM, and starting
 * another embedded application.  What a test of libcaec in several realms
 * needs around the library, never what it tests.
 */
#include <stdio.h>
#include <string.h>

#include <realm_harness.h>
#include <rt/early.h>
#include <rt/rsi.h>
#include <rt/rt.h>

#include "kernel.h"

#ifdef REALM_KERNEL_TEST_HOOKS

static struct rsi_host_call hc __attribute__((aligned(256)));

/* One host call; its gprs[0..1] back in out. */
static uint64_t host_call(uint16_t imm, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t out[2])
{
	memset(&hc, 0, sizeof(hc));
	hc.imm = imm;
	hc.gprs[0] = a0;
	hc.gprs[1] = a1;
	hc.gprs[2] = a2;
	if (rsi_host_call(&hc) != 0U) {
		return 1U;
	}
	out[0] = hc.gprs[0];
	out[1] = hc.gprs[1];
	return 0U;
}

static int64_t peer_info(void)
{
	uint64_t out[2];

	if (host_call(HC_PEER_INFO, 0, 0, 0, out) != 0U) {
		return -RERR_EIO;
	}
	return (int64_t)((out[1] & 0xFFFFU) | ((out[0] & 0xFFFFU) << 16));
}

static int64_t peer_send(uint64_t to, uint64_t tag, uint64_t value)
{
	uint64_t out[2];

	if (host_call(HC_PEER_SEND, to, tag, value, out) != 0U) {
		return -RERR_EIO;
	}
	return out[0] == 0U ? 0 : out[0] == 1U ? -RERR_EAGAIN : -RERR_EINVAL;
}

static int64_t peer_recv(uint64_t from, uint64_t tag, uint64_t uval)
{
	uint64_t out[2];

	if (!user_range_ok(uval, sizeof(uint64_t))) {
		return -RERR_EFAULT;
	}
	if (host_call(HC_PEER_RECV, from, tag, 0, out) != 0U) {
		return -RERR_EIO;
	}
	if (out[0] != 1U) {
		return -RERR_EAGAIN;
	}
	return copy_to_user(uval, &out[1], sizeof(out[1]));
}

static int64_t realm_rim(uint64_t uout)
{
	uint8_t rim[64];

	if (rsi_measurement_read(0U, rim) != 0U) {
		return -RERR_EIO;
	}
	if (copy_to_user(uout, rim, sizeof(rim)) != 0) {
		return -RERR_EFAULT;
	}
	return (rt_realm_config.hash_algo == 1U) ? 64 : 32;	/* SHA-512 or SHA-256 */
}

/* spawn(name, argv): an embedded application, argv copied from the caller. */
static int64_t spawn(struct proc *p, uint64_t uname, uint64_t uargv)
{
	static char strs[KARGV_MAX][64];
	const char *argv[KARGV_MAX + 1U];
	const struct kernel_app *app;
	char name[KNAME_MAX];
	struct proc *c;
	unsigned int i;
	int n = copy_str_from_user(name, uname, sizeof(name));

	if (n < 0) {
		return n;
	}
	app = kernel_app_find(name);
	if (app == NULL) {
		return -RERR_ENOENT;
	}
	for (i = 0U; i < KARGV_MAX; i++) {
		uint64_t ustr;

		if (copy_from_user(&ustr, uargv + i * sizeof(uint64_t), sizeof(ustr)) != 0) {
			return -RERR_EFAULT;
		}
		if (ustr == 0U) {
			break;
		}
		n = copy_str_from_user(strs[i], ustr, sizeof(strs[i]));
		if (n < 0) {
			return n;
		}
		argv[i] = strs[i];
	}
	if (i == KARGV_MAX) {
		return -RERR_E2BIG;
	}
	argv[i] = NULL;
	c = proc_spawn_argv(app->name, app->start, (size_t)(app->end - app->start), argv);
	if (c == NULL) {
		return -RERR_ENOMEM;
	}
	c->ppid = p->pid;
	return c->pid;
}

int64_t test_syscall(struct proc *p, struct rt_frame *f)
{
	uint64_t *a = f->x;

	switch (f->x[8]) {
	case RSYS_test_peer_info:
		return peer_info();
	case RSYS_test_peer_send:
		return peer_send(a[0], a[1], a[2]);
	case RSYS_test_peer_recv:
		return peer_recv(a[0], a[1], a[2]);
	case RSYS_test_realm_rim:
		return realm_rim(a[0]);
	case RSYS_test_spawn:
		return spawn(p, a[0], a[1]);
	default:
		return -RERR_ENOSYS;
	}
}

#else

int64_t test_syscall(struct proc *p, struct rt_frame *f)
{
	(void)p;
	(void)f;
	return -RERR_ENOSYS;
}

#endif
