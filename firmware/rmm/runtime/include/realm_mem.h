/*
 * Protected realm memory named by an RSI call (runtime/rsi/realm_mem.c),
 * and the calls whose results reach the realm at its next REC entry.
 */
#ifndef REALM_MEM_H
#define REALM_MEM_H

#include <fw_utils.h>
#include <rmi-structs.h>

struct rec;
struct s2tt_ctx;

enum realm_mem {
	REALM_MEM_RAM,		/* mapped RAM: *va points at ipa */
	REALM_MEM_EMPTY,	/* RIPAS EMPTY */
	REALM_MEM_UNMAPPED,	/* RIPAS RAM not backed, or DESTROYED: *level is the walk level */
	/*
	 * Confidential shared memory (runtime/csm): the RMM never writes
	 * there on the realm's behalf (others map it, or it is read-only).
	 */
	REALM_MEM_CSM,
};

/*
 * Look up [ipa, ipa + len) (protected, within one granule) with the RD
 * lock held.
 */
enum realm_mem realm_mem_lookup(const struct s2tt_ctx *s2, uint64_t ipa, size_t len, void **va,
				int *level);

/* Fill exit with the stage-2 data abort the realm would take at ipa. */
void realm_mem_abort_exit(struct rmi_rec_exit *exit, uint64_t ipa, int level);

/*
 * At REC_ENTER, before the REC runs: deliver the host's answer to a
 * pending RSI_HOST_CALL (false = the RsiHostCall is not mapped: *exit is
 * a data abort for the host and the REC does not run), and the outcome of
 * a pending RSI_IPA_STATE_SET.
 */
bool host_call_complete(struct rec *rec, const struct rmi_rec_entry *entry,
			struct rmi_rec_exit *exit);
void ripas_change_complete(struct rec *rec, const struct rmi_rec_entry *entry);

#endif /* REALM_MEM_H */
