/* RMI calls from the Normal world and the run's failure count / verdict. */
#include "host.h"

static int failures;

unsigned long rmi(unsigned long fid, unsigned long a1, unsigned long a2, unsigned long a3,
		  unsigned long a4, unsigned long a5, uint64_t out[5])
{
	uint64_t regs[8] = { fid, a1, a2, a3, a4, a5, 0, 0 };
	unsigned int i;

	smc_call(regs);
	if (out != NULL) {
		for (i = 0U; i < 5U; i++) {
			out[i] = regs[i];
		}
	}
	return regs[0];
}

void host_fail(const char *what, unsigned long ret)
{
	fw_printf("[host] FAIL: %s (returned 0x%lx)\n", what, ret);
	failures++;
}

void host_count_failure(void)
{
	failures++;
}

int host_failures(void)
{
	return failures;
}

int host_result(void)
{
	fw_printf("[host] RESULT: %s (%d failures)\n", (failures == 0) ? "PASS" : "FAIL", failures);
	return (failures == 0) ? 0 : 1;
}

/*
 * The verdict is the RESULT line on the console; the machine is then
 * powered off through the monitor's PSCI SYSTEM_OFF (no semihosting).
 */
void host_exit(unsigned int status)
{
	uint64_t regs[8] = { PSCI_SYSTEM_OFF, 0, 0, 0, 0, 0, 0, 0 };

	fw_printf("[host] exit status %u, PSCI SYSTEM_OFF\n", status);
	for (;;) {
		smc_call(regs);
	}
}
