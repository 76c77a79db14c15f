/*
 * <sys/random.h> for applications of the realm kernel (picolibc has none).
 * The kernel has no entropy call yet: getrandom() fails with ENOSYS, and
 * what needs it (libcaec's proof of a pinned platform key, which also
 * needs attestation tokens the RMM does not issue) fails cleanly.
 */
#ifndef USER_SYS_RANDOM_H
#define USER_SYS_RANDOM_H

#include <stddef.h>
#include <sys/types.h>

ssize_t getrandom(void *buf, size_t len, unsigned int flags);

#endif
