/*
 * elf_check (realm/kernel/elf.c): the realm kernel refuses an application
 * image before it maps anything of it.  A valid two-segment image is
 * accepted; each malformed field is refused with its reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "elf.h"

#define UBASE 0x80000000ULL
#define UTOP 0xC0000000ULL

static uint8_t img[3 * 4096];

static void wr(uint8_t *p, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static uint8_t *ph(unsigned int i)
{
	return img + 64 + 56 * i;
}

static void set_ph(unsigned int i, uint32_t type, uint32_t flags, uint64_t off, uint64_t va,
		   uint64_t filesz, uint64_t memsz)
{
	wr(ph(i), type, 4);
	wr(ph(i) + 4, flags, 4);
	wr(ph(i) + 8, off, 8);
	wr(ph(i) + 16, va, 8);
	wr(ph(i) + 24, va, 8);
	wr(ph(i) + 32, filesz, 8);
	wr(ph(i) + 40, memsz, 8);
}

static int setup(void **state)
{
	(void)state;
	memset(img, 0, sizeof(img));
	memcpy(img, "\x7f" "ELF", 4);
	img[4] = 2;
	img[5] = 1;
	img[6] = 1;
	wr(img + 16, 2, 2);		/* ET_EXEC */
	wr(img + 18, 183, 2);		/* EM_AARCH64 */
	wr(img + 24, UBASE + 0x10, 8);	/* entry */
	wr(img + 32, 64, 8);		/* phoff */
	wr(img + 54, 56, 2);
	wr(img + 56, 3, 2);		/* phnum */
	set_ph(0, 1, 5, 4096, UBASE, 4096, 4096);		/* text R+X */
	set_ph(1, 1, 6, 8192, UBASE + 0x2000, 100, 0x3000);	/* data R+W, bss */
	set_ph(2, 0x6474e551, 6, 0, 0, 0, 0);			/* GNU_STACK: ignored */
	return 0;
}

static const char *check(struct elf_image *e)
{
	return elf_check(img, sizeof(img), UBASE, UTOP, e);
}

static void test_valid(void **state)
{
	struct elf_image e;

	(void)state;
	assert_null(check(&e));
	assert_int_equal(e.nsegs, 2);
	assert_int_equal(e.entry, UBASE + 0x10);
	assert_int_equal(e.segs[1].filesz, 100);
	assert_int_equal(e.end, UBASE + 0x5000);
}

static void test_refused(void **state)
{
	struct elf_image e;

	(void)state;
	assert_string_equal(elf_check(img, 10, UBASE, UTOP, &e), "not an ELF file (too short)");
	img[1] = 'X';
	assert_string_equal(check(&e), "not an ELF file (magic)");
	setup(NULL);
	img[4] = 1;
	assert_string_equal(check(&e), "not ELF64 little-endian version 1");
	setup(NULL);
	wr(img + 18, 62, 2);	/* x86-64 */
	assert_string_equal(check(&e), "not an AArch64 executable");
	setup(NULL);
	wr(img + 56, 250, 2);	/* 250 * 56 bytes > the file */
	assert_string_equal(check(&e), "program headers outside the file");
	setup(NULL);
	set_ph(0, 1, 7, 4096, UBASE, 4096, 4096);
	assert_string_equal(check(&e), "segment both writable and executable");
	setup(NULL);
	set_ph(1, 1, 6, 8192, UBASE + 0x2100, 100, 0x3000);
	assert_string_equal(check(&e), "segment not page aligned");
	setup(NULL);
	set_ph(1, 1, 6, 8192, UBASE + 0x2000, 8192, 8192);	/* file is 12 KB */
	assert_string_equal(check(&e), "segment outside the file");
	setup(NULL);
	set_ph(1, 1, 6, 8192, UBASE + 0x2000, 200, 100);	/* filesz > memsz */
	assert_string_equal(check(&e), "segment outside the file");
	setup(NULL);
	set_ph(1, 1, 6, 8192, 0x40000000, 100, 100);		/* kernel addresses */
	assert_string_equal(check(&e), "segment outside the user window");
	setup(NULL);
	set_ph(1, 1, 6, 8192, UTOP - 4096, 100, 8192);		/* runs past the window */
	assert_string_equal(check(&e), "segment outside the user window");
	setup(NULL);
	set_ph(1, 1, 6, 8192, UBASE, 100, 100);
	assert_string_equal(check(&e), "segments overlap");
	setup(NULL);
	wr(img + 24, UBASE + 0x2000, 8);			/* entry in data */
	assert_string_equal(check(&e), "entry point not in an executable segment");
	setup(NULL);
	set_ph(0, 4, 5, 0, 0, 0, 0);
	set_ph(1, 4, 5, 0, 0, 0, 0);
	assert_string_equal(check(&e), "no loadable segment");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_valid, setup),
		cmocka_unit_test_setup(test_refused, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
