/*
 * The test kernel's boot (image "kernel", test fw_realm_kernel; on the
 * realm runtime): driver and scheduler set-up, a truncated image that
 * must be refused, the applications embedded in the image (app_a, app_b)
 * loaded into their own address spaces, then the first ERET to EL0.  From
 * then on the kernel runs only on exceptions (see kernel.h).
 */
#include <stdio.h>
#include <string.h>

#include <rt/rt.h>

#include "kernel.h"

void kernel_trap_init(void);

int main(void)
{
	static struct rt_frame first;
	unsigned int i;

	printf("[kernel] caec realm kernel at EL1: applications at EL0, /dev/caec, "
	       "Linux arm64 system call numbers\n");
	rt_describe();
	vm_init();
	kernel_idle_init();
	kernel_trap_init();
	csm_init();
	/* A truncated image first: refused before anything is mapped. */
	if (proc_spawn("truncated", kernel_apps[0].start, 200U) != NULL) {
		printf("[kernel] FAIL: a truncated application image was loaded\n");
	}
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
