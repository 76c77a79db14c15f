/*
 * RSI_HOST_CALL (RMM v1.0 B5.3.4, A4.5): the realm hands the host an
 * RsiHostCall (imm and x0..x30) through a REC exit, and the host's
 * answer (enter.gprs[0..30]) is written back into it at the next
 * REC_ENTER.
 */
#include <granule.h>
#include <realm.h>
#include <realm_mem.h>
#include <s2tt.h>
#include <smc-handler.h>
#include <smc-rmi.h>
#include <smc-rsi.h>

/*
 * RSI_HOST_CALL(addr)
 * Failure conditions (RSI_ERROR_INPUT): addr_align (not 256-byte
 * aligned), addr_bound (not a protected IPA).  Like TF-RMM, an RsiHostCall
 * on RIPAS EMPTY memory is RSI_ERROR_INPUT too (the realm's own access
 * would be an SEA), and so is one in confidential shared memory (the
 * host's answer would be written where other realms read: runtime/csm);
 * on RAM the host has not mapped, the REC exits with a
 * stage-2 data abort at addr and the call is made again once the realm
 * re-enters (the host maps the page first).
 * Success: REC exit RMI_EXIT_HOST_CALL with exit.imm and exit.gprs[0..30]
 * from the RsiHostCall; x0 is set when the host completes the call.
 */
void handle_rsi_host_call(struct rec *rec, struct rmi_rec_exit *exit, unsigned long addr,
			  struct rsi_result *res)
{
	struct granule *g;
	struct rsi_host_call *hc;
	enum realm_mem st;
	void *va = NULL;
	int level = 0;
	unsigned int i;

	if (!IS_ALIGNED(addr, sizeof(*hc)) || !s2tt_ipa_is_protected(&rec->s2, addr)) {
		res->x[0] = RSI_ERROR_INPUT;
		return;
	}
	g = find_lock_granule(rec->rd_addr, GRANULE_STATE_RD);
	RMM_ASSERT(g != NULL);
	st = realm_mem_lookup(&rec->s2, addr, sizeof(*hc), &va, &level);
	if (st == REALM_MEM_EMPTY || st == REALM_MEM_CSM) {
		res->x[0] = RSI_ERROR_INPUT;
	} else if (st == REALM_MEM_UNMAPPED) {
		realm_mem_abort_exit(exit, addr, level);
		res->exit = true;
		res->pending = true;
		res->retry = true;
	} else {
		hc = va;
		exit->exit_reason = RMI_EXIT_HOST_CALL;
		exit->imm = hc->imm;
		for (i = 0U; i < REC_HOST_CALL_NR_GPRS; i++) {
			exit->gprs[i] = hc->gprs[i];
		}
		rec->host_call_ipa = addr;
		rec->host_call_pending = 1U;
		res->exit = true;
		res->pending = true;	/* x0 is set when the host completes the call */
	}
	granule_unlock(g);
}

bool host_call_complete(struct rec *rec, const struct rmi_rec_entry *entry,
			struct rmi_rec_exit *exit)
{
	struct granule *g = find_lock_granule(rec->rd_addr, GRANULE_STATE_RD);
	struct rsi_host_call *hc;
	enum realm_mem st;
	void *va = NULL;
	int level = 0;
	unsigned int i;

	RMM_ASSERT(g != NULL);
	st = realm_mem_lookup(&rec->s2, rec->host_call_ipa, sizeof(*hc), &va, &level);
	if (st == REALM_MEM_UNMAPPED) {
		/* A4.2.2: the host unmapped it meanwhile; it must map it again. */
		granule_unlock(g);
		realm_mem_abort_exit(exit, rec->host_call_ipa, level);
		return false;
	}
	if (st == REALM_MEM_RAM) {
		hc = va;
		for (i = 0U; i < REC_HOST_CALL_NR_GPRS; i++) {
			hc->gprs[i] = entry->gprs[i];
		}
		rec->regs[0] = RSI_SUCCESS;
	} else {
		/*
		 * RIPAS EMPTY, or the page became CSM memory (shared: the
		 * host's values must not land there): only the realm itself
		 * could do that; no answer.
		 */
		rec->regs[0] = RSI_ERROR_INPUT;
	}
	granule_unlock(g);
	rec->host_call_pending = 0U;
	rec->host_call_ipa = 0UL;
	return true;
}
