/*
 * The realm kernel's boot (main, on the realm runtime): driver and
 * scheduler set-up, the applications embedded in the image loaded into
 * their own address spaces, then the first ERET to EL0.  From then on
 * the kernel runs only on exceptions (see kernel.h).
 */
#include <stdio.h>
#include <string.h>

#include <rt/rt.h>

#include "kernel.h"

void kernel_trap_init(void);

extern const uint8_t app_a_start[], app_a_end[], app_b_start[], app_b_end[];

static const struct {
	const char *name;
	const uint8_t *start, *end;
} apps[] = {
	{ "app_a", app_a_start, app_a_end },
	{ "app_b", app_b_start, app_b_end },
};

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
	if (proc_spawn("truncated", apps[0].start, 200U) != NULL) {
		printf("[kernel] FAIL: a truncated application image was loaded\n");
	}
	for (i = 0U; i < sizeof(apps) / sizeof(apps[0]); i++) {
		if (proc_spawn(apps[i].name, apps[i].start, (size_t)(apps[i].end - apps[i].start)) == NULL) {
			printf("[kernel] FAIL: %s not loaded\n", apps[i].name);
		}
	}
	cur = NULL;
	schedule(&first);
	kernel_enter_first(&first);
}
