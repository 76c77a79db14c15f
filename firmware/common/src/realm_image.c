/*
 * Validation of a realm image header (see realm_image.h).  The host runs
 * this before it delegates a single granule, so a malformed image is
 * refused with a reason instead of half-built into a realm.
 */
#include <realm_image.h>

/* Byte by byte: the embedded image need not be aligned for a struct load. */
static uint64_t rd_le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0U; i < n; i++) {
		v |= (uint64_t)p[i] << (8U * i);
	}
	return v;
}

#define RD64(p, field) rd_le((p) + offsetof(struct realm_image_header, field), 8U)
#define RD32(p, field) ((uint32_t)rd_le((p) + offsetof(struct realm_image_header, field), 4U))

const char *realm_image_check(const void *image, size_t len, uint64_t want_addr,
			      uint64_t max_mem, struct realm_image_info *info)
{
	const uint8_t *p = image;
	uint64_t mem, load, addr;

	if (p == NULL || info == NULL) {
		return "no image";
	}
	if (len < sizeof(struct realm_image_header)) {
		return "image shorter than its header";
	}
	if (RD32(p, magic) != REALM_IMAGE_MAGIC) {
		return "bad magic (not a realm image)";
	}
	if ((RD32(p, version) >> 16) !=
	    (REALM_IMAGE_VERSION >> 16)) {
		return "unsupported image format major version";
	}
	if (RD32(p, header_size) <
	    sizeof(struct realm_image_header)) {
		return "header size too small";
	}
	if (RD64(p, flags) != 0U) {
		return "unknown flags";
	}
	mem = RD64(p, mem_size);
	load = RD64(p, load_size);
	addr = RD64(p, load_addr);
	if ((mem % REALM_IMAGE_GRANULE) != 0U || (load % REALM_IMAGE_GRANULE) != 0U ||
	    (addr % REALM_IMAGE_GRANULE) != 0U) {
		return "sizes or load address not granule aligned";
	}
	if (load == 0U || load > len) {
		return "load size is 0 or larger than the image";
	}
	if (mem < load) {
		return "memory size smaller than the loaded part";
	}
	if (addr != want_addr) {
		return "load address differs from the host's";
	}
	if (mem > max_mem) {
		return "image needs more RAM than the host gives a realm";
	}
	info->load_addr = addr;
	info->load_size = load;
	info->mem_size = mem;
	return NULL;
}
