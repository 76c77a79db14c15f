/*
 * Normal-world host (a minimal hypervisor at NS EL2).  Through the RMI it
 * builds two realms (two RECs each) from the embedded realm image, maps the
 * UART into their unprotected IPA space, schedules their RECs round-robin,
 * handles their exits (host calls, stage-2 faults, PSCI CPU_ON/CPU_OFF/
 * SYSTEM_OFF), tries to read a realm's secret and the firmware's memory
 * (each must take a Granule Protection Fault), and tears everything down
 * until no granule is left delegated.
 * Exit status (semihosting): 0 = every check passed.
 */
#include <arch_helpers.h>
#include <console.h>
#include <fw_utils.h>
#include <measurement.h>
#include <plat_memory.h>
#include <rmi-structs.h>
#include <s2tt.h>
#include <smc-rmi.h>
#include <string.h>

#define NR_REALMS		2U
#define NR_RECS			2U	/* REC 1 is started by the realm (PSCI CPU_ON) */
#define HOST_CALL_YIELD		0x1DU
#define REALM_IPA_BASE		0x40000000UL
#define REALM_S2SZ		39U
#define REALM_UNPROTECTED	(1UL << (REALM_S2SZ - 1U))
#define UART_IPA		(REALM_UNPROTECTED | PLAT_UART_BASE)
#define MAX_REALM_PAGES		64U
#define MAX_DELEGATED		256U
#define HOST_CALL_SECRET	0x5ECU
#define ESR_EC(esr)		(((esr) >> 26) & 0x3FUL)
#define ESR_EC_DABT_CUR		0x25UL
#define DFSC_GPF		0x28UL

extern const uint8_t realm_image_start[], realm_image_end[];
extern uint8_t host_pool_start[];

int host_main(void);
void host_sync_exception(void);
void host_unexpected_exception(void) __attribute__((noreturn));

struct host_realm {
	unsigned int idx;
	uint64_t rd, rtt_root, rtt_l2, rtt_l3, rtt_l2u, rtt_l3u;
	uint64_t rec[NR_RECS], run[NR_RECS];	/* REC k has MPIDR k */
	bool sched[NR_RECS];		/* the host may enter REC k */
	bool off;			/* SYSTEM_OFF seen */
	uint64_t data[MAX_REALM_PAGES];
	unsigned int npages, nmeasured;
	uint8_t expected_rim[SHA256_DIGEST_SIZE];
	uint64_t seed;
	uint64_t secret_pa;
	bool saw_secret_call;
	uint64_t lazy_ipa;	/* RIPAS RAM, populated on the realm's first touch */
	uint64_t lazy_data;	/* 0 until then */
	unsigned int exits;	/* REC exits seen by the host */
};

static struct host_realm realms[NR_REALMS];
static uint64_t pool_next;
static uint64_t delegated[MAX_DELEGATED];
static unsigned int nr_delegated, total_delegated;
static int failures;
static unsigned int el1_checks;	/* REC exits after which EL1 was checked */
static unsigned int el1_leaks;	/* ... and found realm values in it */

/* Probe state shared with the exception handler. */
static volatile bool probe_armed;
static volatile uint64_t probe_esr, probe_far;

static unsigned long rmi(unsigned long fid, unsigned long a1, unsigned long a2,
			 unsigned long a3, unsigned long a4, unsigned long a5, uint64_t out[5])
{
	uint64_t regs[8] = { fid, a1, a2, a3, a4, a5, 0, 0 };
	unsigned int i;

	smc_call(regs);
	if (out != NULL) {
		for (i = 0U; i < 5U; i++) {
			out[i] = regs[i];
		}
	}
	return regs[0];
}

static void fail(const char *what, unsigned long ret)
{
	fw_printf("[host] FAIL: %s (returned 0x%lx)\n", what, ret);
	failures++;
}

/* A call that must succeed; stops the run (exit 1) if it does not. */
#define RMI_MUST(what, ...)						\
	do {								\
		unsigned long _r = rmi(__VA_ARGS__);			\
		if (_r != RMI_SUCCESS) {				\
			fail(what, _r);					\
			semihosting_exit(1);				\
		}							\
	} while (0)

static uint64_t alloc_ns(void)
{
	uint64_t pa = pool_next;

	if (pa >= PLAT_NS_DRAM_BASE + PLAT_NS_DRAM_SIZE) {
		fail("host out of memory", pa);
		semihosting_exit(1);
	}
	pool_next += GRANULE_SIZE;
	memset((void *)(uintptr_t)pa, 0, GRANULE_SIZE);
	return pa;
}

static uint64_t alloc_delegated(void)
{
	uint64_t pa = alloc_ns();

	if (nr_delegated == MAX_DELEGATED) {
		fail("host delegation table full", pa);
		semihosting_exit(1);
	}
	RMI_MUST("GRANULE_DELEGATE", SMC_RMI_GRANULE_DELEGATE, pa, 0, 0, 0, 0, NULL);
	delegated[nr_delegated++] = pa;
	total_delegated++;
	return pa;
}

static bool is_delegated(uint64_t pa)
{
	unsigned int i;

	for (i = 0U; i < nr_delegated; i++) {
		if (delegated[i] == (pa & ~GRANULE_MASK)) {
			return true;
		}
	}
	return false;
}

static void undelegate(uint64_t pa)
{
	unsigned int i;

	RMI_MUST("GRANULE_UNDELEGATE", SMC_RMI_GRANULE_UNDELEGATE, pa, 0, 0, 0, 0, NULL);
	for (i = 0U; i < nr_delegated; i++) {
		if (delegated[i] == pa) {
			delegated[i] = delegated[--nr_delegated];
			return;
		}
	}
}

static void print_rim(const char *prefix, unsigned int idx, const uint8_t *rim)
{
	fw_printf("[host] realm%u %s RIM=", idx, prefix);
	print_hex_bytes(rim, SHA256_DIGEST_SIZE);
	fw_printf("\n");
}

static void realm_build(struct host_realm *r, unsigned int idx)
{
	static struct rmi_realm_params params_copy;
	unsigned long image_pages = (unsigned long)(realm_image_end - realm_image_start) / GRANULE_SIZE;
	uint64_t footprint;
	struct rmi_realm_params *p;
	struct rmi_rec_params *rp;
	uint64_t params, rec_params, out[5];
	unsigned int i;

	memcpy(&footprint, realm_image_start + 8, sizeof(footprint));
	r->idx = idx;
	r->npages = (unsigned int)(footprint / GRANULE_SIZE);
	if (r->npages > MAX_REALM_PAGES || r->npages < image_pages) {
		fail("realm image footprint", footprint);
		semihosting_exit(1);
	}

	/* Realm descriptor and the level-1 root RTT (39-bit IPA). */
	r->rd = alloc_delegated();
	r->rtt_root = alloc_delegated();
	params = alloc_ns();
	p = (struct rmi_realm_params *)(uintptr_t)params;
	p->s2sz = REALM_S2SZ;
	p->hash_algo = RMI_HASH_SHA_256;
	p->num_bps = 1;		/* "number minus one": the minimum of two each */
	p->num_wps = 1;
	p->vmid = (uint16_t)(idx + 1U);
	p->rtt_base = r->rtt_root;
	p->rtt_level_start = 1;
	p->rtt_num_start = 1;
	memcpy(&params_copy, p, sizeof(params_copy));
	RMI_MUST("REALM_CREATE", SMC_RMI_REALM_CREATE, r->rd, params, 0, 0, 0, NULL);
	measurement_realm_init(&params_copy, r->expected_rim);

	/* Protected RAM: level-2 and level-3 tables, RIPAS RAM, content. */
	r->rtt_l2 = alloc_delegated();
	RMI_MUST("RTT_CREATE L2", SMC_RMI_RTT_CREATE, r->rd, r->rtt_l2, REALM_IPA_BASE, 2, 0, NULL);
	r->rtt_l3 = alloc_delegated();
	RMI_MUST("RTT_CREATE L3", SMC_RMI_RTT_CREATE, r->rd, r->rtt_l3, REALM_IPA_BASE, 3, 0, NULL);
	/* One page more than the image needs: RAM the realm touches first. */
	r->lazy_ipa = REALM_IPA_BASE + footprint;
	RMI_MUST("RTT_INIT_RIPAS", SMC_RMI_RTT_INIT_RIPAS, r->rd, REALM_IPA_BASE,
		 r->lazy_ipa + GRANULE_SIZE, 0, 0, out);
	measurement_ripas_extend(r->expected_rim, REALM_IPA_BASE, out[1]);
	for (i = 0U; i < r->npages; i++) {
		uint64_t ipa = REALM_IPA_BASE + i * GRANULE_SIZE;

		r->data[i] = alloc_delegated();
		if (i < image_pages) {
			const uint8_t *src = realm_image_start + i * GRANULE_SIZE;

			RMI_MUST("DATA_CREATE", SMC_RMI_DATA_CREATE, r->rd, r->data[i], ipa,
				 (uint64_t)(uintptr_t)src, RMI_MEASURE_CONTENT, NULL);
			measurement_data_extend(r->expected_rim, ipa, RMI_MEASURE_CONTENT, src);
			r->nmeasured++;
		} else {
			RMI_MUST("DATA_CREATE_UNKNOWN", SMC_RMI_DATA_CREATE_UNKNOWN, r->rd, r->data[i],
				 ipa, 0, 0, NULL);
		}
	}

	/* Unprotected IPA: the UART, for the realm's console. */
	r->rtt_l2u = alloc_delegated();
	RMI_MUST("RTT_CREATE L2 (unprotected)", SMC_RMI_RTT_CREATE, r->rd, r->rtt_l2u,
		 REALM_UNPROTECTED, 2, 0, NULL);
	r->rtt_l3u = alloc_delegated();
	RMI_MUST("RTT_CREATE L3 (unprotected)", SMC_RMI_RTT_CREATE, r->rd, r->rtt_l3u,
		 UART_IPA & ~(s2tt_map_size(2) - 1UL), 3, 0, NULL);
	RMI_MUST("RTT_MAP_UNPROTECTED", SMC_RMI_RTT_MAP_UNPROTECTED, r->rd, UART_IPA, 3,
		 PLAT_UART_BASE | S2TTE_MEMATTR_DEV_NGNRE | S2TTE_AP_RW, 0, NULL);

	/*
	 * Two RECs: REC 0 (MPIDR 0) runnable at the image entry with x0 = realm
	 * index; REC 1 (MPIDR 1) not runnable until the realm starts it.
	 */
	RMI_MUST("REC_AUX_COUNT", SMC_RMI_REC_AUX_COUNT, r->rd, 0, 0, 0, 0, out);
	if (out[1] != 0UL) {
		fail("REC_AUX_COUNT != 0", out[1]);
	}
	for (i = 0U; i < NR_RECS; i++) {
		rec_params = alloc_ns();
		rp = (struct rmi_rec_params *)(uintptr_t)rec_params;
		rp->flags = (i == 0U) ? REC_PARAMS_FLAG_RUNNABLE : 0UL;
		rp->mpidr = i;
		rp->pc = (i == 0U) ? REALM_IPA_BASE : 0UL;
		rp->gprs[0] = (i == 0U) ? idx : 0UL;
		r->rec[i] = alloc_delegated();
		RMI_MUST("REC_CREATE", SMC_RMI_REC_CREATE, r->rd, r->rec[i], rec_params, 0, 0, NULL);
		measurement_rec_extend(r->expected_rim, rp);
		r->run[i] = alloc_ns();
		r->sched[i] = (i == 0U);
	}
	RMI_MUST("REALM_ACTIVATE", SMC_RMI_REALM_ACTIVATE, r->rd, 0, 0, 0, 0, NULL);

	RMI_MUST("RTT_READ_ENTRY", SMC_RMI_RTT_READ_ENTRY, r->rd, REALM_IPA_BASE, 3, 0, 0, out);
	fw_printf("[host] realm%u RTT_READ_ENTRY(0x%lx, 3): level %lu state %s desc 0x%lx ripas %s\n",
		  idx, REALM_IPA_BASE, out[1], (out[2] == RMI_ASSIGNED) ? "ASSIGNED" : "?", out[3],
		  (out[4] == RIPAS_RAM) ? "RAM" : "?");
	if (out[2] != RMI_ASSIGNED || out[3] != r->data[0] || out[4] != RIPAS_RAM) {
		fail("RTT_READ_ENTRY of the first realm page", out[2]);
	}
	RMI_MUST("RTT_READ_ENTRY", SMC_RMI_RTT_READ_ENTRY, r->rd, UART_IPA, 3, 0, 0, out);
	if (out[2] != RMI_ASSIGNED || (out[3] & S2TTE_OA_MASK) != PLAT_UART_BASE) {
		fail("RTT_READ_ENTRY of the unprotected UART", out[2]);
	}
	fw_printf("[host] realm%u created: RD 0x%lx VMID %u, %u pages at IPA 0x%lx (%u measured), "
		  "UART at IPA 0x%lx\n", idx, r->rd, idx + 1U, r->npages, REALM_IPA_BASE,
		  r->nmeasured, UART_IPA);
	print_rim("expected", idx, r->expected_rim);
}

static uint64_t splitmix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15UL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
	return x ^ (x >> 31);
}

static unsigned long scan_range(uint64_t base, uint64_t top, uint64_t seed, unsigned long *bytes)
{
	uint64_t w0 = splitmix(seed), w1 = splitmix(seed + 1U);
	unsigned long hits = 0UL;
	uint64_t pa;

	for (pa = base; pa < top; pa += GRANULE_SIZE) {
		const volatile uint64_t *p = (const volatile uint64_t *)(uintptr_t)pa;
		unsigned int i;

		if (is_delegated(pa)) {
			continue;	/* Realm PAS: a read would fault */
		}
		for (i = 0U; i < GRANULE_SIZE / 8U - 1U; i++) {
			if (p[i] == w0 && p[i + 1U] == w1) {
				hits++;
			}
		}
		*bytes += GRANULE_SIZE;
	}
	return hits;
}

/* Search all Normal-world DRAM the host can read for the realm's secret. */
static unsigned long scan_for_secret(uint64_t seed, unsigned long *bytes)
{
	*bytes = 0UL;
	return scan_range(PLAT_DRAM_BASE, PLAT_MONITOR_BASE, seed, bytes) +
	       scan_range(PLAT_HOST_BASE, PLAT_NS_DRAM_BASE + PLAT_NS_DRAM_SIZE, seed, bytes);
}

/*
 * Positive control for the scan: plant a pattern built the same way in an
 * NS granule and check the scan finds it exactly once (then wipe it).
 */
static void scanner_self_test(void)
{
	static const uint64_t seed = 0x5CA77E57UL;
	uint64_t pa = alloc_ns();
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)pa;
	unsigned long hits, bytes;

	p[5] = splitmix(seed);
	p[6] = splitmix(seed + 1U);
	hits = scan_for_secret(seed, &bytes);
	p[5] = 0UL;
	p[6] = 0UL;
	fw_printf("[host] scanner self-test: planted pattern found %lu time(s) in %lu MB\n",
		  hits, bytes >> 20);
	if (hits != 1UL) {
		fail("scanner self-test", hits);
	}
}

static void probe_secret(struct host_realm *r, uint64_t ipa, uint64_t seed)
{
	uint64_t pa, value;
	unsigned long hits, bytes;

	if (ipa < REALM_IPA_BASE || ipa >= REALM_IPA_BASE + r->npages * GRANULE_SIZE) {
		fail("secret IPA outside realm RAM", ipa);
		return;
	}
	pa = r->data[(ipa - REALM_IPA_BASE) / GRANULE_SIZE];
	r->seed = seed;
	r->secret_pa = pa;
	r->saw_secret_call = true;
	fw_printf("[host] realm%u says its secret is at IPA 0x%lx = PA 0x%lx; reading that "
		  "PA from Normal EL2...\n", r->idx, ipa, pa);
	probe_esr = 0UL;
	probe_armed = true;
	value = *(volatile uint64_t *)(uintptr_t)pa;
	probe_armed = false;
	if (probe_esr == 0UL) {
		fw_printf("[host] FAIL: read of a realm granule succeeded (0x%lx)\n", value);
		failures++;
	} else {
		fw_printf("[host] GPF caught: ESR_EL2=0x%lx (EC=0x%lx, DFSC=0x%lx%s) FAR_EL2=0x%lx; "
			  "host survives\n", probe_esr, ESR_EC(probe_esr), probe_esr & 0x3FUL,
			  ((probe_esr & 0x3FUL) == DFSC_GPF) ? " Granule Protection Fault" : "",
			  probe_far);
		if (ESR_EC(probe_esr) != ESR_EC_DABT_CUR || (probe_esr & 0x3FUL) != DFSC_GPF ||
		    probe_far != pa) {
			fail("unexpected fault syndrome", probe_esr);
		}
	}
	hits = scan_for_secret(seed, &bytes);
	if (hits != 0UL) {
		fw_printf("[host] FAIL: realm%u secret found %lu times in Normal-world memory\n",
			  r->idx, hits);
		failures++;
	} else {
		fw_printf("[host] realm%u secret not visible to the host: 0 matches in %lu MB of "
			  "Normal-world memory\n", r->idx, bytes >> 20);
	}
}

/*
 * A stage-2 data abort on the realm's on-demand page: give it a granule
 * (DATA_CREATE_UNKNOWN works in an ACTIVE realm) and let the REC retry.
 */
static bool handle_stage2_fault(struct host_realm *r, const struct rmi_rec_exit *e)
{
	uint64_t ipa = (e->hpfar >> 4) << GRANULE_SHIFT;

	if (ESR_EC(e->esr) != 0x24UL || ipa != r->lazy_ipa || r->lazy_data != 0UL) {
		fw_printf("[host] FAIL: realm%u unexpected stage-2 fault ESR=0x%lx IPA=0x%lx\n",
			  r->idx, e->esr, ipa);
		failures++;
		return false;
	}
	r->lazy_data = alloc_delegated();
	RMI_MUST("DATA_CREATE_UNKNOWN (on demand)", SMC_RMI_DATA_CREATE_UNKNOWN, r->rd,
		 r->lazy_data, ipa, 0, 0, NULL);
	fw_printf("[host] realm%u: stage-2 fault ESR=0x%lx at IPA 0x%lx -> DATA_CREATE_UNKNOWN "
		  "PA 0x%lx, resuming\n", r->idx, e->esr, ipa, r->lazy_data);
	return true;
}

/* PSCI exits: CPU_ON (complete it), CPU_OFF, SYSTEM_OFF. */
static void handle_psci_exit(struct host_realm *r, unsigned int k, const struct rmi_rec_exit *e)
{
	unsigned long ret;
	uint64_t target = e->gprs[1];

	switch (e->gprs[0]) {
	case 0xC4000003UL:	/* CPU_ON */
		if (target >= NR_RECS) {
			fail("CPU_ON of an MPIDR without a REC", target);
			r->sched[k] = false;
			return;
		}
		ret = rmi(SMC_RMI_PSCI_COMPLETE, r->rec[k], r->rec[target], 0 /* SUCCESS */, 0, 0, NULL);
		fw_printf("[host] realm%u REC%u: PSCI CPU_ON of MPIDR 0x%lx -> PSCI_COMPLETE status %lu\n",
			  r->idx, k, target, ret);
		if (ret != RMI_SUCCESS) {
			fail("PSCI_COMPLETE", ret);
			r->sched[k] = false;
			return;
		}
		r->sched[target] = true;
		return;
	case 0x84000002UL:	/* CPU_OFF */
		fw_printf("[host] realm%u REC%u: PSCI CPU_OFF\n", r->idx, k);
		r->sched[k] = false;
		return;
	case 0x84000008UL:	/* SYSTEM_OFF */
		fw_printf("[host] realm%u: PSCI SYSTEM_OFF from REC%u after %u REC exits\n",
			  r->idx, k, r->exits);
		r->off = true;
		return;
	default:
		fail("unexpected PSCI exit", e->gprs[0]);
		r->sched[k] = false;
		return;
	}
}

/* One REC_ENTER of REC k and the handling of its exit. */
static void realm_step(struct host_realm *r, unsigned int k)
{
	struct rmi_rec_run *run = (struct rmi_rec_run *)(uintptr_t)r->run[k];

	RMI_MUST("REC_ENTER", SMC_RMI_REC_ENTER, r->rec[k], r->run[k], 0, 0, 0, NULL);
	r->exits++;
	/*
	 * The realm ran at EL1 with its own vector table and stack; the RMM
	 * must have scrubbed both (and the rest of EL1) before coming back.
	 */
	el1_checks++;
	if (read_sysreg(vbar_el1) != 0UL || read_sysreg(sp_el1) != 0UL) {
		el1_leaks++;
		fail("realm EL1 state (VBAR_EL1/SP_EL1) visible to the host",
		     read_sysreg(vbar_el1));
	}
	switch (run->exit.exit_reason) {
	case RMI_EXIT_HOST_CALL:
		if (run->exit.imm == HOST_CALL_SECRET) {
			probe_secret(r, run->exit.gprs[1], run->exit.gprs[2]);
		}
		/* HOST_CALL_YIELD: nothing to do, the scheduler moves on. */
		memset(run->entry.gprs, 0, sizeof(run->entry.gprs));
		run->entry.gprs[0] = 0xACCE55UL;	/* host's answer */
		return;
	case RMI_EXIT_SYNC:
		if (!handle_stage2_fault(r, &run->exit)) {
			r->sched[k] = false;
		}
		return;
	case RMI_EXIT_PSCI:
		handle_psci_exit(r, k, &run->exit);
		return;
	default:
		fw_printf("[host] FAIL: realm%u unexpected exit %lu ESR=0x%lx HPFAR=0x%lx\n",
			  r->idx, run->exit.exit_reason, run->exit.esr, run->exit.hpfar);
		failures++;
		r->sched[k] = false;
		return;
	}
}

static bool realm_alive(const struct host_realm *r)
{
	unsigned int k;

	if (r->off) {
		return false;
	}
	for (k = 0U; k < NR_RECS; k++) {
		if (r->sched[k]) {
			return true;
		}
	}
	return false;
}

/*
 * Round-robin scheduler over every REC of every realm, switching at each
 * REC exit, so the RMM moves between RECs of one realm (same stage 2) and
 * between realms (other VMID and stage 2, same IPAs).
 */
static void realms_run(void)
{
	unsigned int i, k;
	bool any = true;
	unsigned long ret;

	while (any) {
		any = false;
		for (i = 0U; i < NR_REALMS; i++) {
			for (k = 0U; k < NR_RECS && realm_alive(&realms[i]); k++) {
				if (realms[i].sched[k]) {
					realm_step(&realms[i], k);
				}
			}
			any = any || realm_alive(&realms[i]);
		}
	}
	for (i = 0U; i < NR_REALMS; i++) {
		struct host_realm *r = &realms[i];

		if (!r->off) {
			fail("realm stopped without SYSTEM_OFF", r->idx);
		}
		ret = rmi(SMC_RMI_REC_ENTER, r->rec[0], r->run[0], 0, 0, 0, NULL);
		fw_printf("[host] realm%u: REC_ENTER after SYSTEM_OFF -> status 0x%lx (ERROR_REALM index 1 expected)\n",
			  r->idx, ret);
		if (ret != rmi_pack(RMI_ERROR_REALM, 1UL)) {
			fail("REC_ENTER after SYSTEM_OFF", ret);
		}
		if (!r->saw_secret_call) {
			fail("realm never made the secret host call", 0);
		}
	}
}

/* The secret's granule is NS again: readable, and zeroed by the RMM. */
static void check_scrubbed(struct host_realm *r)
{
	const volatile uint64_t *p = (const volatile uint64_t *)(uintptr_t)r->secret_pa;
	uint64_t nonzero = 0UL;
	unsigned int i;

	probe_esr = 0UL;
	probe_armed = true;
	for (i = 0U; i < GRANULE_SIZE / 8U; i++) {
		nonzero |= p[i];
	}
	probe_armed = false;
	fw_printf("[host] realm%u secret PA 0x%lx after undelegate: %s, content %s\n", r->idx,
		  r->secret_pa, (probe_esr == 0UL) ? "readable" : "FAULTED",
		  (nonzero == 0UL) ? "zeroed" : "NOT zeroed");
	if (probe_esr != 0UL || nonzero != 0UL) {
		fail("secret granule not scrubbed or not returned to NS", probe_esr);
	}
}

static void realm_teardown(struct host_realm *r)
{
	uint64_t out[5];
	unsigned int i;

	for (i = 0U; i < NR_RECS; i++) {
		RMI_MUST("REC_DESTROY", SMC_RMI_REC_DESTROY, r->rec[i], 0, 0, 0, 0, NULL);
	}
	for (i = 0U; i < r->npages; i++) {
		RMI_MUST("DATA_DESTROY", SMC_RMI_DATA_DESTROY, r->rd,
			 REALM_IPA_BASE + i * GRANULE_SIZE, 0, 0, 0, out);
		if (out[1] != r->data[i]) {
			fail("DATA_DESTROY returned another PA", out[1]);
		}
	}
	if (r->lazy_data != 0UL) {
		RMI_MUST("DATA_DESTROY (on demand)", SMC_RMI_DATA_DESTROY, r->rd, r->lazy_ipa,
			 0, 0, 0, NULL);
		undelegate(r->lazy_data);
	} else {
		fail("realm never touched its on-demand page", 0);
	}
	RMI_MUST("RTT_UNMAP_UNPROTECTED", SMC_RMI_RTT_UNMAP_UNPROTECTED, r->rd, UART_IPA, 3, 0, 0, NULL);
	RMI_MUST("RTT_DESTROY L3u", SMC_RMI_RTT_DESTROY, r->rd, UART_IPA & ~(s2tt_map_size(2) - 1UL),
		 3, 0, 0, NULL);
	RMI_MUST("RTT_DESTROY L2u", SMC_RMI_RTT_DESTROY, r->rd, REALM_UNPROTECTED, 2, 0, 0, NULL);
	RMI_MUST("RTT_DESTROY L3", SMC_RMI_RTT_DESTROY, r->rd, REALM_IPA_BASE, 3, 0, 0, NULL);
	RMI_MUST("RTT_DESTROY L2", SMC_RMI_RTT_DESTROY, r->rd, REALM_IPA_BASE, 2, 0, 0, NULL);
	RMI_MUST("REALM_DESTROY", SMC_RMI_REALM_DESTROY, r->rd, 0, 0, 0, 0, NULL);

	for (i = 0U; i < NR_RECS; i++) {
		undelegate(r->rec[i]);
	}
	for (i = 0U; i < r->npages; i++) {
		undelegate(r->data[i]);
	}
	undelegate(r->rtt_l3u);
	undelegate(r->rtt_l2u);
	undelegate(r->rtt_l3);
	undelegate(r->rtt_l2);
	undelegate(r->rtt_root);
	undelegate(r->rd);
	fw_printf("[host] realm%u destroyed and its granules undelegated\n", r->idx);
	check_scrubbed(r);
}

/* A Normal-world read of pa must take a GPF; returns the ESR (0 = no fault). */
static uint64_t probe_read(uint64_t pa)
{
	probe_esr = 0UL;
	probe_armed = true;
	(void)*(volatile uint64_t *)(uintptr_t)pa;
	probe_armed = false;
	return probe_esr;
}

/* The RMM's memory (Realm PAS) and the monitor's and GPT's (Root PAS). */
static void probe_firmware_memory(void)
{
	static const struct { uint64_t pa; const char *what; } targets[] = {
		{ PLAT_RMM_BASE, "RMM image (Realm PAS)" },
		{ PLAT_MONITOR_BASE, "EL3 monitor and GPT (Root PAS)" },
	};
	unsigned int i;

	for (i = 0U; i < ARRAY_SIZE(targets); i++) {
		uint64_t esr = probe_read(targets[i].pa);

		fw_printf("[host] read of %s at PA 0x%lx -> %s ESR_EL2=0x%lx\n", targets[i].what,
			  targets[i].pa, ((esr & 0x3FUL) == DFSC_GPF) ? "GPF," : "NO GPF,", esr);
		if ((esr & 0x3FUL) != DFSC_GPF) {
			fail("firmware memory readable from the Normal world", esr);
		}
	}
}

/* Calls that must fail, on the real RMM (the unit tests cover all of them). */
static void negative_checks(void)
{
	unsigned long ret;

	ret = rmi(SMC_RMI_GRANULE_UNDELEGATE, realms[0].rd, 0, 0, 0, 0, NULL);
	fw_printf("[host] check: UNDELEGATE of a live RD -> status %lu (ERROR_INPUT expected)\n", ret);
	if (ret != RMI_ERROR_INPUT) {
		fail("UNDELEGATE of a live RD", ret);
	}
	ret = rmi(SMC_RMI_GRANULE_DELEGATE, realms[0].rec[0], 0, 0, 0, 0, NULL);
	fw_printf("[host] check: DELEGATE of a delegated granule -> status %lu (ERROR_INPUT expected)\n", ret);
	if (ret != RMI_ERROR_INPUT) {
		fail("double DELEGATE", ret);
	}
	ret = rmi(SMC_RMI_DATA_CREATE_UNKNOWN, realms[1].rd, realms[0].data[0], REALM_IPA_BASE + 0x100000,
		  0, 0, NULL);
	fw_printf("[host] check: mapping realm0's DATA granule into realm1 -> status %lu "
		  "(ERROR_INPUT expected)\n", ret);
	if (ret != RMI_ERROR_INPUT) {
		fail("DATA granule mapped into a second realm", ret);
	}
}

int host_main(void)
{
	uint64_t out[5];
	unsigned long bytes, hits = 0UL;
	unsigned int i;

	console_init(PLAT_UART_BASE);
	pool_next = (uint64_t)(uintptr_t)host_pool_start;
	fw_printf("[host] Normal-world host at EL%lu; realm image %lu bytes; free memory from 0x%lx\n",
		  (read_sysreg(CurrentEL) >> 2) & 3UL,
		  (unsigned long)(realm_image_end - realm_image_start), pool_next);

	RMI_MUST("RMI_VERSION", SMC_RMI_VERSION, RMI_ABI_VERSION, 0, 0, 0, 0, out);
	fw_printf("[host] RMI_VERSION: %lu.%lu\n", out[1] >> 16, out[1] & 0xFFFFUL);
	RMI_MUST("RMI_FEATURES", SMC_RMI_FEATURES, 0, 0, 0, 0, 0, out);
	fw_printf("[host] RMI_FEATURES[0]=0x%lx (max IPA %lu bits)\n", out[1], out[1] & 0xFFUL);

	for (i = 0U; i < NR_REALMS; i++) {
		realm_build(&realms[i], i);
	}
	negative_checks();
	probe_firmware_memory();
	scanner_self_test();
	realms_run();
	for (i = 0U; i < NR_REALMS; i++) {
		realm_teardown(&realms[i]);
	}
	for (i = 0U; i < NR_REALMS; i++) {
		hits += scan_for_secret(realms[i].seed, &bytes);
	}
	fw_printf("[host] after teardown: secrets found in Normal-world memory: %lu (scanned %lu MB)\n",
		  hits, bytes >> 20);
	if (hits != 0UL) {
		failures++;
	}
	fw_printf("[host] realm EL1 registers checked after %u REC exits: %u left to the host\n",
		  el1_checks, el1_leaks);
	fw_printf("[host] teardown complete: %u granules delegated in total, %u still delegated\n",
		  total_delegated, nr_delegated);
	if (nr_delegated != 0U) {
		failures++;
	}
	fw_printf("[host] RESULT: %s (%d failures)\n", (failures == 0) ? "PASS" : "FAIL", failures);
	return (failures == 0) ? 0 : 1;
}

void host_sync_exception(void)
{
	uint64_t esr = read_sysreg(esr_el2);

	if (probe_armed && ESR_EC(esr) == ESR_EC_DABT_CUR) {
		probe_esr = esr;
		probe_far = read_sysreg(far_el2);
		probe_armed = false;
		write_sysreg(elr_el2, read_sysreg(elr_el2) + 4UL);	/* skip the load */
		return;
	}
	host_unexpected_exception();
}

void host_unexpected_exception(void)
{
	fw_printf("[host] PANIC: unexpected exception at EL2: ESR_EL2=0x%lx ELR_EL2=0x%lx "
		  "FAR_EL2=0x%lx\n", read_sysreg(esr_el2), read_sysreg(elr_el2), read_sysreg(far_el2));
	semihosting_exit(30);
}
