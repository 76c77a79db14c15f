/*
 * ELF64 checks (see elf.h), from the ELF specification's field layout.
 * The file may be unaligned: fields are read byte by byte.
 */
#include "elf.h"

#define PAGE		4096UL
#define PT_LOAD		1U
#define EHDR_SIZE	64U
#define PHDR_SIZE	56U
#define EM_AARCH64	183U
#define ET_EXEC		2U

static uint64_t rd(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0U;
	unsigned int i;

	for (i = 0U; i < n; i++) {
		v |= (uint64_t)p[i] << (8U * i);
	}
	return v;
}

static const char *check_seg(const struct elf_seg *s, size_t len, uint64_t user_base,
			     uint64_t user_top)
{
	if ((s->vaddr % PAGE) != 0U || (s->offset % PAGE) != 0U) {
		return "segment not page aligned";
	}
	if (s->filesz > s->memsz || s->offset > len || s->filesz > len - s->offset) {
		return "segment outside the file";
	}
	if (s->memsz == 0U || s->vaddr < user_base || s->vaddr >= user_top ||
	    s->memsz > user_top - s->vaddr) {
		return "segment outside the user window";
	}
	if ((s->flags & ELF_SEG_W) != 0U && (s->flags & ELF_SEG_X) != 0U) {
		return "segment both writable and executable";
	}
	return NULL;
}

const char *elf_check(const void *file, size_t len, uint64_t user_base, uint64_t user_top,
		      struct elf_image *out)
{
	const uint8_t *f = file;
	uint64_t phoff, phnum, phentsize, i, j;
	const char *why;

	if (f == NULL || out == NULL || len < EHDR_SIZE) {
		return "not an ELF file (too short)";
	}
	if (f[0] != 0x7FU || f[1] != 'E' || f[2] != 'L' || f[3] != 'F') {
		return "not an ELF file (magic)";
	}
	if (f[4] != 2U || f[5] != 1U || f[6] != 1U) {
		return "not ELF64 little-endian version 1";
	}
	if (rd(f + 16, 2) != ET_EXEC || rd(f + 18, 2) != EM_AARCH64) {
		return "not an AArch64 executable";
	}
	phoff = rd(f + 32, 8);
	phentsize = rd(f + 54, 2);
	phnum = rd(f + 56, 2);
	if (phentsize != PHDR_SIZE || phnum == 0U || phoff > len || phnum * PHDR_SIZE > len - phoff) {
		return "program headers outside the file";
	}
	out->entry = rd(f + 24, 8);
	out->nsegs = 0U;
	out->end = 0U;
	for (i = 0U; i < phnum; i++) {
		const uint8_t *ph = f + phoff + i * PHDR_SIZE;
		struct elf_seg *s;

		if (rd(ph, 4) != PT_LOAD) {
			continue;
		}
		if (out->nsegs == ELF_MAX_SEGS) {
			return "too many loadable segments";
		}
		s = &out->segs[out->nsegs];
		s->flags = (unsigned int)rd(ph + 4, 4) & 7U;
		s->offset = rd(ph + 8, 8);
		s->vaddr = rd(ph + 16, 8);
		s->filesz = rd(ph + 32, 8);
		s->memsz = rd(ph + 40, 8);
		why = check_seg(s, len, user_base, user_top);
		if (why != NULL) {
			return why;
		}
		for (j = 0U; j < out->nsegs; j++) {
			const struct elf_seg *o = &out->segs[j];
			uint64_t o_end = (o->vaddr + o->memsz + PAGE - 1U) & ~(PAGE - 1U);
			uint64_t s_end = (s->vaddr + s->memsz + PAGE - 1U) & ~(PAGE - 1U);

			if (s->vaddr < o_end && o->vaddr < s_end) {
				return "segments overlap";
			}
		}
		if (((s->vaddr + s->memsz + PAGE - 1U) & ~(PAGE - 1U)) > out->end) {
			out->end = (s->vaddr + s->memsz + PAGE - 1U) & ~(PAGE - 1U);
		}
		out->nsegs++;
	}
	if (out->nsegs == 0U) {
		return "no loadable segment";
	}
	for (i = 0U; i < out->nsegs; i++) {
		const struct elf_seg *s = &out->segs[i];

		if ((s->flags & ELF_SEG_X) != 0U && out->entry >= s->vaddr &&
		    out->entry - s->vaddr < s->memsz) {
			return NULL;
		}
	}
	return "entry point not in an executable segment";
}
