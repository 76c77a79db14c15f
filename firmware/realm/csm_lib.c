/* Bare-metal realm helpers for the CSM payload (see csm_lib.h). */
#include <arch_helpers.h>
#include <console.h>
#include <realm_console.h>
#include <rmi-structs.h>
#include <smc-csm.h>
#include <smc-rsi.h>

#include "csm_lib.h"

#define UART_VA		0x09000000UL
#define PSCI_SYSTEM_OFF	0x84000008UL

static uint64_t realm_l1[512] __attribute__((aligned(4096)));
static struct rsi_realm_config config __attribute__((aligned(4096)));
static struct rsi_host_call host_call __attribute__((aligned(4096)));

static volatile unsigned int sea_armed;
static volatile uint64_t sea_esr;

void realm_exception(void) __attribute__((noreturn));
void realm_sync_exception(void);

struct csm_ret rsi(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	register uint64_t x4 __asm__("x4") = a4;
	register uint64_t x5 __asm__("x5");
	struct csm_ret r;

	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "=r"(x5) : :
			 "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16",
			 "x17", "memory");
	r.x[0] = x0;
	r.x[1] = x1;
	r.x[2] = x2;
	r.x[3] = x3;
	r.x[4] = x4;
	r.x[5] = x5;
	return r;
}

struct csm_ret csm(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	struct csm_ret r;

	do {
		r = rsi(fid, a1, a2, a3, a4);
	} while (r.x[0] == RSI_ERROR_BUSY);
	return r;
}

static uint64_t host_call2(uint16_t imm, uint64_t a0, uint64_t a1)
{
	host_call.imm = imm;
	host_call.gprs[0] = a0;
	host_call.gprs[1] = a1;
	(void)rsi(SMC_RSI_HOST_CALL, (uint64_t)(uintptr_t)&host_call, 0, 0, 0);
	return host_call.gprs[0];
}

void post(uint64_t key, uint64_t value)
{
	(void)host_call2(HC_POST, key, value);
}

uint64_t get(uint64_t key)
{
	return host_call2(HC_GET, key, 0UL);
}

uint64_t wait_for(uint64_t key)
{
	uint64_t v;

	while ((v = get(key)) == 0UL) {
	}
	return v;
}

void system_off(void)
{
	for (;;) {
		(void)rsi(PSCI_SYSTEM_OFF, 0, 0, 0, 0);
	}
}

/* As realm.c: VA 0-1 GB -> unprotected IPA (the UART), 1-2 GB -> RAM. */
void realm_setup(void)
{
	struct csm_ret r = rsi(SMC_RSI_REALM_CONFIG, (uint64_t)(uintptr_t)&config, 0, 0, 0);

	if (r.x[0] != RSI_SUCCESS) {
		system_off();	/* no console yet */
	}
	realm_l1[0] = (1UL << (config.ipa_width - 1U)) | 0x1UL | BIT(10) | BIT(54) | BIT(53);
	realm_l1[1] = 0x40000000UL | 0x1UL | (1UL << 2) | (3UL << 8) | BIT(10);
	dsb_sy();
	write_sysreg(mair_el1, 0xFF00UL);
	write_sysreg(tcr_el1, 25UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | BIT(23) | (2UL << 32));
	write_sysreg(ttbr0_el1, (uint64_t)(uintptr_t)realm_l1);
	isb();
	__asm__ volatile("tlbi vmalle1" : : : "memory");
	dsb_sy();
	write_sysreg(sctlr_el1, 0x30D00800UL | BIT(0) | BIT(2) | BIT(12));
	isb();
	console_init(UART_VA);
	console_use_host_call();	/* one exit per line, not two per character */
}

uint64_t try_load(const volatile uint64_t *p, uint64_t *val)
{
	sea_esr = 0UL;
	sea_armed = 1U;
	*val = *p;
	sea_armed = 0U;
	return sea_esr;
}

uint64_t try_store(volatile uint64_t *p, uint64_t val)
{
	sea_esr = 0UL;
	sea_armed = 1U;
	*p = val;
	sea_armed = 0U;
	return sea_esr;
}

const char *sea_name(uint64_t esr)
{
	return ((esr >> 26) == 0x25UL && (esr & 0x3FUL) == 0x10UL) ? "SEA" : "NO SEA";
}

uint64_t mix64(uint64_t x)
{
	x += 0x9E3779B97F4A7C15UL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
	return x ^ (x >> 31);
}

/* A data abort taken at EL1 while a probe is armed: record it, skip the access. */
void realm_sync_exception(void)
{
	uint64_t esr = read_sysreg(esr_el1);

	if ((esr >> 26) == 0x25UL && sea_armed != 0U) {
		sea_esr = esr;
		sea_armed = 0U;
		write_sysreg(elr_el1, read_sysreg(elr_el1) + 4UL);
		return;
	}
	realm_exception();
}

void realm_exception(void)
{
	fw_printf("[realm] unexpected exception: ESR_EL1=0x%lx ELR_EL1=0x%lx FAR_EL1=0x%lx\n",
		  read_sysreg(esr_el1), read_sysreg(elr_el1), read_sysreg(far_el1));
	system_off();
}

/* No second REC in these scenarios. */
void realm_secondary_main(uint64_t context) __attribute__((noreturn));
void realm_secondary_main(uint64_t context)
{
	(void)context;
	system_off();
}
