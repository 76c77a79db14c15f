/*
 * Application address spaces.  Each process has its own level-1 table
 * whose entries 0 and 1 point at the kernel's own level-2 tables (the
 * UART and the realm's RAM, EL1-only, global), and whose other entries
 * map its EL0 pages (non-global, ASID = pid).  Every page an application
 * gets is a block of the kernel heap (identity-mapped, EL1-only), so the
 * kernel fills it through its own mapping and the application sees it
 * through an EL0 alias.
 */
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include <rt/early.h>

#include "kernel.h"

int __ku_ldb(uint64_t uaddr, uint8_t *out);
int __ku_stb(uint64_t uaddr, uint8_t val);
int __ku_ldw(uint64_t uaddr, uint32_t *out);
int __ku_ldx(uint64_t uaddr, uint64_t *out);
int __ku_stx(uint64_t uaddr, uint64_t val);

static uint64_t *kernel_table_alloc(void *arg)
{
	void *t;

	(void)arg;
	t = memalign(RT_PAGE_SIZE, RT_PAGE_SIZE);
	if (t != NULL) {
		memset(t, 0, RT_PAGE_SIZE);
	}
	return t;
}

void vm_init(void)
{
	/* The boot table pool is small: later kernel tables come from the heap. */
	rt_kernel_pt.alloc = kernel_table_alloc;
}

void *vm_alloc_block(struct proc *p, size_t size)
{
	void *b;

	if (p->nblocks == KMAX_BLOCKS) {
		return NULL;
	}
	b = memalign(RT_PAGE_SIZE, (size + RT_PAGE_SIZE - 1U) & ~(RT_PAGE_SIZE - 1U));
	if (b == NULL) {
		return NULL;
	}
	memset(b, 0, size);
	p->blocks[p->nblocks++] = b;
	return b;
}

static uint64_t *proc_table_alloc(void *arg)
{
	return vm_alloc_block(arg, RT_PAGE_SIZE);
}

bool vm_create(struct proc *p)
{
	p->pt.alloc = proc_table_alloc;
	p->pt.arg = p;
	p->pt.asid = (uint16_t)p->pid;
	p->pt.root = proc_table_alloc(p);
	if (p->pt.root == NULL) {
		return false;
	}
	p->pt.root[0] = rt_kernel_pt.root[0];
	p->pt.root[1] = rt_kernel_pt.root[1];
	__asm__ volatile("dsb ishst" : : : "memory");
	return range_alloc_init(&p->mmap_va, USER_MMAP_BASE, USER_MMAP_TOP);
}

void vm_destroy(struct proc *p)
{
	unsigned int i;
	uint64_t asid = (uint64_t)p->pt.asid << 48;

	/* No TLB entry of this ASID may outlive the pages. */
	__asm__ volatile("dsb ishst\n\ttlbi aside1is, %0\n\tdsb ish\n\tisb" : : "r"(asid) : "memory");
	for (i = 0U; i < p->nblocks; i++) {
		free(p->blocks[i]);
	}
	p->nblocks = 0U;
	p->pt.root = NULL;
}

void vm_activate(const struct proc *p)
{
	__asm__ volatile("msr ttbr0_el1, %0\n\tisb" : : "r"(rt_pt_ttbr(&p->pt)) : "memory");
}

void vm_activate_kernel(void)
{
	__asm__ volatile("msr ttbr0_el1, %0\n\tisb" : : "r"(rt_pt_ttbr(&rt_kernel_pt)) : "memory");
}

int vm_map_user(struct proc *p, uint64_t va, const void *kva, size_t size, enum rt_map_attr attr)
{
	return rt_pt_map(&p->pt, va, (uint64_t)(uintptr_t)kva, size, attr);
}

/* brk(2): grows the heap after the image in 64 KB steps, up to USER_BRK_MAX. */
int64_t vm_brk(struct proc *p, uint64_t want)
{
	const uint64_t step = 0x10000UL;

	if (want == 0U || want < p->brk_base || want - p->brk_base > USER_BRK_MAX) {
		return (int64_t)p->brk_cur;	/* Linux: the unchanged break */
	}
	while (p->brk_mapped < want) {
		void *b = vm_alloc_block(p, step);

		if (b == NULL || vm_map_user(p, p->brk_mapped, b, step, RT_MAP_USER_RW) != 0) {
			return (int64_t)p->brk_cur;
		}
		p->brk_mapped += step;
	}
	p->brk_cur = want;
	return (int64_t)want;
}

bool user_range_ok(uint64_t uaddr, size_t n)
{
	return uaddr >= USER_BASE && uaddr < USER_VA_TOP && n <= USER_VA_TOP - uaddr;
}

int copy_from_user(void *dst, uint64_t usrc, size_t n)
{
	uint8_t *d = dst;
	size_t i = 0U;

	if (!user_range_ok(usrc, n)) {
		return -RERR_EFAULT;
	}
	for (; i < n && ((usrc + i) & 7U) != 0U; i++) {
		if (__ku_ldb(usrc + i, &d[i]) != 0) {
			return -RERR_EFAULT;
		}
	}
	for (; i + 8U <= n; i += 8U) {
		uint64_t v;

		if (__ku_ldx(usrc + i, &v) != 0) {
			return -RERR_EFAULT;
		}
		memcpy(&d[i], &v, 8U);
	}
	for (; i < n; i++) {
		if (__ku_ldb(usrc + i, &d[i]) != 0) {
			return -RERR_EFAULT;
		}
	}
	return 0;
}

int copy_to_user(uint64_t udst, const void *src, size_t n)
{
	const uint8_t *s = src;
	size_t i = 0U;

	if (!user_range_ok(udst, n)) {
		return -RERR_EFAULT;
	}
	for (; i < n && ((udst + i) & 7U) != 0U; i++) {
		if (__ku_stb(udst + i, s[i]) != 0) {
			return -RERR_EFAULT;
		}
	}
	for (; i + 8U <= n; i += 8U) {
		uint64_t v;

		memcpy(&v, &s[i], 8U);
		if (__ku_stx(udst + i, v) != 0) {
			return -RERR_EFAULT;
		}
	}
	for (; i < n; i++) {
		if (__ku_stb(udst + i, s[i]) != 0) {
			return -RERR_EFAULT;
		}
	}
	return 0;
}

/* A NUL-terminated string of at most cap - 1 bytes: its length, -EFAULT, -ENAMETOOLONG. */
int copy_str_from_user(char *dst, uint64_t usrc, size_t cap)
{
	size_t i;

	for (i = 0U; i < cap; i++) {
		uint8_t c;

		if (!user_range_ok(usrc + i, 1U) || __ku_ldb(usrc + i, &c) != 0) {
			return -RERR_EFAULT;
		}
		dst[i] = (char)c;
		if (c == 0U) {
			return (int)i;
		}
	}
	return -RERR_ENAMETOOLONG;
}

int read_user_u32(uint64_t uaddr, uint32_t *val)
{
	if ((uaddr & 3U) != 0U || !user_range_ok(uaddr, 4U)) {
		return -RERR_EFAULT;
	}
	return (__ku_ldw(uaddr, val) == 0) ? 0 : -RERR_EFAULT;
}
