/* SPDX-License-Identifier: Apache-2.0 */
/* One command-line style for every caec program: see cli.h. */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <caec/version.h>

/* Keys of the two options every program has (beyond any letter). */
enum { KEY_HELP = 'h', KEY_VERSION = 0x10000 };

#define MAX_OPTS 64

static struct option longopts[MAX_OPTS + 3];
static char shortopts[2 * MAX_OPTS + 4];

__attribute__((noreturn, format(printf, 2, 0)))
static void usage_error_v(const struct cli *c, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", c->prog);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry '%s --help'.\n", c->prog);
	exit(CLI_EXIT_USAGE);
}

void cli_usage_error(const struct cli *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	usage_error_v(c, fmt, ap); /* exits: va_end is never reached */
}

static size_t n_opts(const struct cli *c)
{
	size_t n = 0;
	while (c->opts && c->opts[n].name)
		n++;
	return n;
}

/* The getopt_long tables for c: its options, then --help and --version. */
static void build_tables(const struct cli *c)
{
	size_t n = n_opts(c), k = 0, s = 0;
	if (n > MAX_OPTS) {
		fprintf(stderr, "%s: too many options for tools/cli\n", c->prog);
		abort();
	}
	if (c->stop_at_operand)
		shortopts[s++] = '+';
	shortopts[s++] = ':'; /* a missing argument returns ':', not '?' */
	for (size_t i = 0; i < n; i++) {
		const struct cli_opt *o = &c->opts[i];
		longopts[k++] = (struct option){ o->name,
			o->arg ? required_argument : no_argument, NULL, o->key };
		if (o->key > 0 && o->key < 256 && isalnum(o->key)) {
			shortopts[s++] = (char)o->key;
			if (o->arg)
				shortopts[s++] = ':';
		}
	}
	longopts[k++] = (struct option){ "help", no_argument, NULL, KEY_HELP };
	longopts[k++] = (struct option){ "version", no_argument, NULL, KEY_VERSION };
	longopts[k] = (struct option){ 0 };
	shortopts[s++] = 'h';
	shortopts[s] = '\0';
}

/* The option whose key is key (NULL for none or --help/--version). */
static const struct cli_opt *by_key(const struct cli *c, int key)
{
	for (size_t i = 0; c->opts && c->opts[i].name; i++)
		if (c->opts[i].key == key)
			return &c->opts[i];
	return NULL;
}

/* Name the option getopt_long refused, and why; exits 2. */
static void refuse(const struct cli *c, int ret, char **argv)
{
	const char *word = optind > 0 ? argv[optind - 1] : NULL;
	const struct cli_opt *o = optopt ? by_key(c, optopt) : NULL;
	/* A long option's error leaves its word at argv[optind - 1] (with
	 * optopt 0 if unknown); a short one's, its letter in optopt. */
	bool is_long = word && strncmp(word, "--", 2) == 0 && word[2] &&
		       (optopt == 0 ||
			(o && strncmp(o->name, word + 2, strcspn(word + 2, "=")) == 0));

	if (!is_long) {
		if (ret == ':')
			cli_usage_error(c, "option '-%c' needs an argument%s%s", optopt,
					o && o->arg ? ": " : "", o && o->arg ? o->arg : "");
		cli_usage_error(c, "unknown option '-%c'", isprint(optopt) ? optopt : '?');
	}
	size_t len = strcspn(word + 2, "=");
	if (ret == ':')
		cli_usage_error(c, "option '%.*s' needs an argument%s%s", (int)len + 2, word,
				o && o->arg ? ": " : "", o && o->arg ? o->arg : "");
	if (o && word[2 + len] == '=')
		cli_usage_error(c, "option '--%s' takes no argument", o->name);
	/* Unknown, or a prefix of several. */
	char cands[256] = "";
	int matches = 0;
	for (size_t i = 0; longopts[i].name; i++) {
		if (strncmp(longopts[i].name, word + 2, len) != 0)
			continue;
		size_t used = strlen(cands);
		snprintf(cands + used, sizeof(cands) - used, "%s--%s", matches ? ", " : "",
			 longopts[i].name);
		matches++;
	}
	if (matches > 1)
		cli_usage_error(c, "option '%.*s' is ambiguous: %s", (int)len + 2, word, cands);
	cli_usage_error(c, "unknown option '%.*s'", (int)len + 2, word);
}

int cli_next(struct cli *c, int argc, char **argv, const char **arg)
{
	if (!c->started) {
		build_tables(c);
		optind = 0; /* glibc: start over, for a second parser (subcommands) */
		c->started = 1;
	}
	opterr = 0;
	optopt = 0;
	int ret = getopt_long(argc, argv, shortopts, longopts, NULL);
	*arg = optarg;
	switch (ret) {
	case -1:
		return -1;
	case '?':
	case ':':
		refuse(c, ret, argv);
		return -1; /* not reached */
	case KEY_HELP:
		cli_help(c, stdout);
		exit(fflush(stdout) == 0 ? 0 : 1);
	case KEY_VERSION:
		printf("%s %s%s%s\n", c->prog, CAEC_VERSION_STRING,
		       c->version_note ? " " : "", c->version_note ? c->version_note : "");
		exit(fflush(stdout) == 0 ? 0 : 1);
	default:
		return ret;
	}
}

int cli_operand_index(void)
{
	return optind;
}

/* "  -s, --socket PATH" */
static int opt_label(char *buf, size_t cap, int key, const char *name, const char *arg)
{
	bool letter = key > 0 && key < 256 && isalnum(key);
	return snprintf(buf, cap, "  %c%c%c --%s%s%s", letter ? '-' : ' ',
			letter ? key : ' ', letter ? ',' : ' ', name, arg ? " " : "",
			arg ? arg : "");
}

/* The width help is wrapped to. */
#define HELP_WIDTH 79

/*
 * text from column col (where the cursor is), wrapped at spaces to
 * HELP_WIDTH, each line after the first indented to col; '\n' breaks a
 * line where the text wants it.
 */
static void put_wrapped(FILE *f, const char *text, int col)
{
	int room = HELP_WIDTH - col > 20 ? HELP_WIDTH - col : 20;
	int used = 0;
	const char *p = text;
	while (*p) {
		if (*p == '\n') {
			fprintf(f, "\n%*s", col, "");
			used = 0;
			p++;
			continue;
		}
		size_t sp = strspn(p, " ");
		size_t w = strcspn(p + sp, " \n");
		if (used > 0 && used + (int)(sp + w) > room) {
			fprintf(f, "\n%*s", col, "");
			used = 0;
			sp = 0; /* no leading spaces on a wrapped line */
			p += strspn(p, " ");
		}
		fprintf(f, "%.*s", (int)(sp + w), p);
		used += (int)(sp + w);
		p += sp + w;
	}
	fputc('\n', f);
}

void cli_help(const struct cli *c, FILE *f)
{
	const char *u = c->usage ? c->usage : "[options]";
	for (int first = 1; *u; first = 0) {
		size_t n = strcspn(u, "\n");
		fprintf(f, "%s %s %.*s\n", first ? "usage:" : "      ", c->prog, (int)n, u);
		u += n + (u[n] == '\n');
	}
	if (c->about) {
		fputc('\n', f);
		put_wrapped(f, c->about, 0);
	}
	struct cli_opt extra[] = {
		{ "help", 'h', NULL, "print this help and exit" },
		{ "version", KEY_VERSION, NULL, "print the version and exit" },
	};
	size_t n = n_opts(c);
	int col = 0;
	char label[128];
	for (size_t i = 0; i < n + 2; i++) {
		const struct cli_opt *o = i < n ? &c->opts[i] : &extra[i - n];
		int w = opt_label(label, sizeof(label), o->key, o->name, o->arg);
		if (w > col)
			col = w;
	}
	col += 2;
	if (col > 32)
		col = 32;
	fprintf(f, "\noptions:\n");
	for (size_t i = 0; i < n + 2; i++) {
		const struct cli_opt *o = i < n ? &c->opts[i] : &extra[i - n];
		int w = opt_label(label, sizeof(label), o->key, o->name, o->arg);
		if (w + 2 > col)
			fprintf(f, "%s\n%*s", label, col, "");
		else
			fprintf(f, "%s%*s", label, col - w, "");
		put_wrapped(f, o->help ? o->help : "", col);
	}
	if (c->footer) {
		fputc('\n', f);
		put_wrapped(f, c->footer, 0);
	}
}

/* ---- values ------------------------------------------------------------ */

static bool parse_uint(const char *s, const char **end, unsigned long long *v)
{
	if (!isdigit((unsigned char)s[0]))
		return false; /* no sign, no space */
	int base = s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 16 : 10;
	char *e;
	errno = 0;
	*v = strtoull(s, &e, base);
	*end = e;
	return errno == 0 && e != s + (base == 16 ? 2 : 0);
}

unsigned long long cli_uint(const struct cli *c, const char *opt, const char *s,
			    unsigned long long lo, unsigned long long hi)
{
	const char *end;
	unsigned long long v;
	if (!parse_uint(s, &end, &v) || *end || v < lo || v > hi)
		cli_usage_error(c, "%s: '%s' is not a whole number in %llu..%llu", opt, s, lo, hi);
	return v;
}

double cli_double(const struct cli *c, const char *opt, const char *s, double lo, double hi)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || isspace((unsigned char)s[0]) || !isfinite(v) ||
	    v < lo || v > hi)
		cli_usage_error(c, "%s: '%s' is not a number in %g..%g", opt, s, lo, hi);
	return v;
}

unsigned long long cli_size(const struct cli *c, const char *opt, const char *s,
			    unsigned long long lo, unsigned long long hi)
{
	const char *end;
	unsigned long long v;
	unsigned shift = 0;
	bool ok = parse_uint(s, &end, &v);
	if (ok && *end) {
		switch (*end) {
		case 'K': case 'k': shift = 10; end++; break;
		case 'M': case 'm': shift = 20; end++; break;
		case 'G': case 'g': shift = 30; end++; break;
		default: break;
		}
		if (shift && *end == 'i')
			end++;
		if (*end == 'B')
			end++;
		ok = *end == '\0' && (v << shift >> shift) == v;
		v <<= shift;
	}
	if (!ok || v < lo || v > hi)
		cli_usage_error(c, "%s: '%s' is not a size in %llu..%llu bytes "
				"(a number, optionally with K, M or G)", opt, s, lo, hi);
	return v;
}

int cli_choice(const struct cli *c, const char *opt, const char *s,
	       const char *const *choices)
{
	char list[256] = "";
	for (int i = 0; choices[i]; i++) {
		if (strcmp(s, choices[i]) == 0)
			return i;
		size_t used = strlen(list);
		snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", choices[i]);
	}
	cli_usage_error(c, "%s: '%s' is not one of: %s", opt, s, list);
}
