/*
 * ring_doorbell.pml -- Promela model of the caec SPSC ring + doorbell
 * protocol (core/ring/src/spsc.c, core/doorbell/src/doorbell.c).
 *
 * Checked by core/ring/tests/spin_check.sh:
 *   safety  (pan -DSAFETY -DNOCLAIM): assertions -- every message arrives
 *           exactly once and in order, the producer never overwrites an
 *           unconsumed record -- and no invalid end state: no process
 *           blocks forever (a lost wake-up leaves a sleeper blocked; a
 *           deadlock leaves both), for every interleaving.
 *   liveness (pan -a -f, LTL "live"): under weak fairness every run
 *           delivers all messages (or observes the close) -- no livelock.
 * Both with -DWITH_CLOSE too: a third process closes/revokes at any
 * moment and kicks both doorbells (channel.c kick_all()); every sleeper
 * must still return.
 *
 * Model vs code.  Records are abstracted to one slot per message (the
 * byte-level length/padding checks are tested by the C tests and the
 * fuzzer; they do not affect synchronization).  The SPSC fast path is
 * modelled: the producer zeroes the next header slot when it is free and
 * flags the record NEXT_CLEAR; the consumer then polls that slot instead
 * of tail -- the assertion in consumer() checks that a polled slot never
 * shows a stale header.  So is the producer's zeroed window (spsc.c
 * zero_ahead(), and zero_predicted(), whose one slot is the window's
 * first in this one-slot-per-record model): after publishing, it may zero
 * any number of further free slots (a non-deterministic count, which
 * covers every stale view of head the code may use), and a later record
 * whose next slot lies in the window is flagged NEXT_CLEAR without a
 * store.  (Padding, shrunk commits and cancels are not modelled; the C
 * tests cover them.  Being sequentially consistent, the model cannot show
 * a data race either -- such as the window's plain stores touching the
 * slot the consumer polls; test_ring_predicted_then_small_threaded under
 * ThreadSanitizer does.)  Shared accesses are
 * sequentially consistent here; the code gets the same orderings from its
 * release/acquire pairs plus the two seq_cst fences of the doorbell (the
 * Dekker handshake "announce; fence; re-check" vs "publish; fence; read
 * word"), which is exactly what makes the SC model sound for it.
 * -DMUTANT_NO_RECHECK removes the waiter's re-check after announcing,
 * -DMUTANT_NO_CLEAR sets NEXT_CLEAR without zeroing the slot, and
 * -DMUTANT_ZERO_UNFREE lets the window grow one slot past the free space;
 * the check script requires that all three variants FAIL (a lost wake-up;
 * a stale header read as a message; an unread record wiped), which shows
 * the model can find such bugs.
 * The futex is modelled as: atomically compare the word and enqueue, then
 * block until dequeued by a wake; optionally (-DSPURIOUS) a sleep may also
 * return at any time.
 */

#ifndef N
#define N 2          /* ring capacity, in records */
#endif
#ifndef M
#define M 4          /* messages sent */
#endif
#define WAITERS 1    /* doorbell bit 0 */

byte slot[N];        /* record payloads */
byte hdr[N];         /* record header slots: 0 = zero (cleared), else the
                        stamp: position + 1 (COMMIT) -- stale values from
                        an earlier lap stay until overwritten or cleared */
bool nclear[N];      /* the record's NEXT_CLEAR flag */
bool poll = true;    /* consumer: r->poll_next (fresh ring: all zero) */
byte clear_to = 0;   /* producer (private): slots [tail, clear_to) are zero */
/* In tail mode the consumer needs tail > head: after polled records tail
 * may lag behind head until the producer's commit stores it
 * (spsc.c: tail_lag_ok -> CAEC_E_AGAIN). */
byte tail = 0;       /* prod.tail  (free-running; byte arithmetic wraps) */
byte head = 0;       /* cons.head */
byte data_bell = 0;  /* data_bell.word:  seq << 1 | WAITERS */
byte space_bell = 0; /* space_bell.word */
bool data_q = false; /* futex queue on data_bell: the consumer sleeps */
bool space_q = false;/* futex queue on space_bell: the producer sleeps */
bool closed = false; /* channel.c: ch->closed / peer state CLOSED */
byte received = 0;
byte finished = 0;   /* processes that returned */
bool done = false;

/* futex_sleep() in src/channel/futex.c: FUTEX_WAIT(word, val). */
inline futex_wait(word, val, q)
{
	atomic { if :: word == val -> q = true :: else -> skip fi };
#ifdef SPURIOUS
	if :: (q == false) :: q = false fi
#else
	(q == false)
#endif
}

/* futex_wake() in futex.c: FUTEX_WAKE(word, INT_MAX). */
inline futex_wake(q)
{
	q = false
}

/*
 * doorbell_wait() in doorbell.c, after the spin phase (spinning only
 * re-evaluates cond, which the loop below does too).  `cond` is the
 * condition expression; on return it held or closed was seen.
 */
inline doorbell_wait(word, q, cond)
{
	do
	:: (cond || closed) -> break          /* [spin phase / cond(arg)] */
	:: else ->
		v = word;                      /* [model: waiter announces] load */
		if
		:: (v & WAITERS) == 0 ->
			atomic {                /* ca_cas_u32(word, &e, v|W) */
				if
				:: word == v -> word = v | WAITERS; v = v | WAITERS
				:: else -> v = word
				fi
			}
		:: else -> skip
		fi;
		/* ca_fence(); [model: waiter re-checks] */
		if
#ifdef MUTANT_NO_RECHECK
		:: false -> break   /* deliberately broken: must fail */
#else
		:: (cond || closed) -> break
#endif
		:: else ->
			if
			:: (v & WAITERS) == 0 -> skip   /* CAS lost: retry */
			:: else -> futex_wait(word, v, q) /* [model: waiter sleeps] */
			fi
		fi
	od
}

/* doorbell_notify() in doorbell.c, called after the publication. */
inline doorbell_notify(word, q)
{
	e = word;                              /* ca_fence(); [notifier checks waiters] */
	do
	:: (e & WAITERS) == 0 -> break
	:: else ->
		atomic {                        /* [model: notifier bumps] CAS */
			if
			:: word == e -> word = (e + 2) & 254; ok = true
			:: else -> e = word; ok = false
			fi
		};
		if
		:: ok -> futex_wake(q); break   /* [model: notifier wakes] */
		:: else -> skip
		fi
	od
}

/* doorbell_kick(): bump unconditionally and wake all. */
inline doorbell_kick(word, q)
{
	atomic { word = (word + 2) & 255 };
	futex_wake(q)
}

/* Producer: channel.c tx_op() -> ring_send() -> doorbell_notify(data). */
proctype producer()
{
	byte i = 0, v, e;
	bool ok, nc;
	do
	:: i < M ->
		/* room check = ring_can_send(): tail - head < N (refresh_head) */
		doorbell_wait(space_bell, space_q, ((tail - head) < N));
		if
		:: closed -> break
		:: else -> skip
		fi;
		assert((tail - head) < N);  /* never overwrite unread data */
		slot[tail % N] = i;                /* write the payload in place */
		/* ring_spsc_commit(): the slot after the record is already
		 * zero when it lies in the zeroed window; else zero it if it
		 * is free (next + 8 - head <= capacity); remember NEXT_CLEAR */
		if
		:: clear_to > tail + 1 -> nc = true /* in the window: no store */
		:: else ->
			if
#ifdef MUTANT_NO_CLEAR
			:: (tail + 1 - head) < N -> nc = true  /* broken: flag without zeroing */
#else
			:: (tail + 1 - head) < N -> hdr[(tail + 1) % N] = 0; nc = true
#endif
			:: else -> nc = false
			fi;
			clear_to = tail + 1 + nc        /* the window after the record */
		fi;
		nclear[tail % N] = nc;
		hdr[tail % N] = tail + 1;          /* put_hdr(): store_release */
		tail = tail + 1;                   /* ring_spsc_commit(): store_release(tail) */
		/* [model: producer zeroes ahead] zero_ahead(): any number of
		 * further slots, each below head + capacity when zeroed */
		do
#ifdef MUTANT_ZERO_UNFREE
		:: (clear_to - head) <= N -> hdr[clear_to % N] = 0; clear_to++ /* broken */
#else
		:: (clear_to - head) < N -> hdr[clear_to % N] = 0; clear_to++
#endif
		:: break
		od;
		doorbell_notify(data_bell, data_q);
		i++
	:: else -> break
	od;
	finished++
}

/* Consumer: channel.c rx_op() -> ring_recv() -> doorbell_notify(space).
 * readiness = ring_can_recv(): poll the header slot when NEXT_CLEAR said
 * it was cleared, else compare tail.  rx_op() notifies after every call
 * that moved head (also a peek or an empty result that only passed skip
 * records, which this model does not have): each head move below is
 * followed by the notify, as in the C code. */
proctype consumer()
{
	byte v, e;
	bool ok;
	do
	:: received < M ->
		doorbell_wait(data_bell, data_q,
			      ((poll && hdr[head % N] != 0) || (!poll && tail > head)));
		if
		:: (poll && hdr[head % N] == 0) && closed -> break
		:: (!poll && tail <= head) && closed -> break  /* CAEC_E_CLOSED */
		:: else -> skip
		fi;
		/* ring_spsc_peek(): the header found must be the fresh one for
		 * this position -- a stale header from an earlier lap would be
		 * a protocol bug (no stale value may appear in a polled slot) */
		assert(hdr[head % N] == head + 1);
		/* no loss, duplication or reordering */
		assert(slot[head % N] == received);
		poll = nclear[head % N];
		received++;
		head = head + 1;                   /* publish_head(): store_release */
		doorbell_notify(space_bell, space_q)
	:: else -> break
	od;
	finished++
}

#ifdef WITH_CLOSE
/* The region's event handler (channel.c on_region_event) or the peer's
 * caec_channel_destroy(): mark closed, then kick every doorbell. */
proctype closer()
{
	closed = true;
	doorbell_kick(data_bell, data_q);
	doorbell_kick(space_bell, space_q);
	finished++
}
#endif

init
{
	atomic {
		run producer();
		run consumer();
#ifdef WITH_CLOSE
		run closer();
#endif
	}
#ifdef WITH_CLOSE
	(finished == 3); /* every other process returned */
#else
	(finished == 2);
#endif
#ifndef WITH_CLOSE
	assert(received == M);
#endif
	done = true
}

/* Under weak fairness, every run terminates with everything delivered
 * (or, with WITH_CLOSE, terminates). */
ltl live { <> done }
