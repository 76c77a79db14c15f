/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vsock baseline of caec-bench-ring: the same ping-pong and streaming
 * over an AF_VSOCK stream connection to VMADDR_CID_LOCAL -- the AF_VSOCK
 * socket layer over the vsock_loopback transport, a lower bound on
 * virtio-vsock (bench/vm/ runs it in a guest that has the transport).
 */
#ifndef CAEC_BENCH_RING_VSOCK_REF_H
#define CAEC_BENCH_RING_VSOCK_REF_H

#include <stddef.h>
#include <stdint.h>

/*
 * A connected pair: fd[0] for the parent, fd[1] for the child.  0, or
 * -errno with what failed in why ("unavailable: ENODEV (...) at connect()").
 */
int vsock_ref_open(int fd[2], char *why, size_t whylen);
/* n round trips of size bytes: write then read back (initiator), or read
 * then write back (responder).  Exit the program on an I/O error. */
void vsock_ref_initiate(int fd, unsigned n, uint8_t *buf, uint32_t size);
void vsock_ref_respond(int fd, unsigned n, uint8_t *buf, uint32_t size);
/* Streaming: the sender writes n messages of size bytes and waits for the
 * receiver's 8-byte acknowledgement of the last; the receiver reads them
 * all and acknowledges. */
void vsock_ref_stream_send(int fd, uint64_t n, uint8_t *buf, uint32_t size);
void vsock_ref_stream_recv(int fd, uint64_t n, uint8_t *buf, uint32_t size);

#endif
