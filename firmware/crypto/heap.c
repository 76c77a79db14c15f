/*
 * calloc/free for mbedTLS (all it allocates: big numbers and EC points,
 * a few KB at a time) over one fixed arena.  First fit over a list of
 * blocks laid end to end; free blocks are merged with the free blocks that
 * follow them while searching.  Callers hold the crypto guard, which is
 * also this heap's lock (fw_crypto.h).
 */
#include <fw_crypto.h>
#include <string.h>

#include "crypto_private.h"

#define ALIGN		16U
#define HDR		sizeof(struct blk)
#define USED		1UL

/* One block: its size (header included, a multiple of ALIGN) | USED. */
struct blk {
	size_t size;
	size_t pad;	/* keeps the payload 16-byte aligned */
};

static uint8_t *arena;
static size_t arena_size, used_now, used_peak;

void heap_init(void *base, size_t size)
{
	struct blk *b = base;

	arena = base;
	arena_size = size & ~(size_t)(ALIGN - 1U);
	b->size = arena_size;
	used_now = 0U;
	used_peak = 0U;
}

static struct blk *next_blk(struct blk *b)
{
	uint8_t *n = (uint8_t *)b + (b->size & ~USED);

	return (n < arena + arena_size) ? (struct blk *)n : NULL;
}

void *calloc(size_t n, size_t sz)
{
	size_t want, total;
	struct blk *b, *nx;

	if (sz != 0U && n > (size_t)-1 / sz) {
		return NULL;
	}
	want = n * sz;
	if (want > arena_size) {
		return NULL;
	}
	total = (want + HDR + ALIGN - 1U) & ~(size_t)(ALIGN - 1U);
	for (b = (struct blk *)arena; b != NULL; b = next_blk(b)) {
		if ((b->size & USED) != 0U) {
			continue;
		}
		/* Merge the free blocks that follow this one. */
		while ((nx = next_blk(b)) != NULL && (nx->size & USED) == 0U) {
			b->size += nx->size;
		}
		if (b->size < total) {
			continue;
		}
		if (b->size - total >= HDR + ALIGN) {
			struct blk *rest = (struct blk *)((uint8_t *)b + total);

			rest->size = b->size - total;
			b->size = total;
		}
		used_now += b->size;
		if (used_now > used_peak) {
			used_peak = used_now;
		}
		b->size |= USED;
		memset(b + 1, 0, (b->size & ~USED) - HDR);
		return b + 1;
	}
	return NULL;
}

void free(void *p)
{
	struct blk *b;

	if (p == NULL) {
		return;
	}
	b = (struct blk *)p - 1;
	if ((uint8_t *)b < arena || (uint8_t *)b >= arena + arena_size ||
	    (b->size & USED) == 0U) {
		crypto_panic("free() of a pointer the crypto heap did not give");
	}
	b->size &= ~USED;
	used_now -= b->size;
	/* mbedTLS zeroizes secrets itself; scrub anyway, it is cheap. */
	memset(b + 1, 0, b->size - HDR);
}

size_t fw_crypto_heap_used(void)
{
	return used_now;
}

size_t fw_crypto_heap_peak(void)
{
	return used_peak;
}
