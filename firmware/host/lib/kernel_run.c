/* Realms running the realm kernel, over CSM, with timers: see kernel_run.h. */
#include "kernel_run.h"

#include <caec_sip.h>
#include <realm_harness.h>
#include <realm_image.h>
#include <smc-csm.h>
#include <string.h>

#define ESR_EC(esr)	(((esr) >> 26) & 0x3FUL)
#define ESR_EC_WFX	0x01UL
#define LR_VTIMER	((1UL << 62) | (1UL << 60) | (0xA0UL << 48) | 27UL)	/* pending, G1 */
#define LR_STATE(lr)	(((lr) >> 62) & 3UL)
#define CNT_ASSERTED(ctl) (((ctl) & 7UL) == 5UL)	/* ENABLE, ISTATUS, !IMASK */
#define QUEUE_LEN	64U

struct msg {
	uint64_t tag, value;
};

/* Messages from realm `from` to realm `to`, oldest first. */
struct queue {
	struct msg m[QUEUE_LEN];
	unsigned int head, len;
};

static struct host_realm *realms;
static struct host_csm *csms;
static unsigned int nrealms;
static host_krun_msg_fn host_msg;
static struct queue queues[HOST_KRUN_MAX][HOST_KRUN_MAX];
static struct queue host_queues[HOST_KRUN_MAX];	/* from the host scenario */
/* Exits are handled one at a time when realms run on two CPUs (host_krun_one). */
static uint32_t exit_lock;
static uint64_t wait_until[HOST_KRUN_MAX];	/* timed WFI: not before its timer */
static long exit_status[HOST_KRUN_MAX];
static unsigned int injected, irq_exits, wfx_exits, sent, delivered;

long host_krun_exit_status(unsigned int i)
{
	return (i < nrealms) ? exit_status[i] : -1;
}

/* Realm j has something to do: enter it again (a doorbell does the same). */
static void wake(unsigned int j)
{
	if (csms[j].waiting) {
		csms[j].waiting = false;
	} else {
		csms[j].bell = true;
	}
}

static uint64_t peer_send(unsigned int from, uint64_t to, uint64_t tag, uint64_t value)
{
	struct queue *q;

	if (to == HC_PEER_HOST) {
		if (host_msg != NULL) {
			host_msg(from, tag, value);
		}
		return 0U;
	}
	if (to >= nrealms) {
		return 2U;
	}
	q = &queues[from][to];
	if (q->len == QUEUE_LEN) {
		return 1U;
	}
	q->m[(q->head + q->len) % QUEUE_LEN] = (struct msg){ tag, value };
	q->len++;
	sent++;
	wake((unsigned int)to);
	return 0U;
}

/* The oldest message from `from` to `to` with this tag; older tags are dropped. */
static bool peer_recv(uint64_t from, unsigned int to, uint64_t tag, uint64_t *value)
{
	struct queue *q;

	if (from == HC_PEER_HOST) {
		q = &host_queues[to];
	} else if (from >= nrealms) {
		return false;
	} else {
		q = &queues[from][to];
	}
	while (q->len > 0U && q->m[q->head].tag < tag) {
		q->head = (q->head + 1U) % QUEUE_LEN;
		q->len--;
	}
	if (q->len == 0U || q->m[q->head].tag != tag) {
		return false;
	}
	*value = q->m[q->head].value;
	q->head = (q->head + 1U) % QUEUE_LEN;
	q->len--;
	delivered++;
	return true;
}

static bool host_call(unsigned int i, struct rmi_rec_run *run)
{
	const struct rmi_rec_exit *e = &run->exit;
	uint64_t v = 0U;

	switch (e->imm) {
	case HC_PEER_INFO:
		memset(run->entry.gprs, 0, sizeof(run->entry.gprs));
		run->entry.gprs[0] = nrealms;
		run->entry.gprs[1] = i;
		return true;
	case HC_PEER_SEND:
		memset(run->entry.gprs, 0, sizeof(run->entry.gprs));
		run->entry.gprs[0] = peer_send(i, e->gprs[0], e->gprs[1], e->gprs[2]);
		return true;
	case HC_PEER_RECV:
		memset(run->entry.gprs, 0, sizeof(run->entry.gprs));
		if (peer_recv(e->gprs[0], i, e->gprs[1], &v)) {
			run->entry.gprs[0] = 1U;
			run->entry.gprs[1] = v;
		}
		return true;
	case REALM_HOST_CALL_PLATFORM_KEY:
		host_answer_platform_key(run);
		return true;
	case REALM_HOST_CALL_EXIT:
		exit_status[i] = (long)e->gprs[0];
		fw_printf("[host] realm%u REC0 reports exit status %ld\n", i, exit_status[i]);
		return false;	/* the default handling answers the host call */
	default:
		return host_csm_exit(&csms[i], run);
	}
}

/* A trapped WFI: wait for the virtual timer if it is armed, else for a wake-up. */
static void wfi(unsigned int i, const struct rmi_rec_exit *e)
{
	struct host_csm *c = &csms[i];

	wfx_exits++;
	c->wfis++;
	if (c->bell) {
		c->bell = false;	/* a doorbell or a message came meanwhile */
		return;
	}
	if ((e->cntv_ctl & 1UL) != 0UL) {
		if (!CNT_ASSERTED(e->cntv_ctl)) {
			wait_until[i] = e->cntv_cval;
		}
		return;
	}
	c->waiting = true;
}

static bool krun_exit_locked(struct host_realm *r, unsigned int k, struct rmi_rec_run *run)
{
	const struct rmi_rec_exit *e = &run->exit;
	unsigned int i = r->idx;

	(void)k;
	run->entry.gicv3_lrs[0] = e->gicv3_lrs[0];
	if (CNT_ASSERTED(e->cntv_ctl) && LR_STATE(e->gicv3_lrs[0]) == 0UL) {
		run->entry.gicv3_lrs[0] = LR_VTIMER;
		injected++;
		wait_until[i] = 0UL;
	}
	switch (e->exit_reason) {
	case RMI_EXIT_CSM_POPULATE:
	case RMI_EXIT_CSM_RELEASE:
	case RMI_EXIT_CSM_META:
	case RMI_EXIT_CSM_DOORBELL:
		return host_csm_exit(&csms[i], run);
	case RMI_EXIT_IRQ:
		(void)host_irq_ack();
		irq_exits++;
		return true;
	case RMI_EXIT_SYNC:
		if (ESR_EC(e->esr) != ESR_EC_WFX) {
			return false;
		}
		wfi(i, e);
		return true;
	case RMI_EXIT_HOST_CALL:
		return host_call(i, run);
	default:
		return false;
	}
}

static bool krun_exit(struct host_realm *r, unsigned int k, struct rmi_rec_run *run)
{
	bool handled;

	while (__atomic_exchange_n(&exit_lock, 1U, __ATOMIC_ACQUIRE) != 0U) {
		__asm__ volatile("yield");
	}
	handled = krun_exit_locked(r, k, run);
	__atomic_store_n(&exit_lock, 0U, __ATOMIC_RELEASE);
	return handled;
}

void host_krun_begin(struct host_realm *rs, struct host_csm *cs, unsigned int n,
		     host_krun_msg_fn on_msg)
{
	unsigned int i;

	realms = rs;
	csms = cs;
	nrealms = (n > HOST_KRUN_MAX) ? HOST_KRUN_MAX : n;
	host_msg = on_msg;
	memset(queues, 0, sizeof(queues));
	memset(host_queues, 0, sizeof(host_queues));
	for (i = 0U; i < nrealms; i++) {
		wait_until[i] = 0UL;
		exit_status[i] = -1;
	}
}

void host_krun(struct host_realm *rs, struct host_csm *cs, unsigned int n, host_krun_msg_fn on_msg,
	       unsigned int slice_ms)
{
	host_krun_begin(rs, cs, n, on_msg);
	host_krun_loop(slice_ms, NULL);
}

uint64_t host_krun_post(unsigned int to, uint64_t tag, uint64_t value)
{
	struct queue *q;
	uint64_t rc = 1U;

	while (__atomic_exchange_n(&exit_lock, 1U, __ATOMIC_ACQUIRE) != 0U) {
		__asm__ volatile("yield");
	}
	if (to < nrealms && host_queues[to].len < QUEUE_LEN) {
		q = &host_queues[to];
		q->m[(q->head + q->len) % QUEUE_LEN] = (struct msg){ tag, value };
		q->len++;
		sent++;
		wake(to);
		rc = 0U;
	}
	__atomic_store_n(&exit_lock, 0U, __ATOMIC_RELEASE);
	return rc;
}

/*
 * Realm i alone on the calling CPU, with no preemption timer, until it
 * powers off: entered again at every exit, or when its timer is due after
 * a timed WFI.  An untimed WFI waits for a wake-up from the other CPU.
 */
void host_krun_one(unsigned int i)
{
	struct host_realm *r = &realms[i];
	struct rmi_rec_run *run = (struct rmi_rec_run *)(uintptr_t)r->run[0];

	while (realm_alive(r)) {
		if (csms[i].waiting ||
		    (wait_until[i] != 0UL && host_now() < wait_until[i] && !csms[i].bell)) {
			__asm__ volatile("yield");
			continue;
		}
		csms[i].bell = false;
		wait_until[i] = 0UL;
		run->entry.flags = REC_ENTRY_FLAG_TRAP_WFI | REC_ENTRY_FLAG_TRAP_WFE;
		realm_step(r, 0U, krun_exit);
	}
}

void host_krun_loop(unsigned int slice_ms, bool (*stop)(void))
{
	uint64_t slice = host_ticks_per_ms() * slice_ms;
	unsigned int i;

	for (;;) {
		unsigned int alive = 0U, entered = 0U, untimed = 0U;
		uint64_t now = host_now();

		for (i = 0U; i < nrealms; i++) {
			struct host_realm *r = &realms[i];
			struct rmi_rec_run *run = (struct rmi_rec_run *)(uintptr_t)r->run[0];

			if (!realm_alive(r)) {
				continue;
			}
			alive++;
			if (csms[i].waiting) {
				untimed++;
				continue;
			}
			if (wait_until[i] != 0UL && now < wait_until[i] && !csms[i].bell) {
				continue;
			}
			csms[i].bell = false;
			wait_until[i] = 0UL;
			entered++;
			/* A realm that rang a doorbell runs on (its peer just became runnable). */
			do {
				run->entry.flags = REC_ENTRY_FLAG_TRAP_WFI | REC_ENTRY_FLAG_TRAP_WFE;
				host_slice_arm(slice);
				realm_step(r, 0U, krun_exit);
				host_slice_disarm();
			} while (run->exit.exit_reason == RMI_EXIT_CSM_DOORBELL && realm_alive(r));
		}
		if (alive == 0U || (stop != NULL && stop())) {
			break;
		}
		if (entered == 0U && untimed == alive) {
			fw_printf("[host] FAIL: every live realm waits with no timer: a wake-up was "
				  "lost\n");
			host_count_failure();
			break;
		}
	}
}

void host_krun_report(void)
{
	fw_printf("[host] realm kernels: %u trapped WFx, %u virtual timer injections, %u preempted by "
		  "the host timer; peer harness: %u messages sent, %u delivered\n", wfx_exits,
		  injected, irq_exits, sent, delivered);
	host_csm_report();
}
