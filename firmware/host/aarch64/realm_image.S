/* The realm image, embedded page-aligned so DATA_CREATE can use it as src. */
	.section .rodata.realm_image, "a"
	.balign	4096
	.global realm_image_start
realm_image_start:
	.incbin	"realm.bin"
	.balign	4096
	.global realm_image_end
realm_image_end:
