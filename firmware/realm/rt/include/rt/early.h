/* State the early (MMU-off) code leaves for the rest of the runtime. */
#ifndef RT_EARLY_H
#define RT_EARLY_H

#include <stdint.h>

#include <rmi-structs.h>
#include <rt/mmu.h>

extern struct rsi_realm_config rt_realm_config;	/* RSI_REALM_CONFIG at boot */
extern struct rt_pt rt_kernel_pt;			/* the runtime's own map (ASID 0) */
extern uint64_t rt_boot_arg;				/* x0 at entry: the host's argument */

void rt_early_init(uint64_t arg);

#endif /* RT_EARLY_H */
