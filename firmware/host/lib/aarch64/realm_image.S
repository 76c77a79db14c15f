/*
 * One realm image embedded page-aligned in a host ELF, so DATA_CREATE can
 * use it as the source.  Assembled once per (scenario, image) by the
 * top-level meson.build (firmware cross build) with
 *   -DREALM_IMAGE_FILE="realm-<payload>.bin" -DREALM_IMAGE_SYM=realm_<payload>
 * which defines realm_<payload>_start and realm_<payload>_end.
 */
#define CAT2(a, b)	a##b
#define CAT(a, b)	CAT2(a, b)
#define IMG_START	CAT(REALM_IMAGE_SYM, _start)
#define IMG_END		CAT(REALM_IMAGE_SYM, _end)

	.section .rodata.realm_image, "a"
	.balign	4096
	.global	IMG_START
IMG_START:
	.incbin	REALM_IMAGE_FILE
	.balign	4096
	.global	IMG_END
IMG_END:
