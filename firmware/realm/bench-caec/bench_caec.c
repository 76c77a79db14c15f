/*
 * The AArch64 benchmark's libcaec modes (bench/a64, docs/benchmarks.md):
 * the paper's stop-and-wait between two realms with libcaec's own channel
 * (caec/channel.h) on a CSM region, as a realm-kernel application linked
 * with libcaec's realm build (RSI backend, /dev/caec).  Realm 0 shares the
 * region, formats the channel and grants it; realm 1 attaches.
 *
 * Modes (the same payload, stamps and checks as realm/bench):
 *   caec-channel-copy      caec_channel_send() of a private buffer;
 *                          caec_channel_recv() into a private buffer
 *   caec-channel-zerocopy  caec_channel_reserve(), fill in place,
 *                          caec_channel_commit(); caec_channel_peek(),
 *                          check in place, caec_channel_release()
 * The acknowledgement is an 8-byte message back on the channel's other
 * ring (the channel's own way to answer), received with
 * caec_channel_recv().  Every wait is a non-blocking call (timeout 0)
 * followed by YIELD, and the two realms run on two CPUs at once (the
 * host's phase B): a round trip counts both realms' instructions, their
 * kernels' included, as realm/bench's do.
 *
 * Output lines: @caec,<mode>,<size>,<reps>,<min>,<p25>,<median>,<p75>,<max>
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <caec/caec.h>
#include <caec/channel.h>
#include <realm_harness.h>
#include <user/sys.h>

#define TAG_ID		1U
#define TAG_GRANT	2U
#define TAG_ATTACHED	3U
#define TAG_PHASE_B	4U	/* to the host: ready for one realm per CPU */
#define TAG_GO		5U	/* from the host: phase B has begun */
#define TAG_PRINTED	6U
#define TAG_DONE	7U
#define MAX_MSG		(512U << 10)
#define P2C_CAP		(2U << 20)	/* max message cap / 2 - 8 >= MAX_MSG */
#define C2P_CAP		4096U
#define REGION_SIZE	((size_t)P2C_CAP + C2P_CAP + 16384U)
#define MAX_REPS	1000U
#define RECV_TIMEOUT_MS	60000U

static uint64_t samples[MAX_REPS];
static uint64_t overhead;

static inline uint64_t insn_now(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0\n\tisb" : "=r"(v) : : "memory");
	return v;
}

static inline void spin_yield(void)
{
	__asm__ volatile("yield" : : : "memory");
}

static void die(const char *what, long rc)
{
	printf("bench_caec: FAIL: %s (%ld %s)\n", what, rc, rc < 0 ? caec_errname((int)rc) : "");
	exit(1);
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { 0, (long)ms * 1000000L };

	nanosleep(&ts, NULL);
}

static void send_to(unsigned int to, uint64_t tag, uint64_t v)
{
	long rc;

	while ((rc = sys_test_peer_send(to, tag, v)) == -RERR_EAGAIN) {
		sleep_ms(1U);
	}
	if (rc != 0) {
		die("peer send", rc);
	}
}

static uint64_t recv_from(unsigned int from, uint64_t tag)
{
	uint64_t v;
	unsigned int ms;

	for (ms = 0U; ms < RECV_TIMEOUT_MS; ms++) {
		if (sys_test_peer_recv(from, tag, &v) == 0) {
			return v;
		}
		sleep_ms(1U);
	}
	die("nothing from the peer", (long)tag);
	return 0U;
}

static void fill(uint8_t *p, size_t n, uint64_t seq)
{
	memset(p, (int)(seq & 0xFFU), n);
	memcpy(p, &seq, sizeof(seq));
	memcpy(p + n - sizeof(seq), &seq, sizeof(seq));
}

static bool check(const uint8_t *p, size_t n, uint64_t seq)
{
	uint64_t a, b;

	memcpy(&a, p, sizeof(a));
	memcpy(&b, p + n - sizeof(b), sizeof(b));
	return a == seq && b == seq;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static unsigned int nr_sizes(bool quick, size_t *sizes)
{
	static const size_t q[] = { 64U, 1024U, 32768U, 65536U };
	unsigned int n = 0U;
	size_t s;

	if (quick) {
		memcpy(sizes, q, sizeof(q));
		return 4U;
	}
	for (s = 64U; s <= MAX_MSG; s *= 2U) {
		sizes[n++] = s;
	}
	return n;
}

/* Sender: one message of n bytes, then wait for its 8-byte ack. */
static void send_one(struct caec_channel *ch, bool zc, uint8_t *priv, size_t n, uint64_t seq)
{
	uint64_t ack = 0U;
	int rc;

	if (zc) {
		void *p;

		rc = caec_channel_reserve(ch, n, &p, 0);
		if (rc == CAEC_OK) {
			fill(p, n, seq);
			rc = caec_channel_commit(ch, n);
		}
	} else {
		fill(priv, n, seq);
		rc = caec_channel_send(ch, priv, n, 0);
	}
	if (rc != CAEC_OK) {
		die("send", rc);
	}
	while ((rc = caec_channel_recv(ch, &ack, sizeof(ack), 0)) == CAEC_E_AGAIN) {
		spin_yield();
	}
	if (rc != (int)sizeof(ack) || ack != seq) {
		die("ack", rc);
	}
}

/* Receiver: wait for message seq, take it, check it, ack; the failed checks. */
static unsigned int recv_one(struct caec_channel *ch, bool zc, uint8_t *priv, size_t n,
			     uint64_t seq)
{
	unsigned int bad = 0U;
	int rc;

	if (zc) {
		const void *p;
		size_t len;

		while ((rc = caec_channel_peek(ch, &p, &len, 0)) == CAEC_E_AGAIN) {
			spin_yield();
		}
		if (rc != CAEC_OK) {
			die("peek", rc);
		}
		bad = (len != n || !check(p, n, seq)) ? 1U : 0U;
		rc = caec_channel_release(ch);
	} else {
		while ((rc = caec_channel_recv(ch, priv, MAX_MSG, 0)) == CAEC_E_AGAIN) {
			spin_yield();
		}
		bad = (rc != (int)n || !check(priv, n, seq)) ? 1U : 0U;
		rc = (rc < 0) ? rc : CAEC_OK;
	}
	if (rc != CAEC_OK) {
		die("recv", rc);
	}
	rc = caec_channel_send(ch, &seq, sizeof(seq), 0);
	if (rc != CAEC_OK) {
		die("ack send", rc);
	}
	spin_yield();	/* the sender's round trip ends here */
	return bad;
}

static void run(struct caec_channel *ch, bool sender, bool quick, uint64_t reps)
{
	static const char *const names[2] = { "caec-channel-copy", "caec-channel-zerocopy" };
	size_t sizes[16];
	unsigned int nsz = nr_sizes(quick, sizes), m, s, k, bad = 0U;
	uint8_t *priv = malloc(MAX_MSG);
	uint64_t seq = 0U, t0;

	if (priv == NULL) {
		die("malloc", 0);
	}
	for (m = 0U; m < 2U; m++) {
		for (s = 0U; s < nsz; s++) {
			unsigned int warm = (reps >= 10U) ? (unsigned int)reps / 10U : 1U;

			for (k = 0U; k < warm + reps; k++) {
				seq++;
				if (!sender) {
					bad += recv_one(ch, m == 1U, priv, sizes[s], seq);
					continue;
				}
				t0 = insn_now();
				send_one(ch, m == 1U, priv, sizes[s], seq);
				if (k >= warm) {
					samples[k - warm] = insn_now() - t0 - overhead;
				}
			}
			if (sender) {
				qsort(samples, reps, sizeof(samples[0]), cmp_u64);
				printf("@caec,%s,%zu,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
				       ",%" PRIu64 "\n", names[m], sizes[s], reps, samples[0],
				       samples[reps / 4U], samples[(reps - 1U) / 2U], samples[(3U * reps) / 4U],
				       samples[reps - 1U]);
			}
		}
	}
	if (!sender) {
		recv_from(0U, TAG_PRINTED);
		printf("bench_caec: receiver: %" PRIu64 " messages, %u failed checks\n", seq, bad);
		send_to(0U, TAG_DONE, bad + 1U);
	} else {
		send_to(1U, TAG_PRINTED, 1U);
		bad = (unsigned int)recv_from(1U, TAG_DONE) - 1U;
		printf("bench_caec: sender: %" PRIu64 " messages; the receiver reports %u failed "
		       "checks\n", seq, bad);
	}
	free(priv);
}

int main(void)
{
	long info = sys_test_peer_info();
	unsigned int role = (unsigned int)(info & 0xFFFF);
	struct caec_channel_opts opts = { sizeof(opts), 0U, P2C_CAP, C2P_CAP };
	struct caec_channel *ch = NULL;
	struct caec_region *r = NULL;
	struct caec_ctx *ctx;
	uint64_t self, peer, grant, go, t0;
	unsigned int i;
	int rc;

	if (info < 0 || (info >> 16) < 2) {
		die("needs 2 realms and the peer harness", info);
	}
	if ((rc = caec_open(&ctx, NULL)) < 0 || (rc = caec_self_id(ctx, &self)) < 0) {
		die("caec_open", rc);
	}
	if (role == 0U) {
		peer = recv_from(1U, TAG_ID);
		if ((rc = caec_share(ctx, REGION_SIZE, 0, &r)) < 0 ||
		    (rc = caec_channel_create(r, &opts, &ch)) < 0 ||
		    (rc = caec_grant(r, peer, CAEC_PERM_RW, NULL, &grant)) < 0) {
			die("share, channel, grant", rc);
		}
		send_to(1U, TAG_GRANT, grant);
		(void)recv_from(1U, TAG_ATTACHED);
		printf("bench_caec: libcaec %s on the '%s' platform: a %zu KiB region, channel rings "
		       "of %u KiB and %u KiB\n", caec_version(), caec_backend_name(ctx),
		       REGION_SIZE >> 10, P2C_CAP >> 10, C2P_CAP >> 10);
	} else {
		send_to(0U, TAG_ID, self);
		grant = recv_from(0U, TAG_GRANT);
		if ((rc = caec_attach(ctx, grant, NULL, &r)) < 0 ||
		    (rc = caec_channel_create(r, NULL, &ch)) < 0) {
			die("attach, channel", rc);
		}
		send_to(0U, TAG_ATTACHED, 1U);
	}
	send_to(HC_PEER_HOST, TAG_PHASE_B, role);
	go = recv_from(HC_PEER_HOST, TAG_GO);	/* bit 0: quick; bits 8+: repetitions */
	overhead = UINT64_MAX;
	for (i = 0U; i < 16U; i++) {
		t0 = insn_now();
		t0 = insn_now() - t0;
		overhead = (t0 < overhead) ? t0 : overhead;
	}
	run(ch, role == 0U, (go & 1U) != 0U, (go >> 8) > MAX_REPS ? MAX_REPS : (go >> 8));
	caec_channel_destroy(ch);
	rc = (role == 0U) ? caec_unshare(r) : caec_detach(r);
	caec_close(ctx);
	return (rc < 0) ? 1 : 0;
}
