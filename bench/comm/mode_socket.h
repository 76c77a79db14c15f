/* SPDX-License-Identifier: Apache-2.0 */
/* Stream-socket modes: shared implementation (mode_socket.c). */
#ifndef CAEC_BENCH_MODE_SOCKET_H
#define CAEC_BENCH_MODE_SOCKET_H

#include <sys/socket.h>
#include <linux/vm_sockets.h>

#include "comm.h"

struct comm_sock {
	int fd[2];            /* [COMM_TX], [COMM_RX]; each side keeps its own */
	unsigned char *buf;   /* private payload buffer */
	size_t buflen;
};

struct comm_sock *comm_sock_get(struct comm_chan *ch);
int comm_sock_fail(struct comm_chan *ch, const char *what);
int comm_sock_pair_via(struct comm_chan *ch, int lfd, int c,
		       const struct sockaddr *a, socklen_t alen);
int comm_sock_open(struct comm_chan *ch);
int comm_sock_configure(struct comm_chan *ch, size_t size);
void *comm_sock_tx_reserve(struct comm_chan *ch, size_t len, uint64_t seq);
int comm_sock_tx_commit(struct comm_chan *ch, size_t len, uint64_t seq);
int comm_sock_tx_wait(struct comm_chan *ch, uint64_t seq);
int comm_sock_rx_wait(struct comm_chan *ch, uint64_t seq);
int comm_sock_rx_get(struct comm_chan *ch, uint64_t seq, const void **p,
		     size_t *len);
int comm_sock_rx_put(struct comm_chan *ch, uint64_t seq, bool ack);
void comm_sock_close(struct comm_chan *ch);
void comm_sock_unprepare(struct comm_chan *ch);

#endif
