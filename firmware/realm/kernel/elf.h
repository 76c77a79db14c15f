/*
 * Checks an application image (ELF64, AArch64, ET_EXEC, statically
 * linked) before the kernel maps anything of it: every PT_LOAD segment
 * page-aligned inside the user window, inside the file, not writable and
 * executable at once, segments not overlapping.  Pure code, unit-tested
 * natively; the loader (proc.c) copies what this accepted.
 */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGS	4U

#define ELF_SEG_R	4U
#define ELF_SEG_W	2U
#define ELF_SEG_X	1U

struct elf_seg {
	uint64_t vaddr;		/* page aligned */
	uint64_t memsz;		/* bytes mapped (page-rounded by the loader) */
	uint64_t offset;	/* in the file */
	uint64_t filesz;	/* bytes copied; the rest is zero */
	unsigned int flags;	/* ELF_SEG_* */
};

struct elf_image {
	uint64_t entry;
	unsigned int nsegs;
	struct elf_seg segs[ELF_MAX_SEGS];
	uint64_t end;		/* page-aligned end of the highest segment */
};

/* NULL and *out filled, or a sentence saying why the image is refused. */
const char *elf_check(const void *file, size_t len, uint64_t user_base, uint64_t user_top,
		      struct elf_image *out);

#endif /* KERNEL_ELF_H */
