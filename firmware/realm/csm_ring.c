/*
 * fw_csm_ring, the realm side: a producer and a consumer exchange
 * RING_MSGS checksummed messages over a core/ring SPSC ring that lives in
 * CSM memory (the provider's region, the consumer's read-write mapping of
 * it).  Both block with core/doorbell when the ring is full or empty: the
 * sleep is a WFI the host traps (the REC exits and is not entered again
 * until a doorbell names its realm), the wake is RSI CSM_NOTIFY, which
 * exits with CSM_DOORBELL naming the peer.  The ring's own bytes are the
 * only data path; the host sees availability only.
 *
 * A message: seq (u32), len (u32), FNV-1a 64 of the payload (u64), then
 * len payload bytes derived from seq.  The consumer checks each one:
 * sequence (nothing lost, duplicated or reordered) and checksum.
 */
#include <arch_helpers.h>
#include <console.h>
#include <doorbell/doorbell.h>
#include <ring/ring.h>
#include <smc-csm.h>
#include <smc-rsi.h>
#include <string.h>

#include "csm_lib.h"

#define RING_MSGS	10000U
#define RING_SIZE	(CSM_PAGES * GRANULE_SIZE)
#define MSG_HDR		16U
#define MSG_MAX		(MSG_HDR + 240U)
/*
 * Each side rings the other's doorbell after a batch of messages, and
 * always before it waits itself (else both could wait for ever).  The
 * consumer's batch is larger than the ring holds, so it usually drains the
 * ring and waits too: both directions block.
 */
#define BATCH		32U
#define CONS_BATCH	512U
#define PROGRESS	500U

void ring_provider(uint64_t index, uint64_t consumer_id);
void ring_consumer(uint64_t index);

struct bell_ctx {
	uint64_t grant;
	unsigned int sleeps, wakes;
};

/* Sleep: a WFI the host traps; it returns when a doorbell named us. */
static int bell_sleep(void *ctx, uint32_t *word, uint32_t val, uint64_t deadline_ns)
{
	struct bell_ctx *b = ctx;

	(void)deadline_ns;
	if (__atomic_load_n(word, __ATOMIC_ACQUIRE) == val) {
		b->sleeps++;
		__asm__ volatile("dsb sy\n\twfi" : : : "memory");
	}
	return 0;
}

/* Wake: ring the peer's doorbell through the RMM (availability only). */
static void bell_wake(void *ctx, uint32_t *word)
{
	struct bell_ctx *b = ctx;

	(void)word;
	b->wakes++;
	(void)csm(SMC_RSI_CSM_NOTIFY, b->grant, 0, 0, 0);
}

static uint64_t bell_now(void *ctx)
{
	(void)ctx;
	return 0UL;	/* no deadlines here */
}

static int can_send(void *arg)
{
	return ring_can_send(arg, MSG_MAX);
}

static int can_recv(void *arg)
{
	return ring_can_recv(arg);
}

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
	uint64_t h = 0xCBF29CE484222325UL;
	size_t i;

	for (i = 0U; i < n; i++) {
		h = (h ^ p[i]) * 0x100000001B3UL;
	}
	return h;
}

/* Message seq: its length and bytes. */
static uint32_t make_msg(uint32_t seq, uint8_t *buf)
{
	uint32_t len = 8U + (uint32_t)(mix64(seq) % 233U), i;
	uint64_t sum;

	for (i = 0U; i < len; i++) {
		buf[MSG_HDR + i] = (uint8_t)(mix64((uint64_t)seq * 256U + i) >> 24);
	}
	sum = fnv1a(buf + MSG_HDR, len);
	memcpy(buf, &seq, 4U);
	memcpy(buf + 4, &len, 4U);
	memcpy(buf + 8, &sum, 8U);
	return MSG_HDR + len;
}

void ring_provider(uint64_t index, uint64_t consumer_id)
{
	static uint8_t msg[MSG_MAX];
	struct doorbell_ops ops = { bell_sleep, bell_wake, bell_now, NULL };
	struct bell_ctx bell = { 0UL, 0U, 0U };
	struct ring r;
	struct csm_ret c;
	uint64_t region;
	uint32_t seq;
	int rc;

	c = csm(SMC_RSI_CSM_SHARE, CSM_WINDOW, RING_SIZE, 0, 0);
	region = c.x[1];
	fw_printf("[realm%lu] CSM_SHARE(0x%lx, %lu KB) status %lu\n", index, CSM_WINDOW,
		  RING_SIZE >> 10, c.x[0]);
	rc = ring_format((void *)CSM_WINDOW, RING_SIZE, ring_capacity_for(RING_SIZE), 0U);
	rc = (rc == 0) ? ring_init(&r, (void *)CSM_WINDOW, RING_SIZE, RING_PRODUCER) : rc;
	c = csm(SMC_RSI_CSM_GRANT, c.x[1], consumer_id, CAEC_CSM_PERM_RW, 0);
	bell.grant = c.x[1];
	ops.ctx = &bell;
	fw_printf("[realm%lu] ring of %u bytes in CSM memory (format %d), CSM_GRANT(read-write) "
		  "status %lu\n", index, ring_capacity_for(RING_SIZE), rc, c.x[0]);
	/* Sending before the consumer attached is fine: the ring just fills. */
	for (seq = 0U; seq < RING_MSGS && rc == 0; seq++) {
		uint32_t n = make_msg(seq, msg);

		for (;;) {
			rc = ring_send(&r, msg, n);
			if (rc != CAEC_E_AGAIN) {
				break;
			}
			(void)doorbell_notify(ring_data_bell(&r), &ops);	/* before waiting */
			rc = doorbell_wait(ring_space_bell(&r), &ops, NULL, can_send, &r, 64U,
					   DOORBELL_FOREVER);
			if (rc != 0) {
				break;
			}
		}
		if (rc >= 0) {
			rc = 0;
			if (seq % BATCH == BATCH - 1U || seq == RING_MSGS - 1U) {
				(void)doorbell_notify(ring_data_bell(&r), &ops);
			}
			/*
			 * Now and then report progress to the host (an exit that
			 * lets the consumer drain the ring and wait for data, so
			 * both sides block, not only the producer).
			 */
			if (seq % PROGRESS == PROGRESS - 1U) {
				post(KEY_SENT, seq + 1U);
			}
		}
	}
	fw_printf("[realm%lu] producer: sent %u messages (status %d), %u doorbell waits, "
		  "%u CSM_NOTIFY\n", index, seq, rc, bell.sleeps, bell.wakes);
	post(KEY_SENT, seq);
	(void)wait_for(KEY_DONE);
	c = csm(SMC_RSI_CSM_UNSHARE, region, 0, 0, 0);
	fw_printf("[realm%lu] CSM_UNSHARE status %lu\n", index, c.x[0]);
}

void ring_consumer(uint64_t index)
{
	static uint8_t msg[MSG_MAX], want[MSG_MAX], seen[RING_MSGS / 8U + 1U];
	struct doorbell_ops ops = { bell_sleep, bell_wake, bell_now, NULL };
	struct bell_ctx bell = { 0UL, 0U, 0U };
	unsigned int got = 0U, distinct = 0U, dup = 0U, ooo = 0U, bad = 0U;
	uint32_t expect = 0U;
	struct ring r;
	struct csm_ret c;
	int rc;

	do {
		c = rsi(SMC_RSI_CSM_GRANT_LIST, 0, 0, 0, 0);
		if (c.x[0] != RSI_SUCCESS) {
			(void)get(0UL);	/* not granted yet: yield */
		}
	} while (c.x[0] != RSI_SUCCESS);
	bell.grant = c.x[1];
	ops.ctx = &bell;
	(void)csm(SMC_RSI_CSM_RESERVE, bell.grant, CSM_WINDOW, RING_SIZE, 0);
	c = csm(SMC_RSI_CSM_ATTACH, bell.grant, 0, 0, 0);
	rc = ring_init(&r, (void *)CSM_WINDOW, RING_SIZE, RING_CONSUMER);
	fw_printf("[realm%lu] CSM_ATTACH status %lu, perm %lu; ring_init %d\n", index, c.x[0], c.x[1],
		  rc);
	while (rc == 0 && expect < RING_MSGS && got < 2U * RING_MSGS) {
		uint32_t seq, len;
		uint64_t sum;
		int n = ring_recv(&r, msg, sizeof(msg));

		if (n == CAEC_E_AGAIN) {
			(void)doorbell_notify(ring_space_bell(&r), &ops);	/* before waiting */
			rc = doorbell_wait(ring_data_bell(&r), &ops, NULL, can_recv, &r, 64U,
					   DOORBELL_FOREVER);
			continue;
		}
		if (n < (int)MSG_HDR) {
			rc = (n < 0) ? n : CAEC_E_CORRUPT;
			break;
		}
		got++;
		if (got % CONS_BATCH == 0U) {
			(void)doorbell_notify(ring_space_bell(&r), &ops);
		}
		memcpy(&seq, msg, 4U);
		memcpy(&len, msg + 4, 4U);
		memcpy(&sum, msg + 8, 8U);
		if (len + MSG_HDR != (uint32_t)n || fnv1a(msg + MSG_HDR, len) != sum ||
		    seq >= RING_MSGS || make_msg(seq, want) != (uint32_t)n ||
		    memcmp(want, msg, (size_t)n) != 0) {
			bad++;
			continue;
		}
		ooo += (seq != expect) ? 1U : 0U;
		if ((seen[seq / 8U] & (1U << (seq % 8U))) != 0U) {
			dup++;
		} else {
			seen[seq / 8U] |= (uint8_t)(1U << (seq % 8U));
			distinct++;
		}
		expect = seq + 1U;
	}
	fw_printf("[realm%lu] consumer: received %u of %u messages: %u lost, %u duplicated, "
		  "%u out of order, %u bad checksums (status %d); %u doorbell waits, %u CSM_NOTIFY\n",
		  index, got, RING_MSGS, RING_MSGS - distinct, dup, ooo, bad, rc, bell.sleeps,
		  bell.wakes);
	c = csm(SMC_RSI_CSM_DETACH, bell.grant, 0, 0, 0);
	fw_printf("[realm%lu] CSM_DETACH status %lu\n", index, c.x[0]);
	post(KEY_DONE, 1UL);
}
