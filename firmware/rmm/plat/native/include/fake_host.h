/*
 * Native fake host: the "physical memory" is a static buffer, the GPT is
 * an array of GPIs, and a REC "runs" by calling a test-supplied function
 * that plays the realm.  Tests use these hooks to inspect the machine.
 */
#ifndef FAKE_HOST_H
#define FAKE_HOST_H

#include <plat.h>

enum fake_gpi {
	FAKE_GPI_NS = 0,
	FAKE_GPI_REALM,
};

/* Reset memory, GPT, granule table and VMIDs. */
void fake_host_reset(void);
enum fake_gpi fake_gpt_get(uint64_t pa);
/* Make the fake EL3 refuse the next GTSI call (tests EL3 errors). */
void fake_gtsi_fail_next(void);
unsigned long fake_tlbi_count(void);
/* plat_s2_tlbi_pages: pages invalidated by VMID+IPA so far, VMID-wide flushes. */
unsigned long fake_tlbi_pages(void);
unsigned long fake_tlbi_vmid_count(void);
/* Was (vmid, ipa) invalidated by IPA since the since-th page invalidation? */
bool fake_tlbi_page_logged(unsigned int vmid, uint64_t ipa, unsigned long since);
/* Seed the fake RNDR, or make it fail (no FEAT_RNG). */
void fake_entropy_seed(uint64_t seed, bool fail);

/*
 * The fake EL3's attestation services: a platform key (CPAK) and a realm
 * attestation key made once per process (deterministic), and a platform
 * token it signs for the RMM with core/token, as monitor/attest.c does.
 *   fake_el3_fail: refuse the next calls (EL3 without attestation);
 *   fake_el3_platform_key: the CPAK as DER SubjectPublicKeyInfo;
 *   fake_el3_calls: key and token requests served so far.
 */
void fake_el3_fail(bool fail);
size_t fake_el3_platform_key(uint8_t *der, size_t cap);
unsigned long fake_el3_calls(void);
/* Make plat_irq_pending() true for the next n checks. */
void fake_irq_pending(unsigned int n);
/* Inside plat_crypto_begin() .. plat_crypto_end() now? */
bool fake_in_crypto(void);

/* The realm: called for each plat_rec_run; edit rec->regs/pc and fill exc. */
typedef void (*fake_realm_fn)(struct rec *rec, struct realm_exception *exc, void *arg);
void fake_set_realm(fake_realm_fn fn, void *arg);

/* The last call plat_log_call() recorded, as "RMI NAME args > results". */
const char *fake_last_call_log(void);

/* Test helpers: PA <-> pointer into the fake DRAM. */
void *fake_pa_ptr(uint64_t pa);

#endif /* FAKE_HOST_H */
