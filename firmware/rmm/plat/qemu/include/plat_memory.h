/*
 * QEMU virt memory map used by the whole stack (see docs/firmware.md).
 * Linker scripts and the monitor's GPT use the same numbers.
 */
#ifndef PLAT_MEMORY_H
#define PLAT_MEMORY_H

#define PLAT_UART_BASE		0x09000000UL
#define PLAT_MAX_CPUS		2U		/* QEMU -smp 2; MPIDR Aff0 = index */

/* GICv3 (QEMU virt gic-version=3): distributor, one 128 KB redistributor per CPU. */
#define PLAT_GICD_BASE		0x08000000UL
#define PLAT_GICR_BASE		0x080A0000UL
#define PLAT_GICR_STRIDE	0x20000UL
/* Secure PL061 wired to QEMU's gpio-pwr: line 0 powers off, line 1 resets. */
#define PLAT_SECURE_GPIO_BASE	0x090B0000UL

#define PLAT_DRAM_BASE		0x40000000UL	/* QEMU virt RAM */
#define PLAT_DRAM_SIZE		0x40000000UL	/* -m 1G */

#define PLAT_MONITOR_BASE	0x40100000UL	/* Root PAS, 1 MB: EL3 + GPT */
#define PLAT_MONITOR_SIZE	0x00100000UL
#define PLAT_RMM_BASE		0x40200000UL	/* Realm PAS, 6 MB */
#define PLAT_RMM_SIZE		0x00600000UL
#define PLAT_HOST_BASE		0x40800000UL	/* Normal world from here on */

/* The NS memory the RMM tracks granules for (host-delegable memory). */
#define PLAT_NS_DRAM_BASE	0x40800000UL
#define PLAT_NS_DRAM_SIZE	0x07800000UL	/* up to 0x48000000 */

/* RMM stage 1: VA = PA for Realm PAS, PA | alias for the NS PAS. */
#define PLAT_NS_ALIAS		0x100000000UL

#endif /* PLAT_MEMORY_H */
