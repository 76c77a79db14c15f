/*
 * RSI_IPA_STATE_SET (RMM v1.0 B5.3.6, A5.4): the realm asks for a RIPAS
 * change of [base, top); the RMM records it in the REC and exits to the
 * host (RMI_EXIT_RIPAS_CHANGE), which applies it with RMI_RTT_SET_RIPAS
 * (runtime/rmi/rtt.c), as far as it wants, and may reject a change to RAM
 * at the next REC_ENTER (enter.flags.ripas_response).
 */
#include <realm.h>
#include <realm_mem.h>
#include <s2tt.h>
#include <smc-handler.h>
#include <smc-rmi.h>
#include <smc-rsi.h>

/*
 * RSI_IPA_STATE_SET(base, top, ripas, flags) -> (new_base, response)
 * Failure conditions (RSI_ERROR_INPUT): base_align, top_align, size_valid
 * (top <= base), rgn_bound ([base, top) not all protected), ripas_valid
 * (neither EMPTY nor RAM).  X3[63:8] and flags[63:1] are SBZ and ignored.
 * Success: REC exit RMI_EXIT_RIPAS_CHANGE with exit.ripas_base/top/value;
 * new_base and response arrive at the next REC entry.
 */
void handle_rsi_ipa_state_set(struct rec *rec, struct rmi_rec_exit *exit, unsigned long base,
			      unsigned long top, unsigned long ripas, unsigned long flags,
			      struct rsi_result *res)
{
	ripas &= 0xFFUL;
	if (!GRANULE_ALIGNED(base) || !GRANULE_ALIGNED(top) || top <= base ||
	    !s2tt_ipa_is_protected(&rec->s2, base) || !s2tt_ipa_is_protected(&rec->s2, top - 1UL) ||
	    (ripas != RIPAS_EMPTY && ripas != RIPAS_RAM)) {
		res->x[0] = RSI_ERROR_INPUT;
		return;
	}
	rec->ripas_pending = 1U;
	rec->ripas_addr = base;
	rec->ripas_top = top;
	rec->ripas_value = ripas;
	rec->ripas_destroyed = (unsigned int)(flags & RSI_CHANGE_DESTROYED);
	exit->exit_reason = RMI_EXIT_RIPAS_CHANGE;
	exit->ripas_base = base;
	exit->ripas_top = top;
	exit->ripas_value = ripas;
	res->exit = true;
	res->pending = true;
}

void ripas_change_complete(struct rec *rec, const struct rmi_rec_entry *entry)
{
	bool reject = (entry->flags & REC_ENTRY_FLAG_RIPAS_RESPONSE) != 0UL;

	if (rec->ripas_pending == 0U) {
		return;
	}
	/* RecRipasChangeResponse (B3.40): only an unfinished change to RAM. */
	rec->regs[0] = RSI_SUCCESS;
	rec->regs[1] = rec->ripas_addr;
	rec->regs[2] = (rec->ripas_value == RIPAS_RAM && rec->ripas_addr != rec->ripas_top &&
			reject) ? RSI_REJECT : RSI_ACCEPT;
	/* A4.3.8: outside a RIPAS change exit, ripas_addr = ripas_top = 0. */
	rec->ripas_pending = 0U;
	rec->ripas_addr = 0UL;
	rec->ripas_top = 0UL;
}
