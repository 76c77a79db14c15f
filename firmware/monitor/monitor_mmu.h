/* The EL3 monitor's stage-1 map (mmu.c). */
#ifndef MONITOR_MMU_H
#define MONITOR_MMU_H

#include <stdbool.h>

/* CPU 0, once, with the MMU off: the tables.  false (and why, printed) on error. */
bool monitor_mmu_build(void);
/* Every CPU: its MMU on, with those tables. */
void monitor_mmu_enable(void);

#endif /* MONITOR_MMU_H */
