/*
 * Small helpers shared by every firmware component and by the native
 * (fake-host) build.  Only freestanding headers are used.
 */
#ifndef FW_UTILS_H
#define FW_UTILS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GRANULE_SHIFT	12U
#define GRANULE_SIZE	(1UL << GRANULE_SHIFT)
#define GRANULE_MASK	(GRANULE_SIZE - 1UL)

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BIT(n)		(1UL << (n))
#define IS_ALIGNED(x, a) ((((unsigned long)(x)) & ((unsigned long)(a) - 1UL)) == 0UL)
#define GRANULE_ALIGNED(x) IS_ALIGNED((x), GRANULE_SIZE)

/* C11 static assertion; assert.h is not part of the freestanding set. */
#define COMPILER_ASSERT(cond, msg) _Static_assert((cond), msg)

/* Pins an ABI structure member at the offset the specification gives. */
#define ASSERT_OFFSET(type, member, off) \
	COMPILER_ASSERT(offsetof(type, member) == (off), #type "." #member)

#endif /* FW_UTILS_H */
