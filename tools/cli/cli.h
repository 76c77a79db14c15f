/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One command-line style for every caec program (getopt_long underneath):
 *
 *   --help      the usage, every option with its meaning and default, and
 *               what the program's exit statuses mean; exit 0
 *   --version   "<program> <caec version>"; exit 0
 *   an unknown option, a missing argument, an argument given to a switch,
 *   an ambiguous abbreviation or a malformed value: named on stderr with
 *   "Try '<program> --help'.", exit 2
 *
 * Long options may be abbreviated to a unique prefix (getopt_long), so
 * e.g. --no-plot still means --no-plots.  Operands and options may come in
 * any order; "--" ends the options.
 *
 * A program describes itself once, in a struct cli, and loops on
 * cli_next().  The help text doubles as the source of the man pages: keep
 * each option's text complete (meaning, unit, default).
 */
#ifndef CAEC_TOOLS_CLI_H
#define CAEC_TOOLS_CLI_H

#include <stdio.h>

/* Exit status for usage errors, as in every caec program. */
#define CLI_EXIT_USAGE 2

struct cli_opt {
	const char *name; /* long name, without "--"; NULL ends the table */
	int key;          /* short option letter, or >= 256 for a long one only */
	const char *arg;  /* NULL: a switch; else the argument's name ("DIR") */
	const char *help; /* meaning and default; '\n' continues on a new line */
};

struct cli {
	const char *prog;     /* "caec-bench-ring", "caec-token verify" */
	const char *usage;    /* the synopsis after the program's name; more
			       * synopsis lines after '\n' are printed whole */
	const char *about;    /* what the program does (may be NULL) */
	const struct cli_opt *opts;
	const char *footer;   /* exit statuses, environment, files (may be NULL) */
	const char *version_note; /* appended to --version's line (may be NULL) */
	int stop_at_operand;  /* options end at the first operand (a command
			       * with options of its own follows) */
	int started;          /* private: cli_next() has reset getopt */
};

/*
 * The next option: returns its key and sets *arg to its argument (NULL for
 * a switch); -1 when the options are done, and then cli_operand_index()
 * gives argv's first operand.  --help and --version are handled here and
 * exit; so does every usage error.
 */
int cli_next(struct cli *c, int argc, char **argv, const char **arg);

/* Index in argv of the first operand, once cli_next() has returned -1. */
int cli_operand_index(void);

/* The help (what --help prints). */
void cli_help(const struct cli *c, FILE *f);

/* "<prog>: <message>", "Try '<prog> --help'." on stderr, exit 2. */
__attribute__((noreturn, format(printf, 2, 3)))
void cli_usage_error(const struct cli *c, const char *fmt, ...);

/*
 * Values of options: each returns the value or reports a usage error
 * naming the option (opt, e.g. "--rounds") and the bad text.
 */
/* A whole number (decimal, or hex with 0x) in [lo, hi]. */
unsigned long long cli_uint(const struct cli *c, const char *opt, const char *s,
			    unsigned long long lo, unsigned long long hi);
/* A finite decimal number in [lo, hi]. */
double cli_double(const struct cli *c, const char *opt, const char *s, double lo,
		  double hi);
/* A byte count in [lo, hi]: a whole number with an optional K, M or G
 * suffix (powers of 1024), optionally followed by B or iB: 64, 4K, 1MiB. */
unsigned long long cli_size(const struct cli *c, const char *opt, const char *s,
			    unsigned long long lo, unsigned long long hi);
/* The index of s in choices (NULL-terminated). */
int cli_choice(const struct cli *c, const char *opt, const char *s,
	       const char *const *choices);

#endif /* CAEC_TOOLS_CLI_H */
