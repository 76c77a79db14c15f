/*
 * Scenario "attest" (host-attest.elf, test fw_attest): three realms of the
 * attestation demo (realm/attest): realm0 and realm1 run image A, realm2
 * image B.  They check each other's attestation tokens before granting
 * and attaching (realm/attest/demo.c says how); the RMM's local
 * attestation refuses realm2's ATTACH.
 *
 * The host is the untrusted transport.  Besides the CSM exits and the
 * blackboard of host/lib/csm.c it keeps byte strings for the realms
 * (challenges, tokens: HC_BLOB_PUT/GET), and hands them the platform's
 * public key, which it asks the monitor for (CAEC_SIP_PLATFORM_KEY): the
 * realms trust that key only if their own RMM's platform token names it.
 */
#include "host_csm.h"

#include <caec_sip.h>
#include <string.h>

#define NR_REALMS	3U
#define WINDOW		(1UL << 36)	/* realm/attest/demo.c */
#define WINDOW_PAGES	64UL

/* Host calls and blob keys of realm/attest/demo.h. */
#define HC_BLOB_PUT		0xC510U
#define HC_BLOB_GET		0xC511U
#define BLOB_CHUNK		(27U * 8U)
#define BLOB_FIRST		0x100U
#define BLOB_KEYS		0x40U
#define BLOB_MAX		12288U
#define BLOB_PLATFORM_KEY	0x100U

extern const uint8_t realm_attest_a_start[], realm_attest_a_end[];
extern const uint8_t realm_attest_b_start[], realm_attest_b_end[];

int host_main(void);

static struct host_realm realms[NR_REALMS];
static struct host_csm cs[NR_REALMS];
#define HC_WHO_AM_I		0xC512U

static struct {
	uint8_t data[BLOB_MAX];
	uint64_t len;		/* the whole blob's length, once announced */
	uint64_t got;		/* bytes received: it is readable when got == len */
} blobs[BLOB_KEYS];

static bool blob_key_ok(uint64_t key)
{
	return key >= BLOB_FIRST && key < BLOB_FIRST + BLOB_KEYS;
}

/*
 * HC_BLOB_PUT: x0 key, x1 offset, x2 bytes, x3 the whole length, x4.. the
 * bytes; pieces come in order.  A blob is readable once complete.
 */
static void blob_put(const struct rmi_rec_exit *e)
{
	uint64_t key = e->gprs[0], off = e->gprs[1], n = e->gprs[2], total = e->gprs[3];

	if (!blob_key_ok(key) || n > BLOB_CHUNK || total > BLOB_MAX || off > total ||
	    n > total - off) {
		host_fail("bad HC_BLOB_PUT", key);
		return;
	}
	if (off == 0U) {
		blobs[key - BLOB_FIRST].len = total;
		blobs[key - BLOB_FIRST].got = 0U;
	}
	memcpy(blobs[key - BLOB_FIRST].data + off, &e->gprs[4], n);
	blobs[key - BLOB_FIRST].got += n;
}

/* HC_BLOB_GET: x0 key, x1 offset -> x0 total (0: not complete yet), x1 bytes, x2.. */
static void blob_get(const struct rmi_rec_exit *e, struct rmi_rec_entry *entry)
{
	uint64_t key = e->gprs[0], off = e->gprs[1], len, n;

	memset(entry->gprs, 0, sizeof(entry->gprs));
	if (!blob_key_ok(key)) {
		host_fail("bad HC_BLOB_GET", key);
		return;
	}
	len = blobs[key - BLOB_FIRST].len;
	if (len == 0U || blobs[key - BLOB_FIRST].got != len || off >= len) {
		return;
	}
	n = (len - off < BLOB_CHUNK) ? len - off : BLOB_CHUNK;
	entry->gprs[0] = len;
	entry->gprs[1] = n;
	memcpy(&entry->gprs[2], blobs[key - BLOB_FIRST].data + off, n);
}

static bool attest_exit(struct host_realm *r, unsigned int k, struct rmi_rec_run *run)
{
	(void)k;
	if (run->exit.exit_reason == RMI_EXIT_HOST_CALL && run->exit.imm == HC_BLOB_PUT) {
		blob_put(&run->exit);
		return true;
	}
	if (run->exit.exit_reason == RMI_EXIT_HOST_CALL && run->exit.imm == HC_BLOB_GET) {
		blob_get(&run->exit, &run->entry);
		return true;
	}
	if (run->exit.exit_reason == RMI_EXIT_HOST_CALL && run->exit.imm == HC_WHO_AM_I) {
		run->entry.gprs[0] = r->idx;	/* only the realm's role: not a secret */
		return true;
	}
	return host_csm_exit(r->priv, run);
}

int host_main(void)
{
	static const struct realm_image img_a = { realm_attest_a_start, realm_attest_a_end };
	static const struct realm_image img_b = { realm_attest_b_start, realm_attest_b_end };
	uint8_t *der = blobs[BLOB_PLATFORM_KEY - BLOB_FIRST].data;
	unsigned int i;

	console_init(PLAT_UART_BASE);
	host_alloc_init();
	fw_printf("[host] attest: realm0 provides, realm1 (same image) and realm2 (another image) "
		  "would consume; they check each other's tokens\n");
	if (!host_platform_key(der)) {
		host_fail("CAEC_SIP_PLATFORM_KEY refused: no attestation keys", 0UL);
	}
	blobs[BLOB_PLATFORM_KEY - BLOB_FIRST].len = CAEC_SIP_PLATFORM_KEY_WORDS * 8U;
	blobs[BLOB_PLATFORM_KEY - BLOB_FIRST].got = CAEC_SIP_PLATFORM_KEY_WORDS * 8U;
	fw_printf("[host] platform key from the monitor (DER SubjectPublicKeyInfo): ");
	print_hex_bytes(der, CAEC_SIP_PLATFORM_KEY_WORDS * 8U);
	fw_printf("\n");
	host_csm_init(realms, cs, NR_REALMS);
	for (i = 0U; i < NR_REALMS; i++) {
		realms[i].priv = &cs[i];
		realms[i].x0_zero = true;	/* realm0 and realm1 share one RIM */
		host_csm_set_window(&cs[i], WINDOW, WINDOW + WINDOW_PAGES * GRANULE_SIZE);
		realm_build(&realms[i], i, (i < 2U) ? &img_a : &img_b, 1U, 0UL);
	}
	host_csm_run(attest_exit);
	host_csm_report();
	for (i = 0U; i < NR_REALMS; i++) {
		host_csm_unmap_window(&cs[i]);
		realm_teardown(&realms[i]);
		host_csm_after_teardown(&cs[i]);
	}
	fw_printf("[host] teardown complete: %u granules delegated in total, %u still delegated\n",
		  host_total_delegated(), host_nr_delegated());
	if (host_nr_delegated() != 0U) {
		host_count_failure();
	}
	return host_result();
}
