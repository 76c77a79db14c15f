/* SPDX-License-Identifier: Apache-2.0 */
/* The channel stress test's two ends: see stress.h. */
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <caec/channel.h>

#include "stress.h"

#define MIN_LEN 8u
#define MAX_LEN 256u


static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

static uint32_t msg_len(uint64_t seq)
{
	return MIN_LEN + (uint32_t)(mix(seq) % (MAX_LEN - MIN_LEN + 1));
}

/* Fill: the sequence number, then words derived from it. */
static void fill(uint8_t *p, uint64_t seq, uint32_t len)
{
	memcpy(p, &seq, 8);
	uint64_t w = mix(seq ^ 0xabcdef);
	for (uint32_t i = 8; i < len; i += 8) {
		w = w * 6364136223846793005ull + 1442695040888963407ull;
		uint32_t n = len - i < 8 ? len - i : 8;
		memcpy(p + i, &w, n);
	}
}

static uint64_t sum_update(uint64_t s, const uint8_t *p, uint32_t len)
{
	/* cheap order-sensitive checksum over all bytes, 8 at a time */
	uint32_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		s = (s ^ w) * 0x100000001b3ull;
	}
	for (; i < len; i++)
		s = (s ^ p[i]) * 0x100000001b3ull;
	return (s ^ len) * 0x100000001b3ull;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int stress_sender(struct caec_channel *ch, enum stress_mode m, uint64_t count,
		  unsigned pause_ms)
{
	uint8_t buf[MAX_LEN];
	uint64_t sum = 0xcbf29ce484222325ull;
	for (uint64_t seq = 0; seq < count; seq++) {
		uint32_t len = msg_len(seq);
		int rc;
		if (m == STRESS_ZC) {
			void *p;
			rc = caec_channel_reserve(ch, len, &p, CAEC_TIMEOUT_INFINITE);
			if (rc == 0) {
				fill(p, seq, len);
				sum = sum_update(sum, p, len);
				rc = caec_channel_commit(ch, len);
			}
		} else {
			fill(buf, seq, len);
			sum = sum_update(sum, buf, len);
			if (m == STRESS_SPIN) {
				unsigned spins = 0;
				while ((rc = caec_channel_send(ch, buf, len, 0)) ==
				       CAEC_E_AGAIN)
					if (++spins % 1024 == 0)
						sched_yield(); /* loaded CI machines */
			} else {
				rc = caec_channel_send(ch, buf, len,
						       CAEC_TIMEOUT_INFINITE);
				if ((seq & 4095) == 4095) {
					/* Long enough for a receiver that lags by a
					 * full ring (slow sanitizer builds, loaded
					 * machines) to drain it and go to sleep. */
					struct timespec ts = {pause_ms / 1000,
							      (long)(pause_ms % 1000) * 1000000};
					nanosleep(&ts, NULL);
				}
			}
		}
		if (rc != 0) {
			fprintf(stderr, "sender: seq %" PRIu64 ": %s\n", seq,
				caec_errname(rc));
			return 1;
		}
	}
	/* The receiver's verdict: its checksum, message count, sleeps. */
	uint64_t reply[3];
	int rc = caec_channel_recv(ch, reply, sizeof(reply),
				   (int64_t)120 * 1000000000);
	if (rc != (int)sizeof(reply)) {
		fprintf(stderr, "sender: no reply: %s\n", caec_errname(rc));
		return 1;
	}
	printf("sender: %" PRIu64 " messages, checksum %016" PRIx64
	       "; receiver: %" PRIu64 " messages, checksum %016" PRIx64
	       ", %" PRIu64 " sleeps\n",
	       count, sum, reply[1], reply[0], reply[2]);
	if (reply[0] != sum || reply[1] != count) {
		fprintf(stderr, "sender: checksum/count mismatch\n");
		return 1;
	}
	if (m == STRESS_SLEEP && reply[2] == 0) {
		fprintf(stderr, "sender: the receiver never slept on the doorbell\n");
		return 1;
	}
	return 0;
}

static int check_msg(const uint8_t *p, size_t len, uint64_t seq)
{
	uint8_t want[MAX_LEN];
	uint32_t wl = msg_len(seq);
	if (len != wl) {
		fprintf(stderr, "receiver: seq %" PRIu64 ": length %zu, want %u\n",
			seq, len, wl);
		return 1;
	}
	uint64_t got;
	memcpy(&got, p, 8);
	if (got != seq) {
		fprintf(stderr, "receiver: got seq %" PRIu64 ", want %" PRIu64
			" (%s)\n", got, seq, got < seq ? "duplicate" : "loss/reorder");
		return 1;
	}
	fill(want, seq, wl);
	if (memcmp(want, p, wl) != 0) {
		fprintf(stderr, "receiver: seq %" PRIu64 ": content differs\n", seq);
		return 1;
	}
	return 0;
}

int stress_receiver(struct caec_channel *ch, enum stress_mode m, uint64_t count,
		    stress_sleeps_fn voluntary_switches)
{
	uint64_t vcs0 = voluntary_switches();
	uint8_t buf[MAX_LEN];
	uint64_t sum = 0xcbf29ce484222325ull, sleeps = 0;
	for (uint64_t seq = 0; seq < count; seq++) {
		int rc;
		if (m == STRESS_ZC) {
			const void *p;
			size_t len;
			rc = caec_channel_peek(ch, &p, &len, CAEC_TIMEOUT_INFINITE);
			if (rc == 0) {
				if (check_msg(p, len, seq))
					return 1;
				sum = sum_update(sum, p, (uint32_t)len);
				rc = caec_channel_release(ch);
			}
		} else {
			if (m == STRESS_SPIN) {
				unsigned spins = 0;
				while ((rc = caec_channel_recv(ch, buf, sizeof(buf),
							       0)) == CAEC_E_AGAIN)
					if (++spins % 1024 == 0)
						sched_yield(); /* loaded CI machines */
			} else {
				uint64_t t0 = now_ns();
				rc = caec_channel_recv(ch, buf, sizeof(buf),
						       CAEC_TIMEOUT_INFINITE);
				if (now_ns() - t0 > 50000)
					sleeps++;
			}
			if (rc >= 0) {
				if (check_msg(buf, (size_t)rc, seq))
					return 1;
				sum = sum_update(sum, buf, (uint32_t)rc);
				rc = 0;
			}
		}
		if (rc != 0) {
			fprintf(stderr, "receiver: seq %" PRIu64 ": %s\n", seq,
				caec_errname(rc));
			return 1;
		}
	}
	/* Nothing more may arrive: a duplicate would show here. */
	int rc = caec_channel_recv(ch, buf, sizeof(buf), 0);
	if (rc != CAEC_E_AGAIN) {
		fprintf(stderr, "receiver: extra message or error: %d\n", rc);
		return 1;
	}
	/* "sleeps": slow blocking recv calls (> 50 us) that were also
	 * matched by voluntary context switches (futex sleeps). */
	uint64_t vcs = voluntary_switches() - vcs0;
	printf("receiver: %" PRIu64 " recv calls > 50 us, %" PRIu64
	       " voluntary context switches\n", sleeps, vcs);
	if (vcs < sleeps)
		sleeps = vcs;
	uint64_t reply[3] = {sum, count, sleeps};
	rc = caec_channel_send(ch, reply, sizeof(reply), CAEC_TIMEOUT_INFINITE);
	if (rc != 0) {
		fprintf(stderr, "receiver: reply: %s\n", caec_errname(rc));
		return 1;
	}
	/* Wait until the sender has read the reply (it closes after). */
	rc = caec_channel_recv(ch, buf, sizeof(buf), (int64_t)60 * 1000000000);
	if (rc != CAEC_E_CLOSED) {
		fprintf(stderr, "receiver: expected CLOSED, got %s\n",
			caec_errname(rc));
		return 1;
	}
	return 0;
}
