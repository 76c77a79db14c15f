/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/error against the public header: every enumerator of enum caec_err
 * in include/caec/error.h (read as text at run time, path in argv[1]) has
 * the name it is spelled with there.  An independent reading of the enum:
 * a table entry under the wrong index, two names swapped, or a value added
 * to the header but named wrongly in src/error.c all fail here, which the
 * conformance case args_strerror (names distinct and known) lets through.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "caec_test.h"

static const char *header_path;

static void test_every_enumerator_named_as_spelled(void **state)
{
	char line[512], name[64], want[80];
	bool seen[CAEC_ERR_COUNT] = { false };
	int value, n = 0;
	FILE *f = fopen(header_path, "r");

	(void)state;
	if (!f)
		fail_msg("cannot open %s", header_path);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " CAEC_%63[A-Z0-9_] = %d ,", name, &value) != 2)
			continue;
		if (value > 0 || value <= -CAEC_ERR_COUNT)
			fail_msg("CAEC_%s = %d is outside CAEC_ERR_COUNT (%d)", name, value,
				 CAEC_ERR_COUNT);
		if (seen[-value])
			fail_msg("value %d appears twice in %s", value, header_path);
		seen[-value] = true;
		snprintf(want, sizeof(want), "CAEC_%s", name);
		if (strcmp(caec_errname(value), want) != 0)
			fail_msg("caec_errname(%d) = \"%s\", the header names it %s", value,
				 caec_errname(value), want);
		n++;
	}
	fclose(f);
	/* Every value from CAEC_OK down, so the parse above did not miss one. */
	assert_int_equal(n, CAEC_ERR_COUNT);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s include/caec/error.h\n", argv[0]);
		return 2;
	}
	header_path = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_enumerator_named_as_spelled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
