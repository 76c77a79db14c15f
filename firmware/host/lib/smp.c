/*
 * The host's other physical CPUs: PSCI CPU_ON (served by the EL3 monitor,
 * which first boots the RMM on that CPU) starts host_secondary_entry with
 * the CPU index; the CPU runs the function it was given, says it is done
 * and turns itself off with PSCI CPU_OFF.
 *
 * host_cpu_on returns only once the CPU has reached the host: the monitor
 * and the RMM print their boot lines for it on the way, and nothing of
 * the host (or of a realm it runs) may print meanwhile, since those worlds
 * do not share the host's console lock (docs/firmware.md, "The realms'
 * console").  The monitor prints nothing at CPU_OFF.
 */
#include "host.h"

#define PSCI_CPU_ON_AARCH64	0xC4000003UL

void host_secondary_entry(void);
void host_secondary_main(unsigned long cpu) __attribute__((noreturn));

struct cpu_job {
	host_cpu_fn fn;
	void *arg;
	volatile uint32_t started, done;
};

static struct cpu_job jobs[PLAT_MAX_CPUS];

unsigned long host_psci(unsigned long fid, unsigned long a1, unsigned long a2, unsigned long a3)
{
	uint64_t regs[8] = { fid, a1, a2, a3, 0, 0, 0, 0 };

	smc_call(regs);
	return regs[0];
}

unsigned int host_cpu(void)
{
	return (unsigned int)(read_sysreg(mpidr_el1) & 0xFFUL);
}

unsigned long host_cpu_on(unsigned int cpu, host_cpu_fn fn, void *arg)
{
	unsigned long ret;

	jobs[cpu].fn = fn;
	jobs[cpu].arg = arg;
	jobs[cpu].started = 0U;
	jobs[cpu].done = 0U;
	dsb_sy();
	ret = host_psci(PSCI_CPU_ON_AARCH64, cpu,
			(unsigned long)(uintptr_t)host_secondary_entry, cpu);
	if (ret == 0UL) {
		while (__atomic_load_n(&jobs[cpu].started, __ATOMIC_ACQUIRE) == 0U) {
			__asm__ volatile("wfe");
		}
	}
	return ret;
}

bool host_cpu_done(unsigned int cpu)
{
	return __atomic_load_n(&jobs[cpu].done, __ATOMIC_ACQUIRE) != 0U;
}

void host_cpu_wait(unsigned int cpu)
{
	while (!host_cpu_done(cpu)) {
		__asm__ volatile("wfe");
	}
}

void host_secondary_main(unsigned long cpu)
{
	__atomic_store_n(&jobs[cpu].started, 1U, __ATOMIC_RELEASE);
	dsb_sy();
	__asm__ volatile("sev");
	jobs[cpu].fn(jobs[cpu].arg);
	fw_printf("[host] cpu%lu: done, PSCI CPU_OFF\n", cpu);
	__atomic_store_n(&jobs[cpu].done, 1U, __ATOMIC_RELEASE);
	dsb_sy();
	__asm__ volatile("sev");
	(void)host_psci(PSCI_CPU_OFF, 0, 0, 0);
	host_fail("PSCI CPU_OFF returned", cpu);
	for (;;) {
		__asm__ volatile("wfi");
	}
}
