/*
 * Realm EL1 runtime and test payload: REALM_CONFIG (for the IPA width),
 * MMU on (cacheable RAM, console through the unprotected UART mapping),
 * RSI VERSION, MEASUREMENT_READ, IPA_STATE_GET, an on-demand page the host
 * populates on a stage-2 fault, a RIPAS EMPTY read that must come back as
 * an SEA, a second vCPU started with PSCI CPU_ON, a secret written to
 * private memory, a HOST_CALL so the host can try to read it, and PSCI
 * SYSTEM_OFF.
 */
#include <arch_helpers.h>
#include <console.h>
#include <fw_utils.h>
#include <rmi-structs.h>
#include <rsi.h>
#include <smc-rmi.h>
#include <smc-rsi.h>

#define UART_VA			0x09000000UL	/* -> IPA unprotected bit | UART */
#define HOST_CALL_SECRET	0x5ECU
#define SECRET_WORDS		8U

static uint64_t realm_l1[512] __attribute__((aligned(4096)));
static struct rsi_realm_config config __attribute__((aligned(4096)));
static struct rsi_host_call host_call __attribute__((aligned(4096)));
static uint64_t secret[512] __attribute__((aligned(4096)));
/* First page after the image: RIPAS RAM, but the host populates it only
 * when this realm touches it (stage-2 fault -> REC exit -> host). */
extern uint8_t __realm_end[];

void realm_mmu_on(uint64_t ipa_width);
void realm_main(uint64_t index) __attribute__((noreturn));
void realm_exception(void) __attribute__((noreturn));
void realm_sync_exception(void);
void realm_secondary_main(uint64_t context) __attribute__((noreturn));
void secondary_entry(void);

#define HOST_CALL_YIELD		0x1DU
#define PSCI_CPU_ON_AARCH64	0xC4000003UL
#define PSCI_CPU_OFF		0x84000002UL
#define PSCI_SYSTEM_OFF		0x84000008UL

/* Written by REC 1, polled by REC 0 (both Normal WB inner shareable). */
static volatile uint64_t cpu1_done;

static volatile bool probe_armed;
static volatile uint64_t probe_esr;

struct rsi_ret rsi_call3(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	register uint64_t x4 __asm__("x4");
	register uint64_t x5 __asm__("x5");
	register uint64_t x6 __asm__("x6");
	register uint64_t x7 __asm__("x7");
	register uint64_t x8 __asm__("x8");
	struct rsi_ret r;

	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "=r"(x4), "=r"(x5),
			   "=r"(x6), "=r"(x7), "=r"(x8)
			 :
			 : "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	r.x[0] = x0; r.x[1] = x1; r.x[2] = x2; r.x[3] = x3; r.x[4] = x4;
	r.x[5] = x5; r.x[6] = x6; r.x[7] = x7; r.x[8] = x8;
	return r;
}

struct rsi_ret rsi_call(uint64_t fid, uint64_t a1, uint64_t a2)
{
	return rsi_call3(fid, a1, a2, 0UL);
}

/*
 * Stage 1, 1 GB blocks: VA 0-1 GB -> unprotected IPA (Device: the UART the
 * host mapped), VA 1-2 GB -> protected IPA = VA (Normal write-back RAM).
 * The unprotected half starts at bit (ipa_width - 1), from REALM_CONFIG.
 */
void realm_mmu_on(uint64_t ipa_width)
{
	realm_l1[0] = (1UL << (ipa_width - 1U)) | 0x1UL | (0UL << 2) | BIT(10) | BIT(54) | BIT(53);
	realm_l1[1] = 0x40000000UL | 0x1UL | (1UL << 2) | (3UL << 8) | BIT(10);
	dsb_sy();
	write_sysreg(mair_el1, 0xFF00UL);
	/* T0SZ=25 (39-bit VA), WB walks, inner shareable, 4 KB, EPD1, IPS 40 bits */
	write_sysreg(tcr_el1, 25UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | BIT(23) | (2UL << 32));
	write_sysreg(ttbr0_el1, (uint64_t)(uintptr_t)realm_l1);
	isb();
	__asm__ volatile("tlbi vmalle1" : : : "memory");
	dsb_sy();
	write_sysreg(sctlr_el1, 0x30D00800UL | BIT(0) | BIT(2) | BIT(12));
	isb();
}

static uint64_t splitmix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15UL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
	return x ^ (x >> 31);
}

static uint64_t random_seed(void)
{
	uint64_t isar0 = read_sysreg(id_aa64isar0_el1);
	uint64_t v;

	if (((isar0 >> 60) & 0xFUL) != 0UL) {
		__asm__ volatile("mrs %0, s3_3_c2_c4_0" : "=r"(v));	/* RNDR */
		return v;
	}
	return read_sysreg(cntvct_el0) ^ 0xC0FFEEUL;
}

void realm_main(uint64_t index)
{
	struct rsi_ret r;
	uint64_t seed, ipa = (uint64_t)(uintptr_t)secret;
	unsigned int i;
	bool intact = true;

	/*
	 * REALM_CONFIG first, with the MMU still off: the IPA width tells
	 * where the unprotected half (and so the console) is.
	 */
	r = rsi_call(SMC_RSI_REALM_CONFIG, (uint64_t)(uintptr_t)&config, 0);
	if (r.x[0] != RSI_SUCCESS || config.ipa_width < 33U || config.ipa_width > 48U) {
		(void)rsi_call(0x84000008UL, 0, 0);	/* no console: just stop */
	}
	realm_mmu_on(config.ipa_width);
	/*
	 * The plain PL011, which the host emulates (two exits per
	 * character): this realm is the one that drives it, as a realm
	 * kernel with only a PL011 driver would.  The others send lines
	 * with host calls (realm_console.h).
	 */
	console_init(UART_VA);
	fw_printf("[realm%lu] realm config: status %lu ipa_width=%lu hash_algo=%s\n", index,
		  r.x[0], config.ipa_width, (config.hash_algo == RMI_HASH_SHA_256) ? "SHA-256" : "?");

	r = rsi_call(SMC_RSI_VERSION, RSI_ABI_VERSION, 0);
	fw_printf("[realm%lu] hello from Realm EL1, MMU on; RSI_VERSION status %lu, "
		  "version %lu.%lu\n", index, r.x[0], r.x[1] >> 16, r.x[1] & 0xFFFFUL);

	r = rsi_call(SMC_RSI_MEASUREMENT_READ, 0, 0);
	fw_printf("[realm%lu] RIM=", index);
	for (i = 1U; i <= 4U; i++) {
		print_hex_bytes((const uint8_t *)&r.x[i], 8U);
	}
	fw_printf(" (status %lu)\n", r.x[0]);

	r = rsi_call(SMC_RSI_IPA_STATE_GET, ipa, ipa + GRANULE_SIZE);
	fw_printf("[realm%lu] IPA_STATE_GET(0x%lx) status %lu ripas=%s\n", index, ipa, r.x[0],
		  (r.x[2] == RIPAS_RAM) ? "RAM" : "not RAM");

	{
		volatile uint64_t *lazy = (volatile uint64_t *)(uintptr_t)__realm_end;
		uint64_t before = *lazy;

		*lazy = 0x600DUL;
		fw_printf("[realm%lu] on-demand page at IPA 0x%lx: read 0x%lx, write/read-back %s\n",
			  index, (uint64_t)(uintptr_t)__realm_end, before,
			  (*lazy == 0x600DUL) ? "OK" : "FAILED");
	}

	{
		/* Past the RAM the host declared: RIPAS EMPTY, the RMM must inject an SEA. */
		uint64_t empty = (uint64_t)(uintptr_t)__realm_end + GRANULE_SIZE;
		r = rsi_call(SMC_RSI_IPA_STATE_GET, empty, empty + GRANULE_SIZE);
		probe_esr = 0UL;
		probe_armed = true;
		(void)*(volatile uint64_t *)(uintptr_t)empty;
		probe_armed = false;
		fw_printf("[realm%lu] read of IPA 0x%lx (RIPAS %s) -> %s ESR_EL1=0x%lx\n",
			  index, empty, (r.x[2] == RIPAS_EMPTY) ? "EMPTY" : "not EMPTY",
			  ((probe_esr & 0x3FUL) == 0x10UL) ? "SEA injected by the RMM," : "NO SEA,",
			  probe_esr);
	}

	/*
	 * Second vCPU: PSCI CPU_ON goes to the host (PSCI exit), which must
	 * answer with RMI_PSCI_COMPLETE before REC 0 can run again.  REC 0
	 * then yields to the host (no timer interrupts here) until REC 1 ran.
	 */
	r = rsi_call3(PSCI_CPU_ON_AARCH64, 1UL, (uint64_t)(uintptr_t)secondary_entry, index);
	fw_printf("[realm%lu] PSCI CPU_ON(MPIDR 1) -> %ld\n", index, (long)r.x[0]);
	host_call.imm = HOST_CALL_YIELD;
	while (r.x[0] == 0UL && cpu1_done == 0UL) {
		(void)rsi_call(SMC_RSI_HOST_CALL, (uint64_t)(uintptr_t)&host_call, 0);
	}

	/* The secret: derived from a hardware random seed, only in realm RAM. */
	seed = random_seed();
	for (i = 0U; i < SECRET_WORDS; i++) {
		secret[i] = splitmix(seed + i);
	}
	fw_printf("[realm%lu] wrote a %u-byte secret at IPA 0x%lx; asking the host to look\n",
		  index, SECRET_WORDS * 8U, ipa);

	host_call.imm = HOST_CALL_SECRET;
	host_call.gprs[0] = index;
	host_call.gprs[1] = ipa;
	host_call.gprs[2] = seed;
	r = rsi_call(SMC_RSI_HOST_CALL, (uint64_t)(uintptr_t)&host_call, 0);
	for (i = 0U; i < SECRET_WORDS; i++) {
		intact = intact && (secret[i] == splitmix(seed + i));
	}
	fw_printf("[realm%lu] host call returned status %lu, host answered 0x%lx; secret %s\n",
		  index, r.x[0], host_call.gprs[0], intact ? "intact" : "CORRUPTED");

	fw_printf("[realm%lu] PSCI SYSTEM_OFF\n", index);
	(void)rsi_call(PSCI_SYSTEM_OFF, 0, 0);
	for (;;) {
		__asm__ volatile("wfi");
	}
}

/* REC 1: the context id is the realm index (see CPU_ON above). */
void realm_secondary_main(uint64_t context)
{
	realm_mmu_on(config.ipa_width);	/* REC 0 already read the config */
	fw_printf("[realm%lu] cpu1 (MPIDR 0x%lx) started by PSCI CPU_ON, context 0x%lx; "
		  "PSCI CPU_OFF\n", context, read_sysreg(mpidr_el1) & 0xFFFFFFUL, context);
	cpu1_done = 1UL;
	dsb_sy();
	(void)rsi_call(PSCI_CPU_OFF, 0, 0);
	for (;;) {
		__asm__ volatile("wfi");
	}
}

void realm_sync_exception(void)
{
	uint64_t esr = read_sysreg(esr_el1);

	if (probe_armed && ((esr >> 26) & 0x3FUL) == 0x25UL) {
		probe_esr = esr;
		probe_armed = false;
		write_sysreg(elr_el1, read_sysreg(elr_el1) + 4UL);	/* skip the load */
		return;
	}
	realm_exception();
}

void realm_exception(void)
{
	fw_printf("[realm] unexpected exception: ESR_EL1=0x%lx ELR_EL1=0x%lx FAR_EL1=0x%lx\n",
		  read_sysreg(esr_el1), read_sysreg(elr_el1), read_sysreg(far_el1));
	(void)rsi_call(0x84000008UL, 0, 0);
	for (;;) {
	}
}
