/*
 * Runner of the conformance tables (see conf.h): one cmocka test per
 * command runs all of its failure-condition rows and its positive test;
 * one more test cross-checks every table against its condition list.
 *   test-rmm-conformance               run the tests
 *   test-rmm-conformance --doc         print the docs/firmware.md table
 *   test-rmm-conformance --check-doc F fail if F's table differs
 */
#include "conf.h"

#include <plat_memory.h>
#include <s2tt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct conf_cmd *const groups[] = {
	conf_granule_cmds, conf_realm_cmds, conf_rec_cmds, conf_data_cmds, conf_rtt_cmds,
	conf_rsi_cmds, conf_psci_cmds,
};

#define NR_GRANULES	(PLAT_NS_DRAM_SIZE >> GRANULE_SHIFT)

/* ---- fixtures ---------------------------------------------------------- */

unsigned long conf_call(struct conf_ctx *c, unsigned long fid)
{
	return rmi(fid, c->args[0], c->args[1], c->args[2], c->args[3], c->args[4], &c->res);
}

void conf_world(struct conf_ctx *c)
{
	uint64_t params;

	realm_build(&c->realm, 1);
	realm_build(&c->other, 2);
	c->other_rec = alloc_delegated();
	params = make_rec_params(TEST_IPA_BASE, REC_PARAMS_FLAG_RUNNABLE);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, c->other.rd, c->other_rec, params, 0, 0,
				    NULL));
	c->other_data = alloc_delegated();
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, c->other.rd, c->other_data,
				    TEST_IPA_BASE, 0, 0, NULL));
	c->ns = alloc_ns();
	c->delegated = alloc_delegated();
}

void conf_active_realm(struct conf_ctx *c, bool two_recs)
{
	unsigned int i;

	conf_world(c);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_INIT_RIPAS, c->realm.rd, TEST_IPA_BASE,
				    TEST_IPA_BASE + 16 * GRANULE_SIZE, 0, 0, NULL));
	for (i = 0; i < 4; i++) {
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, c->realm.rd, alloc_delegated(),
					    TEST_IPA_BASE + i * GRANULE_SIZE, 0, 0, NULL));
	}
	c->rec = alloc_delegated();
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, c->realm.rd, c->rec,
				    make_rec_params(TEST_IPA_BASE, REC_PARAMS_FLAG_RUNNABLE), 0, 0, NULL));
	if (two_recs) {
		uint64_t p = make_rec_params(0, 0);

		((struct rmi_rec_params *)fake_pa_ptr(p))->mpidr = 1;
		c->rec1 = alloc_delegated();
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, c->realm.rd, c->rec1, p, 0, 0, NULL));
	}
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, c->realm.rd, 0, 0, 0, 0, NULL));
	c->run = alloc_ns();
}

void conf_active_rec(struct conf_ctx *c)
{
	conf_active_realm(c, false);
}

/*
 * The realm of conf_rsi_call: first run, x0 = FID and x1.. = the
 * arguments, then SMC; when the call returns, it records x0..x2 and makes
 * a HOST_CALL (RsiHostCall at TEST_IPA_BASE, RAM) so the REC stops.
 */
struct rsi_script {
	struct conf_ctx *c;
	unsigned long fid;
	const unsigned long *a;
	unsigned int nargs;
	unsigned int step;
};

#define ESR_SMC64	((0x17UL << 26) | (1UL << 25))

static void realm_rsi_call(struct rec *rec, struct realm_exception *exc, void *arg)
{
	struct rsi_script *s = arg;
	unsigned int i;

	if (s->step == 0U) {
		for (i = 0; i < 3; i++) {
			s->c->entry_ret[i] = rec->regs[i];
		}
		rec->regs[0] = s->fid;
		for (i = 0; i < s->nargs; i++) {
			rec->regs[1 + i] = s->a[i];
		}
	} else {
		for (i = 0; i < 9; i++) {
			s->c->rsi_ret[i] = rec->regs[i];
		}
		rec->regs[0] = SMC_RSI_HOST_CALL;
		rec->regs[1] = TEST_IPA_BASE;
	}
	s->step++;
	exc->kind = REALM_EXC_SYNC;
	exc->esr = ESR_SMC64;
}

static void conf_rsi_run(struct conf_ctx *c, unsigned long fid, const unsigned long *a,
			 unsigned int nargs, unsigned long entry_flags)
{
	struct rsi_script s = { .c = c, .fid = fid, .a = a, .nargs = nargs };

	fake_set_realm(realm_rsi_call, &s);
	memset(c->rsi_ret, 0xBA, sizeof(c->rsi_ret));
	((struct rmi_rec_run *)fake_pa_ptr(c->run))->entry.flags = entry_flags;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, c->rec, c->run, 0, 0, 0, NULL));
	c->rsi_exited = s.step == 1U;
	fake_set_realm(NULL, NULL);
}

void conf_rsi_call_args(struct conf_ctx *c, unsigned long fid, const unsigned long a[4],
			unsigned long entry_flags)
{
	conf_rsi_run(c, fid, a, 4U, entry_flags);
}

void conf_rsi_call10(struct conf_ctx *c, unsigned long fid, const unsigned long a[10],
		     unsigned long entry_flags)
{
	conf_rsi_run(c, fid, a, 10U, entry_flags);
}

void conf_rsi_call(struct conf_ctx *c, unsigned long fid)
{
	conf_rsi_call_args(c, fid, c->args, 0);
}

struct rmi_rec_exit *conf_exit(struct conf_ctx *c)
{
	return &((struct rmi_rec_run *)fake_pa_ptr(c->run))->exit;
}

void conf_assert_top(struct conf_ctx *c, unsigned int reg, uint64_t top)
{
	assert_int_equal(top, c->res.x[reg]);
}

/* ---- mutations ----------------------------------------------------------- */

static void apply_mut(struct conf_ctx *c, const struct conf_row *r)
{
	unsigned long *a;

	if (r->mut == MUT_NONE) {
		return;
	}
	assert_true(r->arg >= 1 && r->arg <= 6);
	a = &c->args[r->arg - 1];
	switch (r->mut) {
	case MUT_UNALIGNED:
		*a += 8;
		break;
	case MUT_UNTRACKED:
		*a = PLAT_NS_DRAM_BASE + PLAT_NS_DRAM_SIZE;
		break;
	case MUT_NS:
		*a = c->ns;
		break;
	case MUT_DELEGATED:
		*a = c->delegated;
		break;
	case MUT_RD:
		*a = c->other.rd;
		break;
	case MUT_REC:
		*a = c->other_rec;
		break;
	case MUT_RTT:
		*a = c->other.rtt_root;
		break;
	case MUT_DATA:
		*a = c->other_data;
		break;
	default:
		fail_msg("unknown mutation %d", (int)r->mut);
	}
}

/* ---- snapshots: a failed RMI command changes nothing --------------------- */

struct snapshot {
	uint8_t *dram;
	uint8_t state[NR_GRANULES];
	uint32_t refcount[NR_GRANULES];
	unsigned long tlbi;
};

static void snap(struct snapshot *s)
{
	unsigned long i;

	if (s->dram == NULL) {
		s->dram = malloc(PLAT_NS_DRAM_SIZE);
		assert_non_null(s->dram);
	}
	memcpy(s->dram, fake_pa_ptr(PLAT_NS_DRAM_BASE), PLAT_NS_DRAM_SIZE);
	for (i = 0; i < NR_GRANULES; i++) {
		struct granule *g = addr_to_granule(PA(i));

		s->state[i] = (uint8_t)granule_get_state(g);
		s->refcount[i] = granule_refcount(g);
	}
	s->tlbi = fake_tlbi_count();
}

static void assert_unchanged(const struct snapshot *s, const struct conf_cmd *cmd,
			     const struct conf_row *r)
{
	unsigned long i;

	for (i = 0; i < NR_GRANULES; i++) {
		struct granule *g = addr_to_granule(PA(i));

		if (memcmp(s->dram + i * GRANULE_SIZE, fake_pa_ptr(PA(i)), GRANULE_SIZE) != 0 ||
		    s->state[i] != (uint8_t)granule_get_state(g) ||
		    s->refcount[i] != granule_refcount(g)) {
			fail_msg("%s row %s (%s): failed, but granule 0x%lx changed", cmd->name,
				 r->cond, r->how, (unsigned long)PA(i));
		}
	}
	if (s->tlbi != fake_tlbi_count()) {
		fail_msg("%s row %s (%s): failed, but invalidated the TLB", cmd->name, r->cond, r->how);
	}
}

/* ---- running a table ------------------------------------------------------ */

static void fresh(struct conf_ctx *c, const struct conf_cmd *cmd)
{
	rmm_test_setup(NULL);
	memset(c, 0, sizeof(*c));
	cmd->fixture(c);
}

static void run_row(const struct conf_cmd *cmd, const struct conf_row *r)
{
	static struct snapshot s;
	struct conf_ctx c;
	unsigned long ret;

	fresh(&c, cmd);
	apply_mut(&c, r);
	if (r->setup != NULL) {
		r->setup(&c);
	}
	if (cmd->kind == CONF_RMI) {
		snap(&s);
		ret = conf_call(&c, cmd->fid);
		if (ret != rmi_pack(r->status, r->index)) {
			fail_msg("%s row %s (%s): returned 0x%lx, expected status %lu index %lu",
				 cmd->name, r->cond, r->how, ret, r->status, r->index);
		}
		assert_unchanged(&s, cmd, r);
	} else {
		conf_rsi_call(&c, cmd->fid);
		if (c.rsi_exited || c.rsi_ret[0] != r->status) {
			fail_msg("%s row %s (%s): x0 = 0x%lx%s, expected 0x%lx", cmd->name, r->cond,
				 r->how, c.rsi_ret[0], c.rsi_exited ? " (exited to the host)" : "",
				 r->status);
		}
	}
	if (r->check != NULL) {
		r->check(&c);
	}
}

static void test_command(void **state)
{
	const struct conf_cmd *cmd = *state;
	struct conf_ctx c;
	unsigned int i;

	for (i = 0; i < cmd->nrows; i++) {
		run_row(cmd, &cmd->rows[i]);
	}
	if (cmd->positive != NULL) {
		fresh(&c, cmd);
		cmd->positive(&c);
	}
}

/* ---- the tables against their condition lists ----------------------------- */

static int cond_pos(const struct conf_cmd *cmd, const char *cond, size_t len)
{
	int i;

	for (i = 0; cmd->conds[i] != NULL; i++) {
		if (strlen(cmd->conds[i]) == len && strncmp(cmd->conds[i], cond, len) == 0) {
			return i;
		}
	}
	return -1;
}

/*
 * Each listed condition has a row; rows come in the listed order; an
 * ordering row "a<b" names two listed conditions, a listed before b, and
 * comes after the single-condition rows; every table has a positive test.
 */
static void test_tables_cover_the_spec(void **state)
{
	unsigned int g, k, i;
	int last;

	(void)state;
	for (g = 0; g < ARRAY_SIZE(groups); g++) {
		for (k = 0; groups[g][k].name != NULL; k++) {
			const struct conf_cmd *cmd = &groups[g][k];
			bool ordering = false;
			int n;

			assert_non_null(cmd->positive);
			last = -1;
			for (i = 0; i < cmd->nrows; i++) {
				const char *cond = cmd->rows[i].cond;
				const char *lt = strchr(cond, '<');

				if (lt != NULL) {
					int a = cond_pos(cmd, cond, (size_t)(lt - cond));
					int b = cond_pos(cmd, lt + 1, strlen(lt + 1));

					if (a < 0 || b < 0 || a >= b) {
						fail_msg("%s: ordering row %s", cmd->name, cond);
					}
					ordering = true;
					continue;
				}
				n = cond_pos(cmd, cond, strlen(cond));
				if (n < 0 || n < last || ordering) {
					fail_msg("%s: row %s unknown or out of order", cmd->name, cond);
				}
				last = n;
			}
			for (n = 0; cmd->conds[n] != NULL; n++) {
				for (i = 0; i < cmd->nrows; i++) {
					if (strcmp(cmd->rows[i].cond, cmd->conds[n]) == 0) {
						break;
					}
				}
				if (i == cmd->nrows) {
					fail_msg("%s: no row for %s", cmd->name, cmd->conds[n]);
				}
			}
		}
	}
}

/* ---- the documentation table --------------------------------------------- */

struct text {
	char *buf;
	size_t len, cap;
};

static void put(struct text *t, const char *s)
{
	size_t n = strlen(s);

	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->buf = realloc(t->buf, t->cap);
		if (t->buf == NULL) {
			abort();
		}
	}
	memcpy(t->buf + t->len, s, n + 1);
	t->len += n;
}

/* The row of cond that explains why it cannot fail first, if any. */
static const struct conf_row *noted_row(const struct conf_cmd *cmd, const char *cond)
{
	unsigned int i;

	for (i = 0; i < cmd->nrows; i++) {
		const struct conf_row *r = &cmd->rows[i];

		if (strcmp(r->cond, cond) == 0 && r->unreachable != NULL) {
			return r;
		}
	}
	return NULL;
}

/*
 * One line per command: each listed condition with the number of rows the
 * suite runs for it, marked * when it cannot fail first on this RMM (the
 * row shows what catches it).
 */
static void doc_command(struct text *t, const struct conf_cmd *cmd)
{
	char line[512];
	unsigned int i, n, rows, orders = 0;
	const struct conf_row *r;

	snprintf(line, sizeof(line), "| %s | %s | yes | ", cmd->name, cmd->section);
	put(t, line);
	if (cmd->conds[0] == NULL) {
		put(t, "none");
	}
	for (n = 0; cmd->conds[n] != NULL; n++) {
		for (rows = 0, i = 0; i < cmd->nrows; i++) {
			rows += strcmp(cmd->rows[i].cond, cmd->conds[n]) == 0;
		}
		r = noted_row(cmd, cmd->conds[n]);
		snprintf(line, sizeof(line), "%s%s %u%s", (n > 0) ? ", " : "", cmd->conds[n], rows,
			 (r == NULL) ? "" : "\\*");
		put(t, line);
	}
	for (i = 0; i < cmd->nrows; i++) {
		orders += strchr(cmd->rows[i].cond, '<') != NULL;
	}
	snprintf(line, sizeof(line), " | %u | yes | %s", orders, (cmd->notes != NULL) ? cmd->notes : "");
	put(t, line);
	for (n = 0; cmd->conds[n] != NULL; n++) {
		r = noted_row(cmd, cmd->conds[n]);
		if (r != NULL) {
			snprintf(line, sizeof(line), "%s\\*%s: %s", (t->buf[t->len - 1] == ' ') ? "" : "; ",
				 cmd->conds[n], r->unreachable);
			put(t, line);
		}
	}
	put(t, " |\n");
}

static void doc_table(struct text *t)
{
	unsigned int g, k;

	put(t, "| Command | RMM v1.0 | Implemented | Failure conditions in the specification's "
	       "order, each with its number of rows in the native suite | Ordering rows | "
	       "Success test | Notes |\n");
	put(t, "|---|---|---|---|---|---|---|\n");
	for (g = 0; g < ARRAY_SIZE(groups); g++) {
		for (k = 0; groups[g][k].name != NULL; k++) {
			doc_command(t, &groups[g][k]);
		}
	}
	for (k = 0; conf_missing_cmds[k].name != NULL; k++) {
		char line[256];

		snprintf(line, sizeof(line), "| %s | %s | **no** | - | - | - | %s |\n",
			 conf_missing_cmds[k].name, conf_missing_cmds[k].section,
			 conf_missing_cmds[k].why);
		put(t, line);
	}
}

#define DOC_BEGIN	"<!-- conformance-table: generated by test-rmm-conformance --doc -->\n"
#define DOC_END		"<!-- conformance-table end -->\n"

static int check_doc(const char *path)
{
	struct text t = { 0 };
	char *file, *begin, *end;
	long size;
	FILE *f = fopen(path, "r");
	int ok;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "check-doc: cannot read %s\n", path);
		return 1;
	}
	file = calloc(1, (size_t)size + 1);
	if (file == NULL || fread(file, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "check-doc: cannot read %s\n", path);
		return 1;
	}
	fclose(f);
	doc_table(&t);
	begin = strstr(file, DOC_BEGIN);
	end = (begin != NULL) ? strstr(begin, DOC_END) : NULL;
	if (begin == NULL || end == NULL) {
		fprintf(stderr, "check-doc: %s has no generated conformance table\n", path);
		return 1;
	}
	begin += strlen(DOC_BEGIN);
	ok = (size_t)(end - begin) == t.len && memcmp(begin, t.buf, t.len) == 0;
	if (!ok) {
		fprintf(stderr, "check-doc: the conformance table in %s is out of date; "
				"regenerate it with test-rmm-conformance --doc:\n%s", path, t.buf);
	}
	free(file);
	free(t.buf);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct CMUnitTest *tests;
	unsigned int g, k, n = 0;
	int ret;

	if (argc == 2 && strcmp(argv[1], "--doc") == 0) {
		struct text t = { 0 };

		doc_table(&t);
		fputs(DOC_BEGIN, stdout);
		fputs(t.buf, stdout);
		fputs(DOC_END, stdout);
		free(t.buf);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "--check-doc") == 0) {
		return check_doc(argv[2]);
	}
	for (g = 0; g < ARRAY_SIZE(groups); g++) {
		for (k = 0; groups[g][k].name != NULL; k++) {
			n++;
		}
	}
	tests = calloc(n + 1, sizeof(*tests));
	assert_non_null(tests);
	n = 0;
	tests[n++] = (struct CMUnitTest){ .name = "tables_cover_the_spec",
					   .test_func = test_tables_cover_the_spec };
	for (g = 0; g < ARRAY_SIZE(groups); g++) {
		for (k = 0; groups[g][k].name != NULL; k++) {
			tests[n++] = (struct CMUnitTest){ .name = groups[g][k].name,
							   .test_func = test_command,
							   .initial_state = (void *)&groups[g][k] };
		}
	}
	ret = _cmocka_run_group_tests("rmm-conformance", tests, n, NULL, NULL);
	free(tests);
	return ret;
}
