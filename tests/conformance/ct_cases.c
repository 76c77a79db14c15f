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
