/*
 * Realm memory as RSI calls see it: an RSI call that names a protected IPA
 * (HOST_CALL, REALM_CONFIG) either finds RAM the RMM can use, finds RIPAS
 * EMPTY (the realm's own mistake: RSI_ERROR_INPUT), or finds RAM the host
 * has not mapped (RIPAS RAM and no DATA granule, or DESTROYED).  In the
 * last case the host must act, so the RMM reports a stage-2 data abort at
 * that IPA as a REC exit, as the realm's own access would (RMM v1.0 A4.2.2
 * for the host-call completion; TF-RMM does the same for the call).
 */
#include <realm.h>
#include <realm_mem.h>
#include <s2tt.h>
#include <smc-rmi.h>

enum realm_mem realm_mem_lookup(const struct s2tt_ctx *s2, uint64_t ipa, size_t len, void **va,
				int *level)
{
	struct s2tt_walk w;
	uint64_t e, entry_ipa;

	RMM_ASSERT(len > 0UL && (ipa & GRANULE_MASK) + len <= GRANULE_SIZE);
	RMM_ASSERT(s2tt_ipa_is_protected(s2, ipa));
	s2tt_walk_lock_unlock(s2, ipa & ~GRANULE_MASK, S2TT_PAGE_LEVEL, &w);
	e = w.table[w.index];
	*level = w.last_level;
	if (s2tte_get_ripas(e, w.last_level) == RIPAS_EMPTY) {
		return REALM_MEM_EMPTY;
	}
	if ((e & S2TTE_VALID) == 0UL || !s2tte_is_assigned(e, w.last_level)) {
		return REALM_MEM_UNMAPPED;
	}
	if (s2tte_is_csm(e, w.last_level)) {
		return REALM_MEM_CSM;
	}
	/* A page, or a block: the granule lies at the same offset in it. */
	entry_ipa = ipa & ~(s2tt_map_size(w.last_level) - 1UL);
	*va = (uint8_t *)plat_granule_va(s2tte_pa(e) + ((ipa & ~GRANULE_MASK) - entry_ipa)) +
	      (ipa & GRANULE_MASK);
	return REALM_MEM_RAM;
}

#define ESR_EC_DABT_LOWER	0x24UL
#define DFSC_TRANSLATION(l)	(0x4UL | (unsigned long)(l))

void realm_mem_abort_exit(struct rmi_rec_exit *exit, uint64_t ipa, int level)
{
	/* Non-emulatable abort at a protected IPA: EC, DFSC and HPFAR only. */
	exit->exit_reason = RMI_EXIT_SYNC;
	exit->esr = (ESR_EC_DABT_LOWER << 26) | DFSC_TRANSLATION(level);
	exit->far = 0UL;
	exit->hpfar = (ipa >> GRANULE_SHIFT) << 4;
}
