/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Packet send/receive with at most one attached file descriptor, shared by
 * the sim backend and caec-simd.  Functions return 0 / a length, or -errno.
 */
#ifndef CAEC_SIM_SOCKMSG_H
#define CAEC_SIM_SOCKMSG_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Send one packet; fd >= 0 is attached with SCM_RIGHTS.  MSG_NOSIGNAL, so a
 * dead peer gives -EPIPE rather than SIGPIPE.  flags: extra send flags
 * (MSG_DONTWAIT for the daemon's non-blocking sends).
 */
ssize_t sockmsg_send(int sock, const void *buf, size_t len, int fd, int flags);

/*
 * Send one packet carrying this process's credentials (SCM_CREDENTIALS:
 * PID, UID, GID, checked by the kernel: a process cannot claim another's
 * PID without CAP_SYS_ADMIN).
 */
ssize_t sockmsg_send_creds(int sock, const void *buf, size_t len);

/*
 * Receive one packet into buf (cap bytes).  Returns its length; a packet
 * longer than cap gives -EMSGSIZE (and is consumed); 0 means the peer
 * closed.  A received descriptor is stored in *fd if fd is non-NULL, else
 * closed; *fd is -1 when none came.  Extra descriptors beyond one are
 * always closed.  All received descriptors are close-on-exec.
 */
ssize_t sockmsg_recv(int sock, void *buf, size_t cap, int *fd, int flags);

/*
 * As sockmsg_recv(), and if the socket has SO_PASSCRED set, store the
 * sender's process ID as the kernel reports it for this very packet in
 * *pid (0 when no credentials came).
 */
ssize_t sockmsg_recv_pid(int sock, void *buf, size_t cap, int *fd, int flags,
			 pid_t *pid);

#endif /* CAEC_SIM_SOCKMSG_H */
