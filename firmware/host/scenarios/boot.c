/*
 * Scenario "boot" (host-boot.elf, test fw_boot): two realms with two RECs
 * each from the realm/realm.c image; the host predicts and the realms
 * report their RIMs, the realms take an on-demand page, an SEA on RIPAS
 * EMPTY memory, start their second REC with PSCI CPU_ON, and hand the host
 * the IPA of a secret whose granule the host then tries to read (it must
 * take a GPF).  Reads of the RMM's and the monitor's memory must fault
 * too, three invalid RMI calls must fail, and teardown must leave no
 * granule delegated and the secret's granule zeroed.
 */
#include "host.h"

#define NR_REALMS		2U
#define HOST_CALL_SECRET	0x5ECU
#define ESR_EC(esr)		(((esr) >> 26) & 0x3FUL)
#define ESR_EC_DABT_CUR		0x25UL
#define DFSC_GPF		0x28UL

extern const uint8_t realm_boot_start[], realm_boot_end[];

int host_main(void);

struct boot_realm {
	uint64_t seed;
	uint64_t secret_pa;
	bool saw_secret_call;
};

static struct host_realm realms[NR_REALMS];
static struct boot_realm boot[NR_REALMS];

static void probe_secret(struct host_realm *r, uint64_t ipa, uint64_t seed)
{
	struct boot_realm *b = r->priv;
	uint64_t pa, value, esr, far;
	unsigned long hits, bytes;

	if (ipa < REALM_IPA_BASE || ipa >= REALM_IPA_BASE + r->npages * GRANULE_SIZE) {
		host_fail("secret IPA outside realm RAM", ipa);
		return;
	}
	pa = r->data[(ipa - REALM_IPA_BASE) / GRANULE_SIZE];
	b->seed = seed;
	b->secret_pa = pa;
	b->saw_secret_call = true;
	fw_printf("[host] realm%u says its secret is at IPA 0x%lx = PA 0x%lx; reading that "
		  "PA from Normal EL2...\n", r->idx, ipa, pa);
	esr = probe_read(pa, &value, &far);
	if (esr == 0UL) {
		fw_printf("[host] FAIL: read of a realm granule succeeded (0x%lx)\n", value);
		host_count_failure();
	} else {
		fw_printf("[host] GPF caught: ESR_EL2=0x%lx (EC=0x%lx, DFSC=0x%lx%s) FAR_EL2=0x%lx; "
			  "host survives\n", esr, ESR_EC(esr), esr & 0x3FUL,
			  ((esr & 0x3FUL) == DFSC_GPF) ? " Granule Protection Fault" : "", far);
		if (ESR_EC(esr) != ESR_EC_DABT_CUR || (esr & 0x3FUL) != DFSC_GPF || far != pa) {
			host_fail("unexpected fault syndrome", esr);
		}
	}
	hits = scan_for_secret(seed, &bytes);
	if (hits != 0UL) {
		fw_printf("[host] FAIL: realm%u secret found %lu times in Normal-world memory\n",
			  r->idx, hits);
		host_count_failure();
	} else {
		fw_printf("[host] realm%u secret: no copy in the %lu MB of NS memory the host can "
			  "read (delegated granules not scanned: a leak check, not the isolation "
			  "proof; the GPF is)\n", r->idx, bytes >> 20);
	}
}

static bool boot_exit(struct host_realm *r, unsigned int k, struct rmi_rec_run *run)
{
	(void)k;
	if (run->exit.exit_reason == RMI_EXIT_HOST_CALL && run->exit.imm == HOST_CALL_SECRET) {
		probe_secret(r, run->exit.gprs[1], run->exit.gprs[2]);
	}
	return false;	/* the default handling answers the host call */
}

/* The secret's granule is NS again: readable, and zeroed by the RMM. */
static void check_scrubbed(struct host_realm *r)
{
	const struct boot_realm *b = r->priv;
	uint64_t nonzero = 0UL, esr = 0UL, v;
	unsigned int i;

	for (i = 0U; i < GRANULE_SIZE / 8U; i++) {
		esr |= probe_read(b->secret_pa + i * 8U, &v, NULL);
		nonzero |= v;
	}
	fw_printf("[host] realm%u secret PA 0x%lx after undelegate: %s, content %s\n", r->idx,
		  b->secret_pa, (esr == 0UL) ? "readable" : "FAULTED",
		  (nonzero == 0UL) ? "zeroed" : "NOT zeroed");
	if (esr != 0UL || nonzero != 0UL) {
		host_fail("secret granule not scrubbed or not returned to NS", esr);
	}
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
		uint64_t esr = probe_read(targets[i].pa, NULL, NULL);

		fw_printf("[host] read of %s at PA 0x%lx -> %s ESR_EL2=0x%lx\n", targets[i].what,
			  targets[i].pa, ((esr & 0x3FUL) == DFSC_GPF) ? "GPF," : "NO GPF,", esr);
		if ((esr & 0x3FUL) != DFSC_GPF) {
			host_fail("firmware memory readable from the Normal world", esr);
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
		host_fail("UNDELEGATE of a live RD", ret);
	}
	ret = rmi(SMC_RMI_GRANULE_DELEGATE, realms[0].rec[0], 0, 0, 0, 0, NULL);
	fw_printf("[host] check: DELEGATE of a delegated granule -> status %lu (ERROR_INPUT expected)\n", ret);
	if (ret != RMI_ERROR_INPUT) {
		host_fail("double DELEGATE", ret);
	}
	ret = rmi(SMC_RMI_DATA_CREATE_UNKNOWN, realms[1].rd, realms[0].data[0], REALM_IPA_BASE + 0x100000,
		  0, 0, NULL);
	fw_printf("[host] check: mapping realm0's DATA granule into realm1 -> status %lu "
		  "(ERROR_INPUT expected)\n", ret);
	if (ret != RMI_ERROR_INPUT) {
		host_fail("DATA granule mapped into a second realm", ret);
	}
}

static volatile uint32_t cpu1_may_finish;

/*
 * Runs on CPU 1: the RMM there booted per CPU and answers RMI calls too.
 * It stays on until CPU 0 has tried CPU_ON of it again (which must fail).
 */
static void cpu1_job(void *arg)
{
	uint64_t *out = arg;

	out[0] = host_cpu();
	out[1] = rmi(SMC_RMI_VERSION, RMI_ABI_VERSION, 0, 0, 0, 0, &out[2]);
	while (__atomic_load_n(&cpu1_may_finish, __ATOMIC_ACQUIRE) == 0U) {
	}
}

/* Physical PSCI from the monitor: VERSION, FEATURES, CPU_ON, AFFINITY_INFO, CPU_OFF. */
static void second_cpu_check(void)
{
	uint64_t out[7] = { 0 };
	unsigned long ver, feat, on, again, aff = 0UL;
	unsigned int i;

	ver = host_psci(0x84000000UL, 0, 0, 0);
	feat = host_psci(0x8400000AUL, 0xC4000003UL, 0, 0);
	on = host_cpu_on(1U, cpu1_job, out);
	again = host_psci(0xC4000003UL, 1, 0x40800000UL, 0);
	__atomic_store_n(&cpu1_may_finish, 1U, __ATOMIC_RELEASE);
	if (on == 0UL) {
		host_cpu_wait(1U);
		for (i = 0U; i < 1000000U; i++) {	/* until CPU 1 is through CPU_OFF */
			aff = host_psci(0xC4000004UL, 1, 0, 0);
			if (aff == 1UL) {
				break;
			}
		}
	}
	fw_printf("[host] PSCI (EL3) VERSION 0x%lx, FEATURES(CPU_ON) %ld, CPU_ON(1) %ld, "
		  "CPU_ON(1) again %ld, cpu%lu: RMI_VERSION status %lu version 0x%lx, "
		  "AFFINITY_INFO(1) after CPU_OFF %lu\n", ver, (long)feat, (long)on, (long)again,
		  out[0], out[1], out[3], aff);
	if (ver != 0x10001UL || feat != 0UL || on != 0UL || out[0] != 1UL || out[1] != 0UL ||
	    out[3] != RMI_ABI_VERSION || aff != 1UL) {
		host_fail("second physical CPU", on);
	}
	if (again != (unsigned long)-4L && again != (unsigned long)-5L) {
		host_fail("CPU_ON of a CPU that is on", again);	/* ALREADY_ON or ON_PENDING */
	}
}

int host_main(void)
{
	static const struct realm_image img = { realm_boot_start, realm_boot_end };
	uint64_t out[5];
	unsigned long bytes, hits = 0UL;
	unsigned int i;

	console_init(PLAT_UART_BASE);
	host_alloc_init();
	fw_printf("[host] Normal-world host at EL%lu; realm image %lu bytes\n",
		  (read_sysreg(CurrentEL) >> 2) & 3UL,
		  (unsigned long)(realm_boot_end - realm_boot_start));

	RMI_MUST("RMI_VERSION", SMC_RMI_VERSION, RMI_ABI_VERSION, 0, 0, 0, 0, out);
	fw_printf("[host] RMI_VERSION: %lu.%lu\n", out[1] >> 16, out[1] & 0xFFFFUL);
	RMI_MUST("RMI_FEATURES", SMC_RMI_FEATURES, 0, 0, 0, 0, 0, out);
	fw_printf("[host] RMI_FEATURES[0]=0x%lx (max IPA %lu bits)\n", out[1], out[1] & 0xFFUL);

	second_cpu_check();
	for (i = 0U; i < NR_REALMS; i++) {
		realms[i].priv = &boot[i];
		realm_build(&realms[i], i, &img, 2U, 0UL);
	}
	negative_checks();
	probe_firmware_memory();
	scanner_self_test();
	realms_run(realms, NR_REALMS, boot_exit);
	for (i = 0U; i < NR_REALMS; i++) {
		if (!boot[i].saw_secret_call) {
			host_fail("realm never made the secret host call", i);
		}
		if (realms[i].lazy_data == 0UL) {
			host_fail("realm never touched its on-demand page", i);
		}
	}
	for (i = 0U; i < NR_REALMS; i++) {
		realm_teardown(&realms[i]);
		check_scrubbed(&realms[i]);
	}
	for (i = 0U; i < NR_REALMS; i++) {
		hits += scan_for_secret(boot[i].seed, &bytes);
	}
	fw_printf("[host] after teardown: copies of the secrets in the NS memory the host can read: "
		  "%lu (scanned %lu MB, everything undelegated now)\n", hits, bytes >> 20);
	if (hits != 0UL) {
		host_count_failure();
	}
	fw_printf("[host] realm EL1 registers checked after %u REC exits: %u left to the host\n",
		  host_el1_checks(), host_el1_leaks());
	fw_printf("[host] teardown complete: %u granules delegated in total, %u still delegated\n",
		  host_total_delegated(), host_nr_delegated());
	if (host_nr_delegated() != 0U) {
		host_count_failure();
	}
	return host_result();
}
