/* GICv3 initialisation for the Normal world (monitor/gic.c). */
#ifndef MONITOR_GIC_H
#define MONITOR_GIC_H

void gic_init_distributor(void);
void gic_init_cpu(unsigned int cpu);

#endif /* MONITOR_GIC_H */
