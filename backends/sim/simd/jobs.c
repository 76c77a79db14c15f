/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Worker threads for the work that can take long: measuring a realm's
 * code (hashing its files, at HELLO) and sealing a region (copying and
 * hashing it).  The event loop submits a job and goes on serving others;
 * the job's client waits for its reply, nobody else does.
 *
 * Fairness: jobs queue per user, and workers take them from the users in
 * turn (round robin), so one user's many or huge jobs delay another user's
 * by at most one step.  A job runs in steps of SIMD_JOB_STEP bytes and
 * goes back to the end of the line after each.  A job whose client leaves
 * is cancelled (checked between blocks of hashing).
 *
 * Workers touch only what the job carries; the loop keeps the client (and
 * so the region) alive until the job has come back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "sha.h"
#include "simd.h"

/* Bytes a job copies or hashes before yielding its worker. */
#define SIMD_JOB_STEP (UINT64_C(64) << 20)

static void ring_add(struct simd *d, struct simd_uid *u)
{
	if (u->on_ring)
		return;
	u->on_ring = true;
	if (!d->ring) {
		u->ring_next = u;
		d->ring = u;
	} else {
		/* Insert just before the head: last in this round. */
		struct simd_uid *p = d->ring;
		while (p->ring_next != d->ring)
			p = p->ring_next;
		p->ring_next = u;
		u->ring_next = d->ring;
	}
}

static void queue_push(struct simd *d, struct simd_job *j)
{
	struct simd_uid *u = j->acct;
	j->next = NULL;
	if (u->q_tail)
		u->q_tail->next = j;
	else
		u->q_head = j;
	u->q_tail = j;
	ring_add(d, u);
}

/* Next job, round robin over users.  Caller holds jobs_lock. */
static struct simd_job *queue_pop(struct simd *d)
{
	struct simd_uid *u = d->ring;
	if (!u)
		return NULL;
	struct simd_job *j = u->q_head;
	u->q_head = j->next;
	if (!u->q_head)
		u->q_tail = NULL;
	/* This user goes to the back of the line. */
	if (!u->q_head) {
		u->on_ring = false;
		if (u->ring_next == u) {
			d->ring = NULL;
		} else {
			struct simd_uid *p = u;
			while (p->ring_next != u)
				p = p->ring_next;
			p->ring_next = u->ring_next;
			d->ring = u->ring_next;
		}
	} else {
		d->ring = u->ring_next;
	}
	j->next = NULL;
	return j;
}

static void job_finish(struct simd *d, struct simd_job *j)
{
	pthread_mutex_lock(&d->jobs_lock);
	j->next = NULL;
	if (d->done_tail)
		d->done_tail->next = j;
	else
		d->done_head = j;
	d->done_tail = j;
	pthread_mutex_unlock(&d->jobs_lock);
	uint64_t one = 1;
	(void)!write(d->jobs_fd, &one, sizeof(one));
}

static void *worker(void *arg)
{
	struct simd *d = arg;
	pthread_mutex_lock(&d->jobs_lock);
	for (;;) {
		while (!d->jobs_stop && !d->ring)
			pthread_cond_wait(&d->jobs_cond, &d->jobs_lock);
		if (d->jobs_stop)
			break;
		struct simd_job *j = queue_pop(d);
		pthread_mutex_unlock(&d->jobs_lock);
		bool more = false;
		if (atomic_load(&j->cancel)) {
			j->rc = CAEC_E_PLATFORM;
		} else {
			int r = j->kind == SIMD_JOB_MEASURE ? simd_measure_step(d, j, SIMD_JOB_STEP) :
							      simd_seal_step(j, SIMD_JOB_STEP);
			if (r > 0)
				more = true;
			else
				j->rc = r;
		}
		if (!more) {
			job_finish(d, j);
			pthread_mutex_lock(&d->jobs_lock);
			continue;
		}
		pthread_mutex_lock(&d->jobs_lock);
		queue_push(d, j); /* the rest later, after the others */
	}
	pthread_mutex_unlock(&d->jobs_lock);
	return NULL;
}

int simd_jobs_start(struct simd *d)
{
	unsigned n = d->o.workers ? d->o.workers : 2;
	pthread_mutex_init(&d->jobs_lock, NULL);
	pthread_cond_init(&d->jobs_cond, NULL);
	d->jobs_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (d->jobs_fd < 0)
		return -1;
	d->threads = calloc(n, sizeof(*d->threads));
	if (!d->threads)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		if (pthread_create(&d->threads[i], NULL, worker, d) != 0)
			break;
		d->n_threads++;
	}
	return d->n_threads ? 0 : -1;
}

void simd_job_free(struct simd_job *j)
{
	if (!j)
		return;
	if (j->new_fd >= 0)
		close(j->new_fd);
	simd_measure_free(j);
	simd_sha_free(j->sha);
	free(j);
}

void simd_jobs_stop(struct simd *d)
{
	if (!d->threads)
		return;
	pthread_mutex_lock(&d->jobs_lock);
	d->jobs_stop = true;
	pthread_cond_broadcast(&d->jobs_cond);
	pthread_mutex_unlock(&d->jobs_lock);
	for (unsigned i = 0; i < d->n_threads; i++)
		pthread_join(d->threads[i], NULL);
	free(d->threads);
	d->threads = NULL;
	/* Whatever is queued or done is dropped with its clients. */
	for (struct simd_uid *u = d->uids; u; u = u->next) {
		for (struct simd_job *j = u->q_head, *nx; j; j = nx) {
			nx = j->next;
			if (j->c)
				j->c->job = NULL;
			simd_job_free(j);
		}
		u->q_head = u->q_tail = NULL;
		u->on_ring = false;
	}
	d->ring = NULL;
	for (struct simd_job *j = d->done_head, *nx; j; j = nx) {
		nx = j->next;
		if (j->c)
			j->c->job = NULL;
		simd_job_free(j);
	}
	d->done_head = d->done_tail = NULL;
	if (d->jobs_fd >= 0)
		close(d->jobs_fd);
	d->jobs_fd = -1;
	pthread_cond_destroy(&d->jobs_cond);
	pthread_mutex_destroy(&d->jobs_lock);
}

int simd_job_submit(struct simd *d, struct simd_job *j)
{
	if (!d->threads)
		return CAEC_E_PLATFORM;
	pthread_mutex_lock(&d->jobs_lock);
	queue_push(d, j);
	pthread_cond_signal(&d->jobs_cond);
	pthread_mutex_unlock(&d->jobs_lock);
	return 0;
}

void simd_jobs_reap(struct simd *d)
{
	uint64_t v;
	(void)!read(d->jobs_fd, &v, sizeof(v));
	for (;;) {
		pthread_mutex_lock(&d->jobs_lock);
		struct simd_job *j = d->done_head;
		if (j) {
			d->done_head = j->next;
			if (!d->done_head)
				d->done_tail = NULL;
		}
		pthread_mutex_unlock(&d->jobs_lock);
		if (!j)
			return;
		simd_job_done(d, j->c, j);
	}
}
