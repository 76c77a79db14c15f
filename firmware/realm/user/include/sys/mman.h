/*
 * <sys/mman.h> for applications of the realm kernel (picolibc has none):
 * Linux's values and calls, of which the kernel implements mmap, munmap
 * and mprotect of /dev/caec regions (uapi/realm_syscall.h).
 */
#ifndef USER_SYS_MMAN_H
#define USER_SYS_MMAN_H

#include <stddef.h>
#include <sys/types.h>

#define PROT_NONE	0
#define PROT_READ	1
#define PROT_WRITE	2
#define PROT_EXEC	4
#define MAP_SHARED	1
#define MAP_PRIVATE	2
#define MAP_FAILED	((void *)-1)

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);

#endif
