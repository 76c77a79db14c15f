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
#include <el3_attest.h>
#include <plat_memory.h>
#include <psci.h>
#include <psci_policy.h>
#include <smc.h>

#define GPIO_DIR		0x400U
#define GPIO_DATA(line)		(4U << (line))	/* address-masked data register */
#define GPIO_LINE_POWEROFF	0U
#define GPIO_LINE_RESET		1U

struct cpu_power_state {
	volatile uint64_t entry, arg;
};

/* enum cpu_power per CPU, changed under power_lock. */
static volatile uint32_t cpu_state[PLAT_MAX_CPUS];
static struct cpu_power_state cpus[PLAT_MAX_CPUS];
static volatile uint32_t power_lock;
static const struct boot_mem *psci_mem;

static void lock(void)
{
	while (__atomic_exchange_n(&power_lock, 1U, __ATOMIC_ACQUIRE) != 0U) {
	}
}

static void unlock(void)
{
	__atomic_store_n(&power_lock, 0U, __ATOMIC_RELEASE);
}

void psci_init(const struct boot_mem *m)
{
	psci_mem = m;
	cpu_state[0] = CPU_ON_STATE;
}

static uint32_t *states(void)
{
	return (uint32_t *)(uintptr_t)cpu_state;
}

static uint64_t cpu_on(uint64_t mpidr, uint64_t entry, uint64_t arg)
{
	unsigned int cpu = PLAT_MAX_CPUS;
	uint64_t ret;

	lock();
	ret = psci_cpu_on_result(mpidr, entry, psci_mem, states(), &cpu);
	if (ret == PSCI_SUCCESS) {
		cpus[cpu].entry = entry;
		cpus[cpu].arg = arg;
		dsb_sy();
		cpu_state[cpu] = CPU_ON_PENDING_STATE;
		dsb_sy();
		__asm__ volatile("sev");
	}
	unlock();
	return ret;
}

void psci_wait_for_cpu_on(unsigned int cpu, uint64_t *entry, uint64_t *arg)
{
	while (cpu_state[cpu] != CPU_ON_PENDING_STATE) {
		__asm__ volatile("wfe");
	}
	*entry = cpus[cpu].entry;
	*arg = cpus[cpu].arg;
	cpu_state[cpu] = CPU_ON_STATE;
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
		ctx->x[0] = PSCI_VERSION_1_1;
		return;
	case PSCI_FEATURES:
		ctx->x[0] = psci_features(ctx->x[1]);
		return;
	case PSCI_CPU_ON_AARCH64_FID:
		ctx->x[0] = cpu_on(ctx->x[1], ctx->x[2], ctx->x[3]);
		return;
	case PSCI_AFFINITY_INFO_AARCH64:
		ctx->x[0] = psci_affinity_info(ctx->x[1], ctx->x[2], states());
		return;
	case PSCI_CPU_OFF:
		/*
		 * Silent: the other CPU may be printing (the host's lines
		 * and its realms'), and EL3 does not share the host's
		 * console lock.  The host prints its own line before.
		 */
		lock();
		cpu_state[cpu] = CPU_OFF_STATE;
		unlock();
		monitor_secondary_main();	/* wait for the next CPU_ON; no return */
	case PSCI_SYSTEM_OFF:
		el3_attest_report();
		fw_printf("[el3] cpu%u: PSCI SYSTEM_OFF: powering off\n", cpu);
		platform_power_off();
	case PSCI_SYSTEM_RESET:
		el3_attest_report();
		fw_printf("[el3] cpu%u: PSCI SYSTEM_RESET\n", cpu);
		platform_reset();
	default:
		ctx->x[0] = PSCI_NOT_SUPPORTED;
		return;
	}
}
