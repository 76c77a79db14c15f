/* SPDX-License-Identifier: Apache-2.0 */
/*
 * How the RSI backend reaches its realm's CSM driver: the driver ABI of
 * include/caec/abi/driver.h over one transport per kernel, the only code
 * that differs between them.
 *
 *   transport_linux.c  a Linux realm: open(2), ioctl(2), mmap(2) on the
 *                      device node; an event thread (pthreads).
 *   transport_realm.c  an application of the caec realm kernel
 *                      (firmware/realm/kernel): the same calls by their
 *                      arm64 Linux numbers with svc; no threads.
 *
 * Every function returns 0 (or an fd) or a negative CAEC_DRV_E* errno
 * value (Linux numbering, whatever the C library's errno.h says).
 */
#ifndef CAEC_BACKENDS_RSI_TRANSPORT_H
#define CAEC_BACKENDS_RSI_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The transport's name, for diagnostics ("linux ioctl", "realm kernel svc"). */
extern const char rsi_tr_name[];

/* open(path, O_RDWR | O_CLOEXEC): an fd, or -errno. */
int rsi_tr_open(const char *path);
void rsi_tr_close(int fd);
/* ioctl(fd, cmd, arg): 0 or -errno. */
int rsi_tr_ioctl(int fd, uint32_t cmd, void *arg);
/* mmap(NULL, len, PROT_READ[|PROT_WRITE], MAP_SHARED, fd, off) into *addr. */
int rsi_tr_mmap(int fd, size_t len, bool rw, uint64_t off, void **addr);
int rsi_tr_munmap(void *addr, size_t len);

/*
 * Run fn(arg) on a new thread (the backend's event thread): 0, or
 * CAEC_DRV_EOPNOTSUP where a process has one thread (the backend then
 * polls for events instead, ops->poll).
 */
int rsi_tr_thread_start(void *(*fn)(void *), void *arg, void **handle);
void rsi_tr_thread_join(void *handle);

#endif
