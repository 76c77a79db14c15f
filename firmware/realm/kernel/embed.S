/*
 * One application image (a stripped ELF) embedded in the kernel image,
 * assembled once per application by realm/kernel/meson.build with
 *   -DEMBED_FILE="<path>" -DEMBED_SYM=app_<name>
 * which defines app_<name>_start and app_<name>_end.
 */
#define CAT2(a, b)	a##b
#define CAT(a, b)	CAT2(a, b)

	.section .rodata.apps, "a"
	.balign	16
	.global	CAT(EMBED_SYM, _start)
CAT(EMBED_SYM, _start):
	.incbin	EMBED_FILE
	.global	CAT(EMBED_SYM, _end)
CAT(EMBED_SYM, _end):
