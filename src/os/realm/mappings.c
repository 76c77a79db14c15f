/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec_region_export_fd() in a realm (src/os/os.h): no backend exports here
 * (the RSI backend has no export_fd yet: the CSM driver's call is designed
 * in docs/abi.md, not implemented), so none of this is reached.  Should it
 * be, the answer is "not supported", and there is nothing to unmap: the
 * driver would remove the mappings it made itself.
 */
#include <caec/error.h>

#include "../os.h"

int caec_os_export_check(int fd, size_t size, const void *addr,
			 struct caec_os_file *f)
{
	(void)fd;
	(void)size;
	(void)addr;
	(void)f;
	return CAEC_E_NOTSUP;
}

void caec_os_unmap_files(const struct caec_os_file *files, unsigned n)
{
	(void)files;
	(void)n;
}
