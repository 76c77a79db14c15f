/*
 * The boot of a kernel image that runs applications (libcaec's
 * conformance runner, its demo): the driver with little console output,
 * then every embedded application, each with argv = { its name }, which
 * learns its role from the realm it runs in (the test hooks' peer_info).
 */
#include <stdio.h>

#include "kernel.h"

void kernel_trap_init(void);

int main(void)
{
	static struct rt_frame first;
	unsigned int i;

	csm_log_level = KERNEL_CSM_LOG_LEVEL;
	printf("[kernel] caec realm kernel at EL1: applications at EL0, /dev/caec\n");
	vm_init();
	kernel_idle_init();
	kernel_trap_init();
	csm_init();
	for (i = 0U; i < kernel_napps; i++) {
		if (proc_spawn(kernel_apps[i].name, kernel_apps[i].start,
			       (size_t)(kernel_apps[i].end - kernel_apps[i].start)) == NULL) {
			printf("[kernel] FAIL: %s not loaded\n", kernel_apps[i].name);
		}
	}
	cur = NULL;
	schedule(&first);
	kernel_enter_first(&first);
}
