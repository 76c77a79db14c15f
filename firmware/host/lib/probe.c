/*
 * Reads the host expects to fault (a Granule Protection Fault on Realm or
 * Root memory).  The EL2 sync vector catches a data abort only while a
 * probe is armed, records ESR/FAR and steps over the load.
 */
#include "host.h"

#define ESR_EC(esr)		(((esr) >> 26) & 0x3FUL)
#define ESR_EC_DABT_CUR		0x25UL

void host_sync_exception(void);
void host_unexpected_exception(void) __attribute__((noreturn));

static volatile bool probe_armed;
static volatile uint64_t probe_esr, probe_far;

uint64_t probe_read(uint64_t pa, uint64_t *value, uint64_t *far)
{
	uint64_t v;

	probe_esr = 0UL;
	probe_far = 0UL;
	probe_armed = true;
	v = *(volatile uint64_t *)(uintptr_t)pa;
	probe_armed = false;
	if (value != NULL) {
		*value = v;
	}
	if (far != NULL) {
		*far = probe_far;
	}
	return probe_esr;
}

void host_sync_exception(void)
{
	uint64_t esr = read_sysreg(esr_el2);

	if (probe_armed && ESR_EC(esr) == ESR_EC_DABT_CUR) {
		probe_esr = esr;
		probe_far = read_sysreg(far_el2);
		probe_armed = false;
		write_sysreg(elr_el2, read_sysreg(elr_el2) + 4UL);	/* skip the load */
		return;
	}
	host_unexpected_exception();
}

void host_unexpected_exception(void)
{
	fw_printf("[host] PANIC: unexpected exception at EL2: ESR_EL2=0x%lx ELR_EL2=0x%lx "
		  "FAR_EL2=0x%lx\n", read_sysreg(esr_el2), read_sysreg(elr_el2), read_sysreg(far_el2));
	host_exit(30);
}
