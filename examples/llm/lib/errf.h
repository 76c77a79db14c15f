/* SPDX-License-Identifier: Apache-2.0 */
/* The error convention of the engine library's set-up calls. */
#ifndef CAEC_LLM_ERRF_H
#define CAEC_LLM_ERRF_H

#include <stddef.h>

/* Format a message into err (errlen bytes; err may be NULL, errlen 0) and
 * return -1, so a failing call reads `return llm_errf(err, errlen, ...)`. */
int llm_errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
