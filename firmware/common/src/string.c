/*
 * The four mem* functions the compiler may call in freestanding code.
 * Byte loops: correct with the MMU off (Device memory, -mstrict-align).
 */
#include <stddef.h>
#include <string.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n-- > 0U) {
		*d++ = *s++;
	}
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s) {
		while (n-- > 0U) {
			*d++ = *s++;
		}
	} else {
		while (n-- > 0U) {
			d[n] = s[n];
		}
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n-- > 0U) {
		*d++ = (unsigned char)c;
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n > 0U; n--, x++, y++) {
		if (*x != *y) {
			return (int)*x - (int)*y;
		}
	}
	return 0;
}
