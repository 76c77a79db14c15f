/* RMI_VERSION and RMI_FEATURES. */
#include <plat.h>
#include <realm.h>
#include <smc-handler.h>
#include <smc-rmi.h>

#define RMM_MAX_S2SZ	48UL

/*
 * RMI_VERSION
 *   x1: requested interface version (major << 16 | minor)
 * Out:
 *   x0: RMI_SUCCESS if the requested version is implemented, else
 *       RMI_ERROR_INPUT
 *   x1: lower implemented version, x2: higher implemented version
 */
void smc_version(unsigned long req, struct smc_result *res)
{
	res->x[0] = (req == RMI_ABI_VERSION) ? RMI_SUCCESS : RMI_ERROR_INPUT;
	res->x[1] = RMI_ABI_VERSION;
	res->x[2] = RMI_ABI_VERSION;
}

/*
 * RMI_FEATURES(index) -> value
 * No failure conditions.  Register 0: S2SZ 48, SHA-256 only, no LPA2, SVE
 * or PMU, NUM_BPS = NUM_WPS = 1 (two of each), MAX_RECS_ORDER 8 (255
 * RECs), GICV3_NUM_LRS = the list registers the GIC has, minus one.  Other
 * indices read as zero.
 */
void smc_features(unsigned long index, struct smc_result *res)
{
	res->x[0] = RMI_SUCCESS;
	res->x[1] = (index == 0UL) ?
		    (RMM_MAX_S2SZ | RMI_FEATURE_REGISTER_0_HASH_SHA_256 |
		     (REALM_NUM_BPS << RMI_FEATURE_REGISTER_0_NUM_BPS_SHIFT) |
		     (REALM_NUM_WPS << RMI_FEATURE_REGISTER_0_NUM_WPS_SHIFT) |
		     ((unsigned long)(plat_gic_num_lrs() - 1U) << RMI_FEATURE_REGISTER_0_GICV3_NUM_LRS_SHIFT) |
		     ((unsigned long)REALM_MAX_RECS_ORDER << RMI_FEATURE_REGISTER_0_MAX_RECS_ORDER_SHIFT)) :
		    0UL;
}
