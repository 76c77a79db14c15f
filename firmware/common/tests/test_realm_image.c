/*
 * realm_image_check(): the header a host reads before it delegates any
 * granule for a realm image.  Every field is checked; a bad one is
 * refused with a reason, never half-loaded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <realm_image.h>

#define BASE	0x40000000ULL
#define MAXMEM	(8ULL << 20)

static uint8_t image[3 * 4096] __attribute__((aligned(8)));

static struct realm_image_header *hdr(void)
{
	return (struct realm_image_header *)(void *)image;
}

static int setup(void **state)
{
	(void)state;
	memset(image, 0, sizeof(image));
	hdr()->branch = 0x1400000cU;
	hdr()->magic = REALM_IMAGE_MAGIC;
	hdr()->mem_size = 5 * 4096;
	hdr()->load_size = 3 * 4096;
	hdr()->load_addr = BASE;
	hdr()->version = REALM_IMAGE_VERSION;
	hdr()->header_size = REALM_IMAGE_HEADER_SIZE;
	return 0;
}

static const char *check(size_t len, struct realm_image_info *info)
{
	return realm_image_check(image, len, BASE, MAXMEM, info);
}

static void test_valid(void **state)
{
	struct realm_image_info info;

	(void)state;
	assert_null(check(sizeof(image), &info));
	assert_int_equal(info.load_addr, BASE);
	assert_int_equal(info.load_size, 3 * 4096);
	assert_int_equal(info.mem_size, 5 * 4096);
	/* A newer minor version and a longer header are fine. */
	hdr()->version = REALM_IMAGE_VERSION + 7U;
	hdr()->header_size = REALM_IMAGE_HEADER_SIZE + 16U;
	assert_null(check(sizeof(image), &info));
	/* mem_size == load_size: nothing zero-filled. */
	hdr()->mem_size = hdr()->load_size;
	assert_null(check(sizeof(image), &info));
}

static void test_each_field_refused(void **state)
{
	struct realm_image_info info = { 1, 2, 3 };

	(void)state;
	assert_non_null(realm_image_check(NULL, sizeof(image), BASE, MAXMEM, &info));
	assert_non_null(realm_image_check(image, sizeof(image), BASE, MAXMEM, NULL));
	assert_non_null(check(REALM_IMAGE_HEADER_SIZE - 1U, &info));
	hdr()->magic ^= 1U;
	assert_string_equal(check(sizeof(image), &info), "bad magic (not a realm image)");
	setup(NULL);
	hdr()->version = REALM_IMAGE_VERSION + 0x10000U;
	assert_string_equal(check(sizeof(image), &info), "unsupported image format major version");
	setup(NULL);
	hdr()->header_size = REALM_IMAGE_HEADER_SIZE - 8U;
	assert_non_null(check(sizeof(image), &info));
	setup(NULL);
	hdr()->flags = 1U;
	assert_string_equal(check(sizeof(image), &info), "unknown flags");
	setup(NULL);
	hdr()->mem_size += 8U;
	assert_non_null(check(sizeof(image), &info));
	setup(NULL);
	hdr()->load_addr += 4096U;
	assert_string_equal(check(sizeof(image), &info), "load address differs from the host's");
	setup(NULL);
	hdr()->load_size = 0U;
	assert_non_null(check(sizeof(image), &info));
	setup(NULL);
	hdr()->load_size = 4 * 4096;	/* more than the 3 pages embedded */
	assert_string_equal(check(sizeof(image), &info), "load size is 0 or larger than the image");
	setup(NULL);
	hdr()->mem_size = 2 * 4096;	/* less than the loaded part */
	assert_string_equal(check(sizeof(image), &info), "memory size smaller than the loaded part");
	setup(NULL);
	hdr()->mem_size = MAXMEM + 4096U;
	assert_string_equal(check(sizeof(image), &info),
			    "image needs more RAM than the host gives a realm");
	/* Nothing was written on failure. */
	assert_int_equal(info.load_addr, 1);
	assert_int_equal(info.load_size, 2);
	assert_int_equal(info.mem_size, 3);
}

/* The header is read byte by byte: an odd address works. */
static void test_unaligned_image(void **state)
{
	static uint8_t copy[sizeof(image) + 1];
	struct realm_image_info info;

	(void)state;
	memcpy(copy + 1, image, sizeof(image));
	assert_null(realm_image_check(copy + 1, sizeof(image), BASE, MAXMEM, &info));
	assert_int_equal(info.mem_size, 5 * 4096);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_valid, setup),
		cmocka_unit_test_setup(test_each_field_refused, setup),
		cmocka_unit_test_setup(test_unaligned_image, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
