/*
 * Loading an application from its ELF image into a new address space,
 * and tearing a process down.  The image is checked completely (elf.c)
 * before anything is allocated for it.
 */
#include <stdio.h>
#include <string.h>

#include "elf.h"
#include "kernel.h"

#define USER_SPSR	0xC0UL	/* EL0t, IRQ and FIQ masked (no preemption at EL0 yet) */

/* Code written through the data side must reach the instruction side. */
static void sync_icache(const void *start, size_t len)
{
	uint64_t ctr, line, a, end = (uint64_t)(uintptr_t)start + len;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	line = 4UL << ((ctr >> 16) & 0xFUL);
	for (a = (uint64_t)(uintptr_t)start & ~(line - 1UL); a < end; a += line) {
		__asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
	}
	__asm__ volatile("dsb ish\n\tic iallu\n\tdsb ish\n\tisb" : : : "memory");
}

static bool load_segments(struct proc *p, const uint8_t *file, const struct elf_image *img)
{
	unsigned int i;

	for (i = 0U; i < img->nsegs; i++) {
		const struct elf_seg *s = &img->segs[i];
		size_t size = (s->memsz + RT_PAGE_SIZE - 1U) & ~(RT_PAGE_SIZE - 1U);
		enum rt_map_attr attr = ((s->flags & ELF_SEG_X) != 0U) ? RT_MAP_USER_RX :
					((s->flags & ELF_SEG_W) != 0U) ? RT_MAP_USER_RW :
					RT_MAP_USER_RO;
		uint8_t *b = vm_alloc_block(p, size);

		if (b == NULL) {
			return false;
		}
		memcpy(b, file + s->offset, s->filesz);
		if (attr == RT_MAP_USER_RX) {
			sync_icache(b, size);
		}
		if (vm_map_user(p, s->vaddr, b, size, attr) != 0) {
			return false;
		}
		printf("[kernel]   segment 0x%lx-0x%lx %s\n", (unsigned long)s->vaddr,
		       (unsigned long)(s->vaddr + size),
		       attr == RT_MAP_USER_RX ? "EL0 RX" : attr == RT_MAP_USER_RW ? "EL0 RW XN" : "EL0 RO XN");
	}
	return true;
}

/*
 * The initial stack, as Linux lays it out for a static program: argc at
 * SP, argv[0..argc-1] and NULL, an empty environment (NULL), an empty
 * auxiliary vector (AT_NULL); the strings above them.  `stack` is the
 * kernel's view of [USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_TOP).
 * Returns the user SP, or 0 if it does not fit in a quarter of the stack.
 */
static uint64_t push_args(uint8_t *stack, const char *const *argv)
{
	const uint64_t ubase = USER_STACK_TOP - USER_STACK_SIZE;
	uint64_t top = USER_STACK_SIZE, uptr[KARGV_MAX], *w;
	unsigned int argc = 0U, i;

	for (argc = 0U; argv[argc] != NULL; argc++) {
		size_t n = strlen(argv[argc]) + 1U;

		if (argc == KARGV_MAX || n > top - USER_STACK_SIZE * 3U / 4U) {
			return 0U;
		}
		top -= n;
		memcpy(stack + top, argv[argc], n);
		uptr[argc] = ubase + top;
	}
	top = (top - (argc + 5U) * sizeof(uint64_t)) & ~15UL;
	w = (uint64_t *)(void *)(stack + top);
	w[0] = argc;
	for (i = 0U; i < argc; i++) {
		w[1U + i] = uptr[i];
	}
	w[1U + argc] = 0U;	/* argv end */
	w[2U + argc] = 0U;	/* envp end */
	w[3U + argc] = 0U;	/* AT_NULL */
	w[4U + argc] = 0U;
	return ubase + top;
}

struct proc *proc_spawn(const char *name, const void *elf, size_t len)
{
	const char *argv[] = { name, NULL };

	return proc_spawn_argv(name, elf, len, argv);
}

struct proc *proc_spawn_argv(const char *name, const void *elf, size_t len,
			     const char *const *argv)
{
	struct elf_image img;
	const char *why = elf_check(elf, len, USER_BASE, USER_IMAGE_TOP, &img);
	struct proc *p;
	void *stack;

	if (why != NULL) {
		printf("[kernel] %s: image refused: %s\n", name, why);
		return NULL;
	}
	p = proc_alloc(name);
	if (p == NULL) {
		printf("[kernel] %s: no process slot\n", name);
		return NULL;
	}
	printf("[kernel] loading %s (pid %u): %u segments, entry 0x%lx, ASID %u\n", name, p->pid,
	       img.nsegs, (unsigned long)img.entry, p->pid);
	stack = NULL;
	if (vm_create(p) && load_segments(p, elf, &img)) {
		stack = vm_alloc_block(p, USER_STACK_SIZE);
	}
	if (stack == NULL ||
	    vm_map_user(p, USER_STACK_TOP - USER_STACK_SIZE, stack, USER_STACK_SIZE,
			RT_MAP_USER_RW) != 0) {
		printf("[kernel] %s: out of memory\n", name);
		vm_destroy(p);
		p->state = P_FREE;
		return NULL;
	}
	p->brk_base = img.end + RT_PAGE_SIZE;	/* one unmapped guard page after the image */
	p->brk_cur = p->brk_base;
	p->brk_mapped = p->brk_base;
	p->fds[0].kind = F_CONSOLE;
	p->fds[1].kind = F_CONSOLE;
	p->fds[2].kind = F_CONSOLE;
	p->ctx.elr = img.entry;
	p->ctx.sp = push_args(stack, argv);
	if (p->ctx.sp == 0U) {
		printf("[kernel] %s: arguments do not fit its stack\n", name);
		vm_destroy(p);
		p->state = P_FREE;
		return NULL;
	}
	p->ctx.spsr = USER_SPSR;
	p->state = P_RUNNABLE;
	return p;
}

void proc_exit(struct proc *p, int status)
{
	unsigned int fd;

	console_flush_proc(p);
	for (fd = 0U; fd < KMAX_FDS; fd++) {
		if (p->fds[fd].kind == F_CAEC) {
			csm_release(p->fds[fd].caec);
		}
		p->fds[fd].kind = F_NONE;
	}
	vm_activate_kernel();
	vm_destroy(p);
	p->exit_status = status;
	p->state = P_ZOMBIE;
	if (p->killed_by == 0) {
		printf("[kernel] %s (pid %u) exited with status %d\n", p->name, p->pid, status);
	}
}
