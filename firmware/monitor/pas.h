/*
 * Physical address space changes of one granule (GTSI delegate and
 * undelegate), and the DC CIPAPA operand they use.  pas.c is portable;
 * the pas_hw_* hooks are the instructions (gpt_hw.c on aarch64, a
 * recorder in the native unit test).
 *
 * DC CIPAPA <Xt> (Arm ARM C5.3.19, FEAT_RME) cleans and invalidates, to
 * the Point of Physical Aliasing, the cache line holding PA Xt[51:0] in
 * the physical address space named by Xt[63] (NS) and Xt[62] (NSE):
 * {NSE, NS} = 00 Secure, 01 Non-secure, 10 Root, 11 Realm.  A line of a
 * granule can be cached under the PAS it had before a change and, through
 * speculation, under the one it gets, so a change cleans both (as TF-A's
 * lib/gpt_rme does).
 */
#ifndef MONITOR_PAS_H
#define MONITOR_PAS_H

#include <stdbool.h>
#include <stdint.h>

#define CIPAPA_NS	(1UL << 63)
#define CIPAPA_NSE	(1UL << 62)
#define CIPAPA_PA_MASK	((1UL << 52) - 1UL)

/* The Xt of DC CIPAPA for pa in the PAS of `gpi`; false for a GPI that is not a PAS. */
bool cipapa_operand(uint64_t pa, unsigned int gpi, uint64_t *xt);

/* Hooks: one DC CIPAPA; DSB SY; GPT TLB invalidation; smallest D-cache line in bytes. */
void pas_hw_cipapa(uint64_t xt);
void pas_hw_sync(void);
void pas_hw_tlbi(void);
unsigned int pas_hw_line_size(void);

#endif /* MONITOR_PAS_H */
