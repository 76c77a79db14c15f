/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libcaec's conformance suite: one set of test cases, run against every
 * backend (docs/conformance.md).
 *
 * A case is written once, as role functions: role 0 and role 1 (and role 2
 * and more, which run role_n) are realms, each with its own libcaec
 * context.  They share nothing but the peer harness below, which carries
 * 64-bit values between role 0 and each other role (realm and grant IDs,
 * "go" steps), and the platform's own objects.  Two harnesses run them:
 *
 *   ct_sim.c    Linux, the sim backend (caec-simd): each role a process
 *               (fork), role 0 in the cmocka test process; values over
 *               pipes; the assertions below fail the cmocka test in role
 *               0 and exit non-zero in the others (which role 0 checks).
 *   ct_realm.c  realm applications of the caec realm kernel, the RSI
 *               backend on the firmware RMM: role r in realm r; values
 *               through the host (firmware/common/include/realm_harness.h);
 *               a tiny runner in each realm, realm 0 reporting
 *               "realm conformance: N passed, M failed".
 *
 * Neither harness is what the cases test: the pipes and the host's queues
 * only carry what the roles choose to tell each other.
 */
#ifndef CAEC_TESTS_CT_H
#define CAEC_TESTS_CT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <caec/caec.h>

/* ---- cases ------------------------------------------------------------ */

/* struct ct_case.roles: role 0 and as many consumers as the platform runs. */
#define CT_ROLES_MANY 0

struct ct_case {
	const char *name;   /* unique; the cmocka test name on the sim */
	const char *group;  /* api, regions, seal, channel, stress */
	int roles;          /* 1..3, or CT_ROLES_MANY */
	void (*role0)(void);
	void (*role1)(void);    /* NULL if roles == 1 */
	void (*role_n)(void);   /* roles 2 and up; NULL: role1 */
	/* A role that ends its process without cleanup (ct_die): in a realm
	 * it runs in a process of its own (the runner waits for it). */
	int dying_role;         /* -1: none */
	/* NULL: runs in realms too.  Else why it does not (docs table). */
	const char *realm_skip;
};

/* Every case, in order (ct_cases.c): index 0 .. ct_case_count() - 1. */
size_t ct_case_count(void);
const struct ct_case *ct_case_at(size_t i);

/* ---- the harness (implemented per platform) ----------------------------- */

/* This process's role and how many roles this run of the case has. */
int ct_role(void);
int ct_nroles(void);
/* "sim" or "rsi": the backend the roles' contexts use. */
const char *ct_backend(void);
/* true on the sim harness (Linux processes), false in realms. */
bool ct_on_sim(void);

/* Values between role 0 and role `to` (or `from`); in order per pair. */
void ct_send(int to, uint64_t v);
uint64_t ct_recv(int from); /* fails the role after 60 s without one */

/* A context (caec_open with the defaults); the harness closes what the
 * role left open when it ends, failed or not.  ct_close() closes one. */
struct caec_ctx *ct_open(void);
void ct_close(struct caec_ctx *ctx);
/* For the harnesses: close every context still open (end of a role). */
void ct_close_all(void);

/* End this role's process now, as if it were killed: no cleanup, no
 * caec_close.  Only in a case's dying_role. */
void ct_die(void) __attribute__((noreturn));

/* Does reading (or reading then writing back) addr fault?  In this
 * process, with SIGSEGV/SIGBUS caught for the probe. */
bool ct_faults(volatile void *addr, bool write);
/* mprotect(addr, len, PROT_READ | PROT_WRITE): 0 if allowed, else the
 * (Linux-numbered) errno, e.g. CT_EACCES. */
int ct_make_writable(void *addr, size_t len);
#define CT_EACCES 13

/* This realm's measurement, as the platform compares it with a policy
 * (sim: from a token of ctx's own; rsi: RSI_MEASUREMENT_READ 0). */
size_t ct_self_rim(struct caec_ctx *ctx, uint8_t out[CAEC_HASH_MAX]);
void ct_sha256(const void *p, size_t n, uint8_t out[32]);

/* The sim's count (times $CAEC_TEST_SCALE), or the realms' own count:
 * QEMU emulates the realms, so long loops run shorter there. */
uint64_t ct_pick(uint64_t sim_count, uint64_t realm_count);
uint64_t ct_now_ns(void);
void ct_sleep_ms(unsigned ms);
/* How often this process has blocked so far (getrusage ru_nvcsw). */
uint64_t ct_sleeps(void);
/* A line of progress on the console, attributed to the role. */
void ct_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- assertions --------------------------------------------------------- */

void ct_fail_at(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));

#define CT_CHECK(cond)                                                        \
	do {                                                                  \
		if (!(cond))                                                  \
			ct_fail_at(__FILE__, __LINE__, "check failed: %s",    \
				   #cond);                                    \
	} while (0)

/* rc >= 0: CAEC_OK or a count. */
#define CT_OK(rc)                                                             \
	do {                                                                  \
		int ct_rc_ = (rc);                                            \
		if (ct_rc_ < 0)                                               \
			ct_fail_at(__FILE__, __LINE__, "%s = %d (%s: %s)",    \
				   #rc, ct_rc_, caec_errname(ct_rc_),         \
				   caec_strerror(ct_rc_));                    \
	} while (0)

/* rc == want (an error code, or CAEC_OK). */
#define CT_ERR(rc, want)                                                      \
	do {                                                                  \
		int ct_rc_ = (rc), ct_want_ = (want);                         \
		if (ct_rc_ != ct_want_)                                       \
			ct_fail_at(__FILE__, __LINE__, "%s = %d (%s), expected %s", \
				   #rc, ct_rc_, caec_errname(ct_rc_),         \
				   caec_errname(ct_want_));                   \
	} while (0)

/* rc == n, a count from a call that may also fail. */
#define CT_COUNT(rc, n)                                                       \
	do {                                                                  \
		int ct_rc_ = (rc), ct_n_ = (int)(n);                          \
		if (ct_rc_ != ct_n_)                                          \
			ct_fail_at(__FILE__, __LINE__, "%s = %d (%s), expected %d", \
				   #rc, ct_rc_, ct_rc_ < 0 ? caec_errname(ct_rc_) : \
				   "a count", ct_n_);                         \
	} while (0)

#define CT_EQ(a, b)                                                           \
	do {                                                                  \
		uint64_t ct_a_ = (uint64_t)(a), ct_b_ = (uint64_t)(b);        \
		if (ct_a_ != ct_b_)                                           \
			ct_fail_at(__FILE__, __LINE__, "%s = %#llx, expected %s = %#llx", \
				   #a, (unsigned long long)ct_a_, #b,         \
				   (unsigned long long)ct_b_);                \
	} while (0)

#define CT_NE(a, b)                                                           \
	do {                                                                  \
		uint64_t ct_a_ = (uint64_t)(a), ct_b_ = (uint64_t)(b);        \
		if (ct_a_ == ct_b_)                                           \
			ct_fail_at(__FILE__, __LINE__, "%s == %s (%#llx)", #a, #b, \
				   (unsigned long long)ct_a_);                \
	} while (0)

#define CT_MEM_EQ(a, b, n)                                                    \
	do {                                                                  \
		if (memcmp((a), (b), (n)) != 0)                               \
			ct_fail_at(__FILE__, __LINE__, "%s differs from %s",  \
				   #a, #b);                                   \
	} while (0)

#define CT_STR_EQ(a, b)                                                       \
	do {                                                                  \
		if (strcmp((a), (b)) != 0)                                    \
			ct_fail_at(__FILE__, __LINE__, "%s = \"%s\", expected \"%s\"", \
				   #a, (a), (b));                             \
	} while (0)

#define CT_NULL(p) CT_CHECK((p) == NULL)
#define CT_NONNULL(p) CT_CHECK((p) != NULL)

#endif
