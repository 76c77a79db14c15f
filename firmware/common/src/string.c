/*
 * The mem* functions the compiler may call in freestanding code, and the
 * few str* functions core/token and mbedTLS use (firmware/crypto).
 * Byte loops: correct with the MMU off (Device memory, -mstrict-align).
 */
#include <stddef.h>
#include <stdint.h>
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

size_t strlen(const char *s)
{
	size_t n = 0U;

	while (s[n] != '\0') {
		n++;
	}
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return (int)(unsigned char)*a - (int)(unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0U; n--, a++, b++) {
		if (*a != *b || *a == '\0') {
			return (int)(unsigned char)*a - (int)(unsigned char)*b;
		}
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n > 0U; n--, p++) {
		if (*p == (unsigned char)c) {
			return (void *)(uintptr_t)p;
		}
	}
	return NULL;
}
