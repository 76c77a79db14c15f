/*
 * Where the realm runtime put things (symbols from realm-rt.ld).  All
 * addresses are VAs equal to their protected IPAs.
 */
#ifndef RT_LAYOUT_H
#define RT_LAYOUT_H

#include <stdint.h>

extern char __rt_image_start[], __rt_text_end[], __rt_rodata_end[], __rt_load_end[];
extern char __bss_start[], __bss_end[], __rt_rw_end[];
extern char __heap_start[], __heap_end[];
extern char __rt_stack_guard[], __rt_stack_bottom[], __rt_stack_top[];
extern char __rt_exc_stack_guard[], __rt_exc_stack_bottom[], __rt_exc_stack_top[];
extern char __rt_mem_end[];

/* The console: PL011 at this VA, mapped to the unprotected IPA of its PA. */
#define RT_UART_PA	0x09000000UL
#define RT_UART_VA	0x09000000UL

#endif /* RT_LAYOUT_H */
