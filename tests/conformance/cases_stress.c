/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Group "stress": the channel stress test (stress.h) over a CSM region
 * between two realms: role 0 provides the region and sends, role 1
 * attaches it and receives.  10 million messages on the sim (times
 * $CAEC_TEST_SCALE), 20,000 in realms (QEMU emulates them).
 */
#include "cases.h"
#include "ct.h"
#include "stress.h"

#define REGION_SIZE (1u << 20)

static uint64_t stress_count(void)
{
	return ct_pick(10000000, 20000);
}

static void sender(enum stress_mode m)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	struct caec_channel *ch;
	uint64_t grant, peer = ct_recv(1);
	CT_OK(caec_share(ctx, REGION_SIZE, 0, &r));
	CT_OK(caec_channel_create(r, NULL, &ch));
	CT_OK(caec_grant(r, peer, CAEC_PERM_RW, NULL, &grant));
	ct_send(1, grant);
	uint64_t t0 = ct_now_ns(), n = stress_count();
	/* The sleep mode's pause lets the receiver drain a full ring: 1 ms on
	 * Linux; a receiver emulated by QEMU takes tens of ms for that. */
	CT_EQ(stress_sender(ch, m, n, ct_on_sim() ? 1 : 200), 0);
	ct_note("%llu messages in %.2f s", (unsigned long long)n,
		(double)(ct_now_ns() - t0) / 1e9);
	caec_channel_destroy(ch);
	CT_EQ(ct_recv(1), 1); /* the receiver detached */
	CT_OK(caec_unshare(r));
	ct_close(ctx);
}

static void receiver(enum stress_mode m)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	struct caec_channel *ch;
	uint64_t self;
	CT_OK(caec_self_id(ctx, &self));
	ct_send(0, self);
	CT_OK(caec_attach(ctx, ct_recv(0), NULL, &r));
	CT_OK(caec_channel_create(r, NULL, &ch));
	CT_EQ(stress_receiver(ch, m, stress_count(), ct_sleeps), 0);
	caec_channel_destroy(ch);
	CT_OK(caec_detach(r));
	ct_close(ctx);
	ct_send(0, 1);
}

static void spin_sender(void) { sender(STRESS_SPIN); }
static void spin_receiver(void) { receiver(STRESS_SPIN); }
static void sleep_sender(void) { sender(STRESS_SLEEP); }
static void sleep_receiver(void) { receiver(STRESS_SLEEP); }
static void zc_sender(void) { sender(STRESS_ZC); }
static void zc_receiver(void) { receiver(STRESS_ZC); }

const struct ct_case ct_cases_stress[] = {
	{ "ring_stress_region_spin", "stress", 2, spin_sender, spin_receiver, NULL, -1, NULL },
	{ "ring_stress_region_sleep", "stress", 2, sleep_sender, sleep_receiver, NULL, -1, NULL },
	{ "ring_stress_region_zerocopy", "stress", 2, zc_sender, zc_receiver, NULL, -1, NULL },
};
const size_t ct_ncases_stress = sizeof(ct_cases_stress) / sizeof(ct_cases_stress[0]);
