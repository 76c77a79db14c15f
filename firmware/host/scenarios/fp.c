/*
 * Scenario "fp" (host-fp.elf, test fw_fp): one realm of the "work" payload
 * fills V0-V31 and FPCR with a per-round pattern and makes a host call,
 * 1200 times.  Before every REC_ENTER the host loads its own pattern into
 * its FP/SIMD registers; after it, they must hold exactly the host's
 * values (so nothing of the realm's is visible), and the realm checks its
 * own values survived.  A 1 ms preemption timer adds IRQ exits.
 */
#include "host.h"

#include <fp_regs.h>

#define WORK_FP		3UL
#define HC_FP		0xF0U
#define REALM_TAG	0xEA1A000000000000UL
#define HOST_TAG	0x4057000000000000UL

extern const uint8_t realm_work_start[], realm_work_end[];

int host_main(void);

static struct host_realm realm;
static unsigned int switches, host_lost, realm_seen, rounds;

static void host_pattern(struct fp_regs *fp, unsigned int n)
{
	unsigned int i;

	for (i = 0U; i < 64U; i++) {
		fp->v[i] = HOST_TAG | ((uint64_t)n << 8) | i;
	}
	fp->fpcr = 3UL << 22;	/* FPCR.RMode = towards zero */
	fp->fpsr = 0UL;
}

static bool fp_exit(struct host_realm *r, unsigned int k, struct rmi_rec_run *run)
{
	(void)r;
	(void)k;
	if (run->exit.exit_reason == RMI_EXIT_IRQ) {
		(void)host_irq_ack();
		return true;
	}
	if (run->exit.exit_reason == RMI_EXIT_HOST_CALL && run->exit.imm == HC_FP) {
		rounds++;
	}
	return false;
}

int host_main(void)
{
	static const struct realm_image img = { realm_work_start, realm_work_end };
	static struct fp_regs want, got;
	unsigned int i;

	console_init(PLAT_UART_BASE);
	host_alloc_init();
	host_timer_init();
	realm_build(&realm, 0U, &img, 1U, WORK_FP);
	while (realm_alive(&realm)) {
		host_pattern(&want, switches);
		fp_restore(&want);
		host_slice_arm(host_ticks_per_ms());
		realm_step(&realm, 0U, fp_exit);
		host_slice_disarm();
		fp_save(&got);
		switches++;
		/* V0-V31 and FPCR (i == 64). */
		for (i = 0U; i < 65U; i++) {
			uint64_t g = i < 64U ? got.v[i] : got.fpcr;

			if (g != (i < 64U ? want.v[i] : want.fpcr)) {
				host_lost++;
			}
			if ((g & 0xFFFF000000000000UL) == REALM_TAG) {
				realm_seen++;
			}
		}
	}
	fw_printf("[host] FP/SIMD across %u REC entries (%u realm host calls): %u host register "
		  "values lost, %u realm values visible to the host\n", switches, rounds, host_lost,
		  realm_seen);
	if (switches < 1000U || rounds < 1000U || host_lost != 0U || realm_seen != 0U) {
		host_fail("FP/SIMD context", host_lost);
	}
	realm_teardown(&realm);
	if (host_nr_delegated() != 0U) {
		host_fail("granules left delegated", host_nr_delegated());
	}
	return host_result();
}
