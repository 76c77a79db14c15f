/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-demo's three realms, written once (demo_roles.c) and run by a
 * platform's main: demo.c on Linux (each realm a process, the sim backend
 * against caec-simd), firmware/realm/demo/demo_realm.c on the firmware
 * (each realm a realm running the realm kernel, the RSI backend):
 *
 *   provider (0)  creates a region, grants it read-write to A and
 *                 read-only to B, later revokes B and destroys the region;
 *   A (1)         attaches, reads the provider's message, writes a reply;
 *   B (2)         attaches read-only, reads both, and shows that a write
 *                 faults.
 *
 * Then the provider and A talk over a channel (demo_channel.c): a copy
 * that wakes A from its doorbell, a zero-copy reply read in place, and a
 * revocation that wakes A from its next wait.
 *
 * Before granting and before attaching, each pair verifies the other's
 * attestation token (peer_check.c, the same code on both platforms).
 *
 * Realm IDs, grant IDs, challenges and tokens travel between them over
 * whatever the platform offers (pipes; the host's harness): in a real
 * deployment they travel over any untrusted channel, because the
 * platform, not the channel, enforces who may attach, and the tokens are
 * signed.
 */
#ifndef CAEC_DEMO_ROLES_H
#define CAEC_DEMO_ROLES_H

#include <stdbool.h>
#include <stdint.h>

struct caec_ctx;

enum { DEMO_PROVIDER = 0, DEMO_A = 1, DEMO_B = 2 };

/* What a role needs from its platform. */
struct demo_platform {
	/* Values between the provider and a consumer (role 1 or 2). */
	void (*send)(int to, uint64_t v);
	uint64_t (*recv)(int from);
	/* 1 if storing to p faults (observed, not suffered), 0 if not, < 0 error. */
	int (*write_faults)(volatile char *p);
	/* The provider has written its message: let an outsider try to read
	 * the region (the host, on the firmware).  May be NULL. */
	void (*outsider_look)(void);
};

/* Each returns the process's exit status (0: the role did all it shows). */
int demo_provider(const struct demo_platform *p);
int demo_consumer(const struct demo_platform *p, int role);

/* The channel part (demo_channel.c), run by the provider and by A on
 * their open contexts once the region part is over; 0 or 1 as above. */
int demo_channel_provider(const struct demo_platform *p, struct caec_ctx *ctx,
			  uint64_t id_a);
int demo_channel_consumer(const struct demo_platform *p, struct caec_ctx *ctx);

/* "[who     ] text" on stdout, flushed. */
__attribute__((format(printf, 2, 3)))
void demo_say(const char *who, const char *fmt, ...);
/* "[who     ] what failed: why" on stderr; returns 1 (an exit status). */
int demo_failed(const char *who, const char *what, int rc);

#endif
