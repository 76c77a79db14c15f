/* PSCI for the Normal world's physical CPUs, served by the monitor. */
#ifndef MONITOR_PSCI_H
#define MONITOR_PSCI_H

#include <boot_mem.h>
#include <context.h>
#include <psci_policy.h>
#include <stdbool.h>
#include <stdint.h>

/* CPU 0 is on; CPU_ON entry points are checked against this layout. */
void psci_init(const struct boot_mem *m);
/* Handle the PSCI call in ctx->x[0..3]; the result goes to ctx->x[0]. */
void psci_handle(struct cpu_ctx *ctx);
/* Called by an off CPU: returns once a CPU_ON named it. */
void psci_wait_for_cpu_on(unsigned int cpu, uint64_t *entry, uint64_t *arg);
/* Power the machine off through the secure GPIO (QEMU gpio-pwr). */
void platform_power_off(void) __attribute__((noreturn));
void platform_reset(void) __attribute__((noreturn));

#endif /* MONITOR_PSCI_H */
