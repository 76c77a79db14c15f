/*
 * QEMU virt memory map used by the whole stack (see docs/firmware.md).
 * Linker scripts and the monitor's GPT use the same numbers.  The DRAM
 * size is not fixed: the monitor reads it from the device tree QEMU puts
 * at the start of RAM and passes the resulting layout to the RMM and the
 * host in registers (boot_mem.h); only its bounds are fixed here.
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
/*
 * DRAM size bounds.  The GPT covers a 4 GB PPS, so DRAM may end at 4 GB
 * at most (-m 3G); below 64 MB the host has no room for realms.  The size
 * is rounded down to 2 MB (the RMM maps the delegable range in 2 MB blocks).
 */
#define PLAT_DRAM_MIN		0x04000000UL	/* 64 MB */
#define PLAT_DRAM_MAX		0xC0000000UL	/* 3 GB: DRAM ends at 4 GB */
#define PLAT_DRAM_ALIGN		0x00200000UL

/* QEMU's flattened device tree: at the DRAM base, up to the monitor. */
#define PLAT_DTB_BASE		PLAT_DRAM_BASE
#define PLAT_DTB_MAX_SIZE	0x00100000UL

#define PLAT_MONITOR_BASE	0x40100000UL	/* Root PAS, 1 MB: EL3 + GPT */
#define PLAT_MONITOR_SIZE	0x00100000UL
#define PLAT_RMM_BASE		0x40200000UL	/* Realm PAS, 6 MB */
#define PLAT_RMM_SIZE		0x00600000UL
#define PLAT_HOST_BASE		0x40800000UL	/* Normal world from here on */

/*
 * The NS memory the host may delegate and the RMM tracks granules for:
 * from PLAT_NS_DRAM_BASE to the end of DRAM, at most PLAT_NS_DRAM_MAX
 * (the RMM's granule array is sized for that bound).
 */
#define PLAT_NS_DRAM_BASE	0x40800000UL
#define PLAT_NS_DRAM_MAX	0x40000000UL	/* 1 GB */
#define PLAT_GRANULES_MAX	(PLAT_NS_DRAM_MAX >> 12)

/* RMM stage 1: VA = PA for Realm PAS, PA | alias for the NS PAS. */
#define PLAT_NS_ALIAS		0x100000000UL

#endif /* PLAT_MEMORY_H */
