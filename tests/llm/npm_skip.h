/* SPDX-License-Identifier: Apache-2.0 */
/*
 * For tests that need a set of npm packages (tools/npm/<set>, installed by
 * scripts/setup.sh): if the set is not installed, skip (exit 77) with the
 * reason setup recorded -- but only if setup recorded that the install
 * failed.  A set that was never installed (setup not run) is a failure:
 * CI runs setup first, so a missing set there is a bug, not a reason.
 */
#ifndef CAEC_TESTS_LLM_NPM_SKIP_H
#define CAEC_TESTS_LLM_NPM_SKIP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Returns if `probe` (a file of the set) exists; exits otherwise. */
static inline void npm_set_required(const char *npm_dir, const char *set,
				    const char *probe)
{
	char path[4096], line[1024];

	if (access(probe, R_OK) == 0)
		return;
	snprintf(path, sizeof(path), "%s/%s/install-status", npm_dir, set);
	FILE *fp = fopen(path, "r");
	if (fp && fgets(line, sizeof(line), fp) && !strncmp(line, "failed:", 7)) {
		fclose(fp);
		printf("SKIP: npm package set '%s' could not be installed: %s", set,
		       line + 8);
		exit(77);
	}
	if (fp)
		fclose(fp);
	fprintf(stderr, "%s is missing and %s records no failed install: run "
		"scripts/setup.sh\n", probe, path);
	exit(1);
}

#endif /* CAEC_TESTS_LLM_NPM_SKIP_H */
