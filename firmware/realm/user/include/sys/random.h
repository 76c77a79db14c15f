/*
 * <sys/random.h> for applications of the realm kernel (picolibc has none):
 * getrandom(2), which the kernel serves from RNDR (FEAT_RNG) and never
 * blocks; ENOSYS on a CPU without FEAT_RNG.
 */
#ifndef USER_SYS_RANDOM_H
#define USER_SYS_RANDOM_H

#include <stddef.h>
#include <sys/types.h>

#define GRND_NONBLOCK 0x1U
#define GRND_RANDOM 0x2U
#define GRND_INSECURE 0x4U

ssize_t getrandom(void *buf, size_t len, unsigned int flags);

#endif
