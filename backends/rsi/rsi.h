/* SPDX-License-Identifier: Apache-2.0 */
/* Internal to the RSI backend: shared by its files. */
#ifndef CAEC_BACKENDS_RSI_RSI_H
#define CAEC_BACKENDS_RSI_RSI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The driver's errno (negative CAEC_DRV_E*, or 0) as an enum caec_err. */
int rsi_err(int neg_errno);

/*
 * The mappings this process holds of regions through /dev/caec (every
 * open file), for the doorbell sleep/wake of words inside them.  id: the
 * region ID (provider) or grant ID (consumer), as WAIT and NOTIFY name it.
 */
int rsi_words_add(void *addr, size_t size, int fd, uint64_t id, bool provider);
void rsi_words_remove(void *addr);

/*
 * platform_key.c: the platform key from the driver on fd, checked against
 * the kid in a token of this realm's own, as NUL-terminated PEM into pem.
 * Its length, or CAEC_E_PLATFORM_KEY (not the key of this realm's
 * platform), CAEC_E_NOTSUP (the driver or machine has none), ...
 */
int rsi_platform_key_fetch(int fd, char *pem, size_t cap);

#endif
