/*
 * From crt0 to main and from exit to SYSTEM_OFF.
 *
 * TLS: picolibc keeps errno and its stdio state in thread-local storage.
 * The image's .tdata is loaded in place and .tbss follows it (zeroed with
 * .bss), so the initial thread's TLS block is the image's own and only
 * TPIDR_EL0 needs setting (_set_tls).
 */
#include <console.h>
#include <picotls.h>
#include <stdio.h>
#include <stdlib.h>

#include <realm_image.h>
#include <rt/early.h>
#include <rt/layout.h>
#include <rt/rsi.h>
#include <rt/rt.h>
#include <rt/runtime.h>

extern char __tls_base[];
void __libc_init_array(void);
void _exit(int status) __attribute__((noreturn));

static struct rsi_host_call exit_call __attribute__((aligned(256)));

uint64_t rt_host_arg(void)
{
	return rt_boot_arg;
}

unsigned int rt_ipa_width(void)
{
	return (unsigned int)rt_realm_config.ipa_width;
}

void rt_start(uint64_t arg)
{
	(void)arg;
	_set_tls(__tls_base);
	__libc_init_array();
	exit(main());
}

void rt_terminate(int status)
{
	rt_console_flush();
	exit_call.imm = REALM_HOST_CALL_EXIT;
	exit_call.gprs[0] = (uint64_t)(int64_t)status;
	(void)rsi_host_call(&exit_call);
	psci_system_off();
}

/* picolibc's exit() ends here after atexit handlers and destructors. */
void _exit(int status)
{
	fflush(stdout);
	rt_terminate(status);
}

void rt_describe(void)
{
	size_t used, size;

	rt_heap_usage(&used, &size);
	rt_console_flush();
	fw_printf("[rt] image 0x%lx-0x%lx (RAM to 0x%lx), IPA width %u, MMU on (4 KB/2 MB "
		  "stage-1, Normal WB for RAM)\n",
		  (uint64_t)(uintptr_t)__rt_image_start, (uint64_t)(uintptr_t)__rt_load_end,
		  (uint64_t)(uintptr_t)__rt_mem_end, rt_ipa_width());
	fw_printf("[rt]   text   0x%lx-0x%lx RX\n", (uint64_t)(uintptr_t)__rt_image_start,
		  (uint64_t)(uintptr_t)__rt_text_end);
	fw_printf("[rt]   rodata 0x%lx-0x%lx RO XN\n", (uint64_t)(uintptr_t)__rt_text_end,
		  (uint64_t)(uintptr_t)__rt_rodata_end);
	fw_printf("[rt]   data   0x%lx-0x%lx RW XN (bss from 0x%lx)\n",
		  (uint64_t)(uintptr_t)__rt_rodata_end, (uint64_t)(uintptr_t)__rt_rw_end,
		  (uint64_t)(uintptr_t)__bss_start);
	fw_printf("[rt]   heap   0x%lx-0x%lx RW XN (%lu KB, %lu KB used)\n",
		  (uint64_t)(uintptr_t)__heap_start, (uint64_t)(uintptr_t)__heap_end,
		  (unsigned long)(size >> 10), (unsigned long)(used >> 10));
	fw_printf("[rt]   stack  0x%lx-0x%lx RW XN, guard page at 0x%lx\n",
		  (uint64_t)(uintptr_t)__rt_stack_bottom, (uint64_t)(uintptr_t)__rt_stack_top,
		  (uint64_t)(uintptr_t)__rt_stack_guard);
	fw_printf("[rt]   exception stack 0x%lx-0x%lx RW XN, guard page at 0x%lx\n",
		  (uint64_t)(uintptr_t)__rt_exc_stack_bottom,
		  (uint64_t)(uintptr_t)__rt_exc_stack_top, (uint64_t)(uintptr_t)__rt_exc_stack_guard);
	fw_printf("[rt]   console (PL011) at VA 0x%lx -> IPA 0x%lx\n", RT_UART_VA,
		  (1UL << (rt_ipa_width() - 1U)) | RT_UART_PA);
}
