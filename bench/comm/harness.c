/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The measurement harness: fork the receiver realm, pin both sides, run the
 * paper's stop-and-wait loop and a pipelined full-ring loop for every size,
 * and collect both sides' numbers over a control socket.
 *
 * What is measured (all in TSC ticks; see comm_tick_source()):
 *  - rtt: the sender's round trip per message, from reserve to the
 *    receiver's release, spin included (the paper's "CPU cycles");
 *  - fill: the payload fill alone (the only per-byte work a zero-copy
 *    sender must do);
 *  - tx_work / rx_work: each side's non-waiting work per message
 *    (sender: reserve+fill+commit; receiver: get+check+put after the
 *    message arrived), medians;
 *  - rtt, tx_work and rx_work also as interquartile means (the mean of the
 *    sorted samples [n/4, 3n/4)): single deltas move in steps of the TSC
 *    granularity (comm_tsc_step(); 26 ticks on some VMs), so medians of
 *    modes doing the same work can differ by one step, while the mean of
 *    the central samples, the TSC phase being random against the events,
 *    resolves below it;
 *  - cpu_both: both sides' CPU time (CLOCK_THREAD_CPUTIME_ID) per message,
 *    spin included, converted to ticks;
 *  - pipelined: messages streamed with every slot of the ring in flight,
 *    wall time and both sides' CPU time.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "comm.h"

struct rx_report {
	int32_t rc;
	uint32_t n;        /* rx work samples that follow */
	double cpu_ns;     /* receiver CPU time over the measured messages */
};

static double thread_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int pin(int cpu)
{
	if (cpu < 0)
		return 0;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) < 0 ? -errno : 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static double pct(uint64_t *v, unsigned n, double q)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u64);
	unsigned i = (unsigned)(q * (n - 1) + 0.5);
	return (double)v[i];
}

/*
 * Interquartile mean of v[0..n): the mean of the sorted samples with index
 * in [n/4, 3n/4) (at least one sample).  Sorts v.
 */
static double iqm(uint64_t *v, unsigned n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u64);
	unsigned lo = n / 4, hi = (unsigned)(3 * (uint64_t)n / 4);
	if (hi <= lo)
		hi = lo + 1;
	double sum = 0;
	for (unsigned i = lo; i < hi; i++)
		sum += (double)v[i];
	return sum / (double)(hi - lo);
}

uint64_t comm_tsc_step(void)
{
	static uint64_t step;
	if (step)
		return step;
	/* ~100k back-to-back reads: a few ms even where each read is slow */
	uint64_t best = 0, prev = comm_ticks();
	for (unsigned i = 0; i < 100000; i++) {
		uint64_t t = comm_ticks();
		uint64_t d = t - prev;
		if (d && (!best || d < best))
			best = d;
		prev = t;
	}
	step = best ? best : 1;
	return step;
}

unsigned comm_plan_reps(const struct comm_plan *plan, size_t size)
{
	unsigned r = plan->reps_small;
	if (size > 32768) {
		double s = (double)plan->reps_small * 32768.0 / (double)size;
		r = s < 20 ? 20 : (unsigned)s;
		if (r > plan->reps_small)
			r = plan->reps_small;
	}
	return r;
}

unsigned comm_plan_pipe_msgs(const struct comm_plan *plan, size_t size)
{
	size_t budget = plan->quick ? ((size_t)8 << 20) : ((size_t)256 << 20);
	size_t lo = plan->quick ? 16 : 32, hi = plan->quick ? 4000 : 100000;
	size_t n = budget / size;
	if (n < lo)
		n = lo;
	if (n > hi)
		n = hi;
	return (unsigned)n;
}

static unsigned warmup_of(unsigned reps)
{
	unsigned w = reps / 10;
	return w < 5 ? 5 : w;
}

static void do_fill(const struct comm_opts *o, void *p, size_t len,
		    uint64_t seq)
{
	if (o->fill)
		o->fill(p, len, seq, o->fill_arg);
	else
		comm_fill_default(p, len, seq, NULL);
	comm_stamp(p, len, seq);
}

/* ---- receiver ---------------------------------------------------------- */

static int rx_one(struct comm_chan *ch, uint64_t seq, bool ack, uint64_t *work)
{
	const void *p;
	size_t len;
	int rc = 0;
	if (ch->ops->rx_wait)
		rc = ch->ops->rx_wait(ch, seq);
	if (rc < 0)
		return rc;
	uint64_t t0 = comm_ticks();
	rc = ch->ops->rx_get(ch, seq, &p, &len);
	if (rc < 0)
		return rc;
	if (!comm_check(p, len, seq))
		return -EBADMSG;
	if (ch->opts->check && !ch->opts->check(p, len, seq, ch->opts->check_arg))
		return -EBADMSG;
	rc = ch->ops->rx_put(ch, seq, ack);
	if (work)
		*work = comm_ticks() - t0;
	return rc;
}

static int run_rx(struct comm_chan *ch, const struct comm_plan *plan)
{
	uint64_t seq = 0;
	uint64_t *work = NULL;
	unsigned maxreps = plan->reps_small;
	int rc;
	work = calloc(maxreps ? maxreps : 1, sizeof(*work));
	if (!work)
		return -ENOMEM;
	for (size_t i = 0; i < plan->nsizes; i++) {
		size_t size = plan->sizes[i];
		unsigned reps = comm_plan_reps(plan, size);
		unsigned warm = warmup_of(reps);
		struct rx_report rep = { 0 };
		char go = 1;

		rc = ch->ops->configure(ch, size);
		/* barrier: tell the sender we are configured (or failed) */
		int32_t st = rc;
		if (comm_write_all(ch->ctl, &st, sizeof(st)) < 0 || rc < 0)
			goto out;
		if (comm_read_all(ch->ctl, &go, 1) < 0 || !go)
			goto out;

		double c0 = 0;
		for (unsigned k = 0; k < warm + reps && rc == 0; k++, seq++) {
			if (k == warm)
				c0 = thread_cpu_ns();
			rc = rx_one(ch, seq, true, k >= warm ? &work[k - warm] : NULL);
		}
		rep.cpu_ns = thread_cpu_ns() - c0;
		rep.rc = rc;
		rep.n = rc == 0 ? reps : 0;
		if (comm_write_all(ch->ctl, &rep, sizeof(rep)) < 0 ||
		    comm_write_all(ch->ctl, work, rep.n * sizeof(*work)) < 0 ||
		    rc < 0)
			goto out;

		if (!plan->pipelined)
			continue;
		if (comm_read_all(ch->ctl, &go, 1) < 0 || !go)
			goto out;
		unsigned n = comm_plan_pipe_msgs(plan, size);
		c0 = thread_cpu_ns();
		for (unsigned k = 0; k < n && rc == 0; k++, seq++)
			rc = rx_one(ch, seq, k == n - 1, NULL);
		rep.cpu_ns = thread_cpu_ns() - c0;
		rep.rc = rc;
		rep.n = 0;
		if (comm_write_all(ch->ctl, &rep, sizeof(rep)) < 0 || rc < 0)
			goto out;
	}
	rc = 0;
out:
	free(work);
	return rc;
}

/* ---- sender ------------------------------------------------------------ */

static int tx_one(struct comm_chan *ch, size_t len, uint64_t seq, bool wait,
		  uint64_t *rtt, uint64_t *fill, uint64_t *work)
{
	uint64_t t0 = comm_ticks();
	void *p = ch->ops->tx_reserve(ch, len, seq);
	if (!p)
		return -ENOBUFS;
	uint64_t f0 = comm_ticks();
	do_fill(ch->opts, p, len, seq);
	uint64_t f1 = comm_ticks();
	int rc = ch->ops->tx_commit(ch, len, seq);
	if (rc < 0)
		return rc;
	uint64_t t1 = comm_ticks();
	if (wait)
		rc = ch->ops->tx_wait(ch, seq);
	uint64_t t2 = comm_ticks();
	if (rtt) {
		*rtt = t2 - t0;
		*fill = f1 - f0;
		*work = t1 - t0;
	}
	return rc;
}

static int run_tx(struct comm_chan *ch, const struct comm_plan *plan,
		  struct comm_result *res)
{
	unsigned maxreps = plan->reps_small ? plan->reps_small : 1;
	uint64_t *rtt = calloc(maxreps, sizeof(uint64_t));
	uint64_t *fill = calloc(maxreps, sizeof(uint64_t));
	uint64_t *work = calloc(maxreps, sizeof(uint64_t));
	uint64_t *rxw = calloc(maxreps, sizeof(uint64_t));
	double ns2t = comm_tsc_hz() * 1e-9;
	uint64_t seq = 0;
	int rc = -ENOMEM;
	if (!rtt || !fill || !work || !rxw)
		goto out;
	for (size_t i = 0; i < plan->nsizes; i++) {
		struct comm_point *pt = &res->points[i];
		size_t size = plan->sizes[i];
		unsigned reps = comm_plan_reps(plan, size);
		unsigned warm = warmup_of(reps);
		struct rx_report rep;
		int32_t st;
		char go;

		pt->size = size;
		rc = ch->ops->configure(ch, size);
		if (comm_read_all(ch->ctl, &st, sizeof(st)) < 0) {
			rc = -EPIPE;
			goto out;
		}
		if (rc == 0 && st < 0)
			rc = st;
		go = rc == 0;
		if (comm_write_all(ch->ctl, &go, 1) < 0 || rc < 0)
			goto out;

		/* stop-and-wait: the paper's loop */
		double c0 = 0;
		rc = 0;
		for (unsigned k = 0; k < warm + reps && rc == 0; k++, seq++) {
			if (k == warm)
				c0 = thread_cpu_ns();
			bool m = k >= warm;
			rc = tx_one(ch, size, seq, true, m ? &rtt[k - warm] : NULL,
				    m ? &fill[k - warm] : NULL,
				    m ? &work[k - warm] : NULL);
		}
		double tx_cpu = thread_cpu_ns() - c0;
		if (rc < 0)
			goto out;
		if (comm_read_all(ch->ctl, &rep, sizeof(rep)) < 0 ||
		    rep.n > maxreps ||
		    comm_read_all(ch->ctl, rxw, rep.n * sizeof(*rxw)) < 0) {
			rc = -EPIPE;
			goto out;
		}
		if (rep.rc < 0) {
			rc = rep.rc;
			goto out;
		}
		pt->reps = reps;
		pt->rtt_p10 = pct(rtt, reps, 0.10);
		pt->rtt_med = pct(rtt, reps, 0.50);
		pt->rtt_p90 = pct(rtt, reps, 0.90);
		pt->fill_med = pct(fill, reps, 0.5);
		pt->tx_work_med = pct(work, reps, 0.5);
		pt->rx_work_med = pct(rxw, rep.n, 0.5);
		pt->rtt_iqm = iqm(rtt, reps);
		pt->tx_work_iqm = iqm(work, reps);
		pt->rx_work_iqm = iqm(rxw, rep.n);
		pt->rtt_iqm_round[0] = pt->rtt_iqm; /* moved to the round's */
		pt->work_iqm_round[0] = pt->tx_work_iqm + pt->rx_work_iqm;
		pt->cpu_both = (tx_cpu + rep.cpu_ns) * ns2t / reps;

		if (plan->pipelined) {
			unsigned n = comm_plan_pipe_msgs(plan, size);
			go = 1;
			if (comm_write_all(ch->ctl, &go, 1) < 0) {
				rc = -EPIPE;
				goto out;
			}
			uint64_t first = seq;
			c0 = thread_cpu_ns();
			uint64_t t0 = comm_ticks();
			for (unsigned k = 0; k < n && rc == 0; k++, seq++)
				rc = tx_one(ch, size, seq, false, NULL, NULL,
					    NULL);
			if (rc == 0)
				rc = ch->ops->tx_wait(ch, first + n - 1);
			uint64_t t1 = comm_ticks();
			tx_cpu = thread_cpu_ns() - c0;
			if (rc < 0)
				goto out;
			if (comm_read_all(ch->ctl, &rep, sizeof(rep)) < 0) {
				rc = -EPIPE;
				goto out;
			}
			if (rep.rc < 0) {
				rc = rep.rc;
				goto out;
			}
			pt->pipe_msgs = n;
			pt->pipe_ticks = (double)(t1 - t0);
			pt->pipe_cpu_both = (tx_cpu + rep.cpu_ns) * ns2t / n;
		}
		pt->ok = true;
		res->npoints = i + 1;
	}
	rc = 0;
out:
	free(rtt);
	free(fill);
	free(work);
	free(rxw);
	return rc;
}

int comm_rx_side(struct comm_chan *ch, const struct comm_plan *plan)
{
	int r = ch->ops->open(ch);
	int32_t st = r;
	if (comm_write_all(ch->ctl, &st, sizeof(st)) == 0 && r == 0)
		r = run_rx(ch, plan);
	if (ch->ops->close)
		ch->ops->close(ch);
	return r;
}

/* ---- one mode ---------------------------------------------------------- */

int comm_run_mode(const struct comm_mode_ops *ops,
		  const struct comm_opts *opts, const struct comm_plan *plan,
		  struct comm_result *res)
{
	struct comm_chan ch = { .ops = ops, .opts = opts, .ctl = -1 };
	int ctl[2] = { -1, -1 };
	cpu_set_t saved;
	bool restore = sched_getaffinity(0, sizeof(saved), &saved) == 0;
	int rc;

	memset(res, 0, sizeof(*res));
	res->ops = ops;
	res->points = calloc(plan->nsizes ? plan->nsizes : 1,
			     sizeof(*res->points));
	if (!res->points)
		return -ENOMEM;

	rc = ops->prepare ? ops->prepare(&ch) : 0;
	if (rc < 0) {
		res->available = false;
		snprintf(res->why, sizeof(res->why), "%s",
			 ch.why[0] ? ch.why : strerror(-rc));
		if (ops->unprepare)
			ops->unprepare(&ch);
		return 0; /* unavailable is a result, not a failure */
	}
	res->available = true;
	pid_t pid = -1;
	if (ops->remote) {
		/* prepare() connected ch.ctl to a receiver elsewhere */
		ctl[0] = ch.ctl;
		rc = comm_remote_send_plan(ch.ctl, opts, plan);
		if (rc < 0) {
			snprintf(ch.why, sizeof(ch.why),
				 "failed: sending the plan to the receiver: %s",
				 strerror(-rc));
			goto unprep;
		}
	} else {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ctl) < 0) {
			rc = -errno;
			goto unprep;
		}
		fflush(NULL);
		pid = fork();
		if (pid < 0) {
			rc = -errno;
			goto unprep;
		}
		if (pid == 0) {
			close(ctl[0]);
			ch.role = COMM_RX;
			ch.ctl = ctl[1];
			comm_spin_peer_fd = ctl[1];
			pin(opts->cpu_rx);
			_exit(comm_rx_side(&ch, plan) < 0 ? 1 : 0);
		}
		close(ctl[1]);
		ctl[1] = -1;
	}
	ch.role = COMM_TX;
	ch.ctl = ctl[0];
	comm_spin_peer_fd = ctl[0];
	pin(opts->cpu_tx);

	rc = ops->open(&ch);
	int32_t st;
	if (comm_read_all(ch.ctl, &st, sizeof(st)) < 0)
		st = -EPIPE;
	if (rc == 0 && st < 0)
		rc = st;
	if (rc == 0)
		rc = run_tx(&ch, plan, res);
	if (rc < 0 && !ch.why[0])
		snprintf(ch.why, sizeof(ch.why), "failed: %s", strerror(-rc));
	if (ops->close)
		ops->close(&ch);
	close(ctl[0]);
	ctl[0] = -1;
	comm_spin_peer_fd = -1;
	if (pid > 0) {
		if (rc < 0)
			kill(pid, SIGKILL); /* our own child, stuck or not */
		int wst;
		while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
			;
		if (rc == 0 && !(WIFEXITED(wst) && WEXITSTATUS(wst) == 0)) {
			rc = -ECHILD;
			snprintf(ch.why, sizeof(ch.why), "receiver process failed");
		}
	}
	if (plan->keep_host_view && ops->host_view) {
		const void *p;
		size_t n;
		ops->host_view(&ch, &p, &n);
		if (p && n) {
			res->host_copy = malloc(n);
			if (res->host_copy) {
				memcpy(res->host_copy, p, n);
				res->host_len = n;
			}
		}
	}
unprep:
	if (restore)
		sched_setaffinity(0, sizeof(saved), &saved);
	snprintf(res->why, sizeof(res->why), "%s", ch.why);
	snprintf(res->note, sizeof(res->note), "%s", ch.note);
	if (ctl[0] >= 0)
		close(ctl[0]);
	if (ctl[1] >= 0)
		close(ctl[1]);
	if (ops->unprepare)
		ops->unprepare(&ch);
	return rc;
}

void comm_result_fini(struct comm_result *res)
{
	free(res->points);
	free(res->host_copy);
	memset(res, 0, sizeof(*res));
}
