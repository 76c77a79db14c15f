/*
 * sbrk for picolibc's malloc: the heap is [__heap_start, __heap_end) from
 * the linker script, part of the RAM the image header asks the host for
 * (populated up front with DATA_CREATE_UNKNOWN).  It never grows past
 * that: malloc then fails with ENOMEM instead of touching memory the
 * realm does not own.
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include <rt/layout.h>
#include <rt/rt.h>

/* unistd.h declares it only outside strict C11. */
void *sbrk(ptrdiff_t incr);

static char *brk_cur = __heap_start;

void *sbrk(ptrdiff_t incr)
{
	char *old = brk_cur;
	uintptr_t cur = (uintptr_t)brk_cur;

	if ((incr > 0 && (uintptr_t)incr > (uintptr_t)__heap_end - cur) ||
	    (incr < 0 && (uintptr_t)-incr > cur - (uintptr_t)__heap_start)) {
		errno = ENOMEM;
		return (void *)-1;
	}
	brk_cur += incr;
	return old;
}

void rt_heap_usage(size_t *used, size_t *size)
{
	if (used != NULL) {
		*used = (size_t)(brk_cur - __heap_start);
	}
	if (size != NULL) {
		*size = (size_t)(__heap_end - __heap_start);
	}
}
