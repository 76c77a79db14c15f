/*
 * The RMM's own stage-1 address space at Realm EL2 (mmu.c), and the boot
 * self-test that checks what the MMU really enforces (mmu_selftest.c).
 */
#ifndef RMM_MMU_H
#define RMM_MMU_H

#include <boot_mem.h>
#include <xlat.h>

/* Build the tables for this layout (CPU 0, MMU off); false if a map failed. */
bool mmu_build(const struct boot_mem *m);
/* MMU, caches and WXN on with the shared tables (every CPU). */
void mmu_enable(void);
/* The tables, for the self-test's descriptor check. */
const struct xlat_ctx *mmu_ctx(void);

/*
 * Check every region's read/write permission (AT S1E2R/W, PAR_EL1), its
 * memory type (PAR_EL1.ATTR), its PAS (a load that must work or take a
 * GPF), its descriptor (software walk) and, by branching to it, whether
 * it executes; print one line per region.  Returns the number of regions that did not match the map.
 */
unsigned int mmu_selftest(const struct boot_mem *m);

/* aarch64/mmu_probe.S: 0 if the access went through, else ESR_EL2 of its fault. */
uint64_t mmu_probe_exec(uint64_t va);
uint64_t mmu_probe_write(uint64_t va);
uint64_t mmu_probe_read(uint64_t va);
void mmu_probe_ret(void);
/* AT S1E2R / AT S1E2W of va: PAR_EL1. */
uint64_t mmu_at_read(uint64_t va);
uint64_t mmu_at_write(uint64_t va);

#endif /* RMM_MMU_H */
