/* SPDX-License-Identifier: Apache-2.0 */
/* Every conformance case, group by group, in the order the runners use. */
#include "cases.h"

static const struct {
	const struct ct_case *cases;
	const size_t *n;
} groups[] = {
	{ ct_cases_api, &ct_ncases_api },
	{ ct_cases_regions, &ct_ncases_regions },
	{ ct_cases_seal, &ct_ncases_seal },
	{ ct_cases_channel, &ct_ncases_channel },
	{ ct_cases_stress, &ct_ncases_stress },
};

size_t ct_case_count(void)
{
	size_t n = 0;
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
		n += *groups[g].n;
	return n;
}

const struct ct_case *ct_case_at(size_t i)
{
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		if (i < *groups[g].n)
			return &groups[g].cases[i];
		i -= *groups[g].n;
	}
	return NULL;
}

/* ---- the contexts a role opened (both harnesses) ------------------------ */

#define MAX_CTX 8
static struct caec_ctx *open_ctx[MAX_CTX];

struct caec_ctx *ct_open(void)
{
	struct caec_ctx *ctx = NULL;
	CT_OK(caec_open(&ctx, NULL));
	for (int i = 0; i < MAX_CTX; i++) {
		if (!open_ctx[i]) {
			open_ctx[i] = ctx;
			return ctx;
		}
	}
	ct_fail_at(__FILE__, __LINE__, "more than %d contexts open", MAX_CTX);
}

void ct_close(struct caec_ctx *ctx)
{
	for (int i = 0; i < MAX_CTX; i++)
		if (open_ctx[i] == ctx)
			open_ctx[i] = NULL;
	caec_close(ctx);
}

void ct_close_all(void)
{
	for (int i = 0; i < MAX_CTX; i++) {
		if (open_ctx[i])
			caec_close(open_ctx[i]);
		open_ctx[i] = NULL;
	}
}
