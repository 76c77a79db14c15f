/*
 * PSCI 1.1 for the Normal world (the host's physical CPUs): VERSION,
 * FEATURES, CPU_ON (SMC64), CPU_OFF, AFFINITY_INFO (SMC64), SYSTEM_OFF and
 * SYSTEM_RESET.  A CPU that is off waits in psci_wait_for_cpu_on(); CPU_ON
 * hands it the entry point and context id, and the monitor then boots the
 * RMM on that CPU before entering the Normal world there.
 *
 * Power: QEMU virt (secure=on) wires a Secure-only PL061 GPIO to its
 * gpio-pwr device (hw/arm/virt.c create_secure_gpio_pwr): a rising edge
 * on line 0 shuts the machine down, on line 1 resets it.  So the run ends
 * without semihosting, which would otherwise let any EL >= 1, a realm
 * included, stop QEMU with HLT #0xF000.
 */
#include <arch_helpers.h>
#include <console.h>
#include <plat_memory.h>
#include <psci.h>
#include <smc.h>

#define PSCI_CPU_ON_AARCH64_FID		0xC4000003UL
#define PSCI_AFFINITY_INFO_AARCH64	0xC4000004UL
#define PSCI_SYSTEM_RESET		0x84000009UL
#define PSCI_ON_PENDING			((uint64_t)-5L)
#define PSCI_AFF_ON			0UL
#define PSCI_AFF_OFF			1UL
#define PSCI_AFF_ON_PENDING		2UL

#define GPIO_DIR		0x400U
#define GPIO_DATA(line)		(4U << (line))	/* address-masked data register */
#define GPIO_LINE_POWEROFF	0U
#define GPIO_LINE_RESET		1U

enum cpu_power { CPU_OFF_STATE = 0, CPU_ON_PENDING_STATE, CPU_ON_STATE };

struct cpu_power_state {
	volatile uint32_t state;
	volatile uint64_t entry, arg;
};

static struct cpu_power_state cpus[PLAT_MAX_CPUS];
static volatile uint32_t power_lock;

static void lock(void)
{
	while (__atomic_exchange_n(&power_lock, 1U, __ATOMIC_ACQUIRE) != 0U) {
	}
}

static void unlock(void)
{
	__atomic_store_n(&power_lock, 0U, __ATOMIC_RELEASE);
}

void psci_init(void)
{
	cpus[0].state = CPU_ON_STATE;
}

bool psci_is_fid(uint64_t fid)
{
	return (fid & 0xBFFFFFE0UL) == 0x84000000UL;
}

/* An entry point the Normal world may run: NS DRAM it owns. */
static bool ns_entry_valid(uint64_t pa)
{
	return pa >= PLAT_HOST_BASE && pa < PLAT_NS_DRAM_BASE + PLAT_NS_DRAM_SIZE &&
	       (pa & 3UL) == 0UL;
}

/* MPIDR -> CPU index (Aff0 only on this platform), or PLAT_MAX_CPUS. */
static unsigned int mpidr_cpu(uint64_t mpidr)
{
	if ((mpidr & ~0xFFUL) != 0UL || (mpidr & 0xFFUL) >= PLAT_MAX_CPUS) {
		return PLAT_MAX_CPUS;
	}
	return (unsigned int)mpidr;
}

static uint64_t cpu_on(uint64_t mpidr, uint64_t entry, uint64_t arg)
{
	unsigned int cpu = mpidr_cpu(mpidr);
	uint64_t ret;

	if (cpu == PLAT_MAX_CPUS) {
		return PSCI_INVALID_PARAMETERS;
	}
	if (!ns_entry_valid(entry)) {
		return PSCI_INVALID_ADDRESS;
	}
	lock();
	if (cpus[cpu].state == CPU_ON_STATE) {
		ret = PSCI_ALREADY_ON;
	} else if (cpus[cpu].state == CPU_ON_PENDING_STATE) {
		ret = PSCI_ON_PENDING;
	} else {
		cpus[cpu].entry = entry;
		cpus[cpu].arg = arg;
		dsb_sy();
		cpus[cpu].state = CPU_ON_PENDING_STATE;
		dsb_sy();
		__asm__ volatile("sev");
		ret = PSCI_SUCCESS;
	}
	unlock();
	return ret;
}

void psci_wait_for_cpu_on(unsigned int cpu, uint64_t *entry, uint64_t *arg)
{
	while (cpus[cpu].state != CPU_ON_PENDING_STATE) {
		__asm__ volatile("wfe");
	}
	*entry = cpus[cpu].entry;
	*arg = cpus[cpu].arg;
	cpus[cpu].state = CPU_ON_STATE;
	dsb_sy();
}

static void gpio_pulse(unsigned int line)
{
	volatile uint32_t *dir = (volatile uint32_t *)(uintptr_t)(PLAT_SECURE_GPIO_BASE + GPIO_DIR);
	volatile uint32_t *data =
		(volatile uint32_t *)(uintptr_t)(PLAT_SECURE_GPIO_BASE + GPIO_DATA(line));

	*dir |= 1U << line;
	*data = 0U;
	dsb_sy();
	*data = 1U << line;	/* gpio-pwr acts on the rising edge */
	dsb_sy();
}

void platform_power_off(void)
{
	gpio_pulse(GPIO_LINE_POWEROFF);
	for (;;) {
		__asm__ volatile("wfi");
	}
}

void platform_reset(void)
{
	gpio_pulse(GPIO_LINE_RESET);
	for (;;) {
		__asm__ volatile("wfi");
	}
}

void psci_handle(struct cpu_ctx *ctx)
{
	uint64_t fid = ctx->x[0];
	unsigned int cpu = monitor_cpu();

	switch (fid) {
	case PSCI_VERSION:
		ctx->x[0] = 0x10001UL;	/* 1.1 */
		return;
	case PSCI_FEATURES:
		switch (ctx->x[1]) {
		case PSCI_VERSION:
		case PSCI_FEATURES:
		case PSCI_CPU_ON_AARCH64_FID:
		case PSCI_CPU_OFF:
		case PSCI_AFFINITY_INFO_AARCH64:
		case PSCI_SYSTEM_OFF:
		case PSCI_SYSTEM_RESET:
			ctx->x[0] = PSCI_SUCCESS;
			return;
		default:
			ctx->x[0] = PSCI_NOT_SUPPORTED;
			return;
		}
	case PSCI_CPU_ON_AARCH64_FID:
		ctx->x[0] = cpu_on(ctx->x[1], ctx->x[2], ctx->x[3]);
		return;
	case PSCI_AFFINITY_INFO_AARCH64: {
		unsigned int target = mpidr_cpu(ctx->x[1]);

		if (target == PLAT_MAX_CPUS || ctx->x[2] != 0UL) {
			ctx->x[0] = PSCI_INVALID_PARAMETERS;
			return;
		}
		ctx->x[0] = (cpus[target].state == CPU_ON_STATE) ? PSCI_AFF_ON :
			    (cpus[target].state == CPU_ON_PENDING_STATE) ? PSCI_AFF_ON_PENDING :
			    PSCI_AFF_OFF;
		return;
	}
	case PSCI_CPU_OFF:
		fw_printf("[el3] cpu%u: PSCI CPU_OFF\n", cpu);
		lock();
		cpus[cpu].state = CPU_OFF_STATE;
		unlock();
		monitor_secondary_main();	/* wait for the next CPU_ON; no return */
	case PSCI_SYSTEM_OFF:
		fw_printf("[el3] cpu%u: PSCI SYSTEM_OFF: powering off\n", cpu);
		platform_power_off();
	case PSCI_SYSTEM_RESET:
		fw_printf("[el3] cpu%u: PSCI SYSTEM_RESET\n", cpu);
		platform_reset();
	default:
		ctx->x[0] = PSCI_NOT_SUPPORTED;
		return;
	}
}
