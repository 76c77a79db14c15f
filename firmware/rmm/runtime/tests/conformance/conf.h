/*
 * Table-driven conformance tests of the RMM against RMM v1.0 (REL0).
 *
 * Every command implemented has a table: the failure conditions its
 * specification section lists, in the listed order, and one or more rows
 * per condition.  A row starts from a fresh machine, builds the command's
 * valid baseline (the fixture), changes one thing so that its condition,
 * and no condition listed before it, is true, calls the command and
 * checks the exact status and index (and, where the specification defines
 * them on failure, other outputs).  A failed RMI command must leave the
 * machine as it was: the runner compares all of the fake DRAM, every
 * granule's state and refcount and the TLBI count before and after.
 * Ordering rows check the specification's explicit orderings between two
 * conditions that are both true.  Conditions that cannot be the first to
 * fail on this RMM (LPA2 bounds) have a row that shows which earlier
 * condition catches them.
 *
 * The same tables generate the conformance table in docs/firmware.md
 * (--doc prints it, --check-doc FILE compares it), so the documentation
 * cannot claim a row the suite does not run.
 */
#ifndef CONF_H
#define CONF_H

#include "../rmm_test.h"

/* Everything a fixture builds and a row may change. */
struct conf_ctx {
	unsigned long args[6];		/* x1.. of the call (RSI: x1..x4) */
	struct smc_result res;		/* RMI results */
	struct test_realm realm;	/* realm A: NEW, RTTs to level 3 at TEST_IPA_BASE */
	struct test_realm other;	/* realm B: source of granules in other states */
	uint64_t other_rec;		/* a REC of realm B */
	uint64_t other_data;		/* a DATA granule of realm B */
	uint64_t rec, rec1;		/* RECs of realm A (some fixtures) */
	uint64_t run;			/* NS RmiRecRun granule */
	uint64_t ns, delegated;		/* spare granules */
	uint64_t v[8];			/* fixture-specific values */
	unsigned long rsi_ret[9];	/* RSI/PSCI: x0..x8 the realm saw */
	unsigned long entry_ret[3];	/* x0..x2 when the REC resumed (a completed call) */
	bool rsi_exited;		/* RSI/PSCI: the call left to the host */
};

/* Generic changes a row applies to one argument register. */
enum conf_mut {
	MUT_NONE = 0,
	MUT_UNALIGNED,		/* + 8 */
	MUT_UNTRACKED,		/* first address past the delegable DRAM */
	MUT_NS,			/* an NS granule */
	MUT_DELEGATED,		/* a DELEGATED granule */
	MUT_RD,			/* realm B's RD */
	MUT_REC,		/* a REC of realm B */
	MUT_RTT,		/* realm B's root RTT */
	MUT_DATA,		/* a DATA granule of realm B */
};

struct conf_row {
	const char *cond;	/* the specification's failure condition ID */
	const char *how;	/* how the row makes it true (documentation) */
	unsigned int arg;	/* argument register (1 = x1) for mut */
	enum conf_mut mut;
	void (*setup)(struct conf_ctx *c);	/* or a custom change */
	unsigned long status;	/* expected status ... */
	unsigned long index;	/* ... and index (RMI); RSI: expected x0 */
	void (*check)(struct conf_ctx *c);	/* extra output checks on failure */
	const char *unreachable;	/* why cond cannot fail first here */
};

enum conf_kind { CONF_RMI, CONF_RSI };

struct conf_cmd {
	const char *name;		/* as in the specification */
	const char *section;		/* its section number */
	enum conf_kind kind;
	unsigned long fid;
	const char *const *conds;	/* listed failure conditions, in order, NULL-ended */
	void (*fixture)(struct conf_ctx *c);
	const struct conf_row *rows;
	unsigned int nrows;
	void (*positive)(struct conf_ctx *c);	/* a success, every output checked */
	const char *notes;		/* for the documentation table */
};

#define CONF_ROWS(r)	(r), (unsigned int)(sizeof(r) / sizeof((r)[0]))

/* Tables of each command group. */
extern const struct conf_cmd conf_granule_cmds[];
extern const struct conf_cmd conf_realm_cmds[];
extern const struct conf_cmd conf_rec_cmds[];
extern const struct conf_cmd conf_data_cmds[];
extern const struct conf_cmd conf_rtt_cmds[];
extern const struct conf_cmd conf_rsi_cmds[];
extern const struct conf_cmd conf_psci_cmds[];

/* Commands of RMM v1.0 this RMM does not implement (name, section, why). */
struct conf_missing {
	const char *name, *section, *why;
};
extern const struct conf_missing conf_missing_cmds[];

/* Fixture helpers shared by the tables. */
void conf_world(struct conf_ctx *c);		/* realms A (NEW) and B, spares */
/*
 * + A: RIPAS RAM on the first 16 pages, DATA on the first 4, REC 0
 * (runnable, c->rec) and, if two_recs, REC 1 (off, c->rec1); A ACTIVE; a
 * run granule.
 */
void conf_active_realm(struct conf_ctx *c, bool two_recs);
void conf_active_rec(struct conf_ctx *c);	/* conf_active_realm(c, false) */
unsigned long conf_call(struct conf_ctx *c, unsigned long fid);	/* RMI with c->args */
/*
 * Run realm A's REC 0 once: the realm calls fid with x1..x4 = c->args[0..3]
 * (or a[0..3]); if the call returns, the realm records x0..x2 in
 * c->rsi_ret and makes a HOST_CALL, else c->rsi_exited is set.
 * entry_flags: RmiRecEnter.flags of this REC_ENTER.
 */
void conf_rsi_call(struct conf_ctx *c, unsigned long fid);
void conf_rsi_call_args(struct conf_ctx *c, unsigned long fid, const unsigned long a[4],
			unsigned long entry_flags);
/* The same with x1..x10 (MEASUREMENT_EXTEND's value, the INIT challenge). */
void conf_rsi_call10(struct conf_ctx *c, unsigned long fid, const unsigned long a[10],
		     unsigned long entry_flags);
struct rmi_rec_exit *conf_exit(struct conf_ctx *c);	/* RmiRecRun.exit of c->run */

/* Assert helpers */
void conf_assert_top(struct conf_ctx *c, unsigned int reg, uint64_t top);

#endif /* CONF_H */
