/* Where an UNDEF for a lower EL goes (see undef.h); no hardware access. */
#include <undef.h>

#define SPSR_M_SP	0x1UL		/* SPx (ELxh) rather than SP_EL0 */
#define SPSR_M_EL_SHIFT	2
#define SPSR_M_RW	(1UL << 4)	/* AArch32 */
#define SPSR_DAIF	(0xFUL << 6)
#define SPSR_PAN	(1UL << 22)
#define VEC_CUR_SP0	0x000UL
#define VEC_CUR_SPX	0x200UL
#define VEC_LOWER_A64	0x400UL

bool undef_target(uint64_t spsr_el3, bool tge, bool target_span, struct undef_target *t)
{
	unsigned int src = (unsigned int)((spsr_el3 >> SPSR_M_EL_SHIFT) & 0x3UL);

	if ((spsr_el3 & SPSR_M_RW) != 0UL || src == 3U) {
		return false;
	}
	if (src == 0U) {
		t->el = tge ? 2U : 1U;
		t->vector = VEC_LOWER_A64;
	} else {
		t->el = src;
		t->vector = ((spsr_el3 & SPSR_M_SP) != 0UL) ? VEC_CUR_SPX : VEC_CUR_SP0;
	}
	/* ELxh, every exception masked; PAN as exception entry to EL1 sets it. */
	t->spsr = ((uint64_t)t->el << SPSR_M_EL_SHIFT) | SPSR_M_SP | SPSR_DAIF;
	if (t->el == 1U && (!target_span || (spsr_el3 & SPSR_PAN) != 0UL)) {
		t->spsr |= SPSR_PAN;
	}
	return true;
}
