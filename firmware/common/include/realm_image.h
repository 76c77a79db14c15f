/*
 * The realm image format (docs/firmware.md, "Realm images"), shared by the
 * realm runtime that produces it and the host that loads it.
 *
 * An image is a flat binary whose first bytes are this header.  The host
 * copies the first load_size bytes to IPA load_addr with DATA_CREATE
 * (measured, so they enter the RIM), gives the rest of mem_size zero-filled
 * granules with DATA_CREATE_UNKNOWN (not measured: .bss, heap, stacks),
 * declares [load_addr, load_addr + mem_size) RIPAS RAM, and starts REC 0
 * at load_addr (the branch over the header) with x0 = the host's argument.
 *
 * Offset 0x08 (mem_size) is where the first realm payload kept its
 * footprint, so a host that only reads that word still loads new images.
 */
#ifndef REALM_IMAGE_H
#define REALM_IMAGE_H

#define REALM_IMAGE_MAGIC	0x314D4C52U	/* "RLM1" read as a little-endian word */
#define REALM_IMAGE_VERSION	0x00010000U	/* 1.0: major << 16 | minor */
#define REALM_IMAGE_GRANULE	4096UL
#define REALM_IMAGE_HEADER_SIZE	0x30U

/*
 * HOST_CALL immediate the realm runtime uses just before PSCI SYSTEM_OFF:
 * gprs[0] = the program's exit status.  Informational only: the host
 * learns what the realm chooses to say.
 */
#define REALM_HOST_CALL_EXIT	0xE417U

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct realm_image_header {
	uint32_t branch;	/* 0x00: "b <entry>": the REC starts at load_addr */
	uint32_t magic;		/* 0x04: REALM_IMAGE_MAGIC */
	uint64_t mem_size;	/* 0x08: RAM the image needs from load_addr, granule multiple */
	uint64_t load_size;	/* 0x10: bytes to DATA_CREATE (measured), granule multiple */
	uint64_t load_addr;	/* 0x18: IPA of the first byte, granule aligned */
	uint32_t version;	/* 0x20: REALM_IMAGE_VERSION */
	uint32_t header_size;	/* 0x24: sizeof(struct realm_image_header) */
	uint64_t flags;		/* 0x28: none defined, must be 0 */
};

_Static_assert(offsetof(struct realm_image_header, mem_size) == 0x08, "mem_size at 0x08");
_Static_assert(offsetof(struct realm_image_header, load_addr) == 0x18, "load_addr at 0x18");
_Static_assert(sizeof(struct realm_image_header) == REALM_IMAGE_HEADER_SIZE, "header size");

/* What a host learns from a valid header. */
struct realm_image_info {
	uint64_t load_addr;
	uint64_t load_size;
	uint64_t mem_size;
};

/*
 * Checks an image of `len` bytes (as embedded, padded to a granule) against
 * the host's limits: RAM must fit below max_mem bytes and start at
 * `want_addr`.  Returns NULL and fills *info, or a sentence saying what is
 * wrong.  Pure function: unit-tested natively.
 */
const char *realm_image_check(const void *image, size_t len, uint64_t want_addr,
			      uint64_t max_mem, struct realm_image_info *info);
#endif /* !__ASSEMBLER__ */

#endif /* REALM_IMAGE_H */
