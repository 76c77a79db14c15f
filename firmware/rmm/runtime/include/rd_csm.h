/*
 * The CSM part of a realm descriptor (runtime/csm).  It lives in the RD
 * granule and is protected by the CSM lock, not by the RD lock: every
 * reader and writer holds the CSM lock.
 */
#ifndef RD_CSM_H
#define RD_CSM_H

#include <fw_utils.h>

/* Size of core/csm's realm object (CSM_ALLOC_MAX; checked in runtime/csm). */
#define RD_CSM_REALM_OBJ_SIZE	256U

struct rd_csm {
	uint64_t id;		/* realm ID from REALM_ACTIVATE; 0 before, and after death */
	uint64_t meta;		/* PA of the first metadata granule (CSM_META_ADD), 0: none */
	uint64_t nmeta;		/* metadata granules on that list */
	uint64_t realm_obj[RD_CSM_REALM_OBJ_SIZE / 8U];	/* core/csm's realm object */
};

#endif /* RD_CSM_H */
