/*
 * GPT transitions of one granule between the Non-secure and Realm PAS,
 * with the cache maintenance the Arm ARM asks for around a PAS change
 * (the order follows TF-A's lib/gpt_rme gpt_delegate/gpt_undelegate):
 *
 *  NS -> Realm (delegate):
 *    1. DC CIPAPA (Realm): no line speculatively fetched under the new PAS;
 *    2. GPI = Realm, GPT TLB invalidation;
 *    3. DC CIPAPA (NS): no line of the old PAS left to be written back
 *       over realm data later.
 *  Realm -> NS (undelegate; the RMM has zeroed the granule):
 *    1. GPI = no access, GPT TLB invalidation: nobody writes it meanwhile;
 *    2. DC CIPAPA (Realm) and DC CIPAPA (NS): the RMM's zeroes reach
 *       memory, nothing stale remains in either PAS;
 *    3. GPI = NS, GPT TLB invalidation.
 * Each DC CIPAPA pass covers every line of the granule and ends with a
 * DSB so it completes before the next GPT write.
 */
#include <fw_utils.h>
#include <gpt.h>
#include <pas.h>

bool cipapa_operand(uint64_t pa, unsigned int gpi, uint64_t *xt)
{
	uint64_t pas;

	switch (gpi) {
	case GPI_SECURE:
		pas = 0UL;
		break;
	case GPI_NS:
		pas = CIPAPA_NS;
		break;
	case GPI_ROOT:
		pas = CIPAPA_NSE;
		break;
	case GPI_REALM:
		pas = CIPAPA_NSE | CIPAPA_NS;
		break;
	default:
		return false;	/* no access / any: not one PAS */
	}
	if ((pa & ~CIPAPA_PA_MASK) != 0UL) {
		return false;
	}
	*xt = pas | pa;
	return true;
}

static void cipapa_granule(uint64_t pa, unsigned int gpi)
{
	unsigned int line = pas_hw_line_size();
	uint64_t off, xt;

	for (off = 0U; off < GRANULE_SIZE; off += line) {
		if (cipapa_operand(pa + off, gpi, &xt)) {
			pas_hw_cipapa(xt);
		}
	}
	pas_hw_sync();
}

static void set_gpi(uint64_t pa, unsigned int gpi)
{
	(void)gpt_set_gpi(pa, gpi);
	pas_hw_tlbi();
}

bool gpt_transition(uint64_t pa, unsigned int from, unsigned int to)
{
	if (!GRANULE_ALIGNED(pa) || gpt_get_gpi(pa) != from) {
		return false;
	}
	if (from == GPI_NS && to == GPI_REALM) {
		cipapa_granule(pa, GPI_REALM);
		set_gpi(pa, GPI_REALM);
		cipapa_granule(pa, GPI_NS);
		return true;
	}
	if (from == GPI_REALM && to == GPI_NS) {
		set_gpi(pa, GPI_NO_ACCESS);
		cipapa_granule(pa, GPI_REALM);
		cipapa_granule(pa, GPI_NS);
		set_gpi(pa, GPI_NS);
		return true;
	}
	return false;
}
