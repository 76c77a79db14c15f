/*
 * REC_ENTER and the RSI/PSCI calls, with the fake host playing the realm:
 * each plat_rec_run() step is a scripted action of the realm.
 */
#include "rmm_test.h"

#include <s2tt.h>
#include <string.h>

#define ESR_SMC		((0x17UL << 26) | (1UL << 25))
#define ESR_DABT	((0x24UL << 26) | (1UL << 25))

struct script {
	unsigned int step;
	unsigned long saved[9];		/* regs after the realm's SMC returned */
	uint64_t arg_ipa;
	unsigned long fid_then;		/* 2nd call issued by the realm */
};

static struct test_realm realm;
static uint64_t rec_pa, run_pa;

/* An ACTIVE realm with RAM at TEST_IPA_BASE (4 granules), a REC and a run granule. */
static int setup_running_realm(void **state)
{
	unsigned int i;

	rmm_test_setup(state);
	realm_build(&realm, 1);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_INIT_RIPAS, realm.rd, TEST_IPA_BASE,
				    TEST_IPA_BASE + 8 * GRANULE_SIZE, 0, 0, NULL));
	for (i = 0; i < 4; i++) {
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, realm.rd, alloc_delegated(),
					    TEST_IPA_BASE + i * GRANULE_SIZE, 0, 0, NULL));
	}
	rec_pa = alloc_delegated();
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, realm.rd, rec_pa,
				    make_rec_params(TEST_IPA_BASE, REC_PARAMS_FLAG_RUNNABLE), 0, 0, NULL));
	run_pa = alloc_ns();
	return 0;
}

static struct rmi_rec_exit *run_exit(void)
{
	return &((struct rmi_rec_run *)fake_pa_ptr(run_pa))->exit;
}

static void smc(struct realm_exception *exc)
{
	exc->kind = REALM_EXC_SYNC;
	exc->esr = ESR_SMC;
}

/* Realm: x0=fid (set by the test in the script), then a HOST_CALL to stop. */
static void realm_call_then_host_call(struct rec *rec, struct realm_exception *exc, void *arg)
{
	struct script *s = arg;

	if (s->step == 0) {
		rec->regs[0] = s->fid_then;
		rec->regs[1] = s->arg_ipa;
		rec->regs[2] = s->arg_ipa + 2 * GRANULE_SIZE;
	} else {
		memcpy(s->saved, rec->regs, sizeof(s->saved));
		rec->regs[0] = SMC_RSI_HOST_CALL;
		rec->regs[1] = TEST_IPA_BASE + 0x100;	/* RsiHostCall in RAM */
	}
	s->step++;
	smc(exc);
}

/* RSI_VERSION is answered inside the RMM; the host sees only the HOST_CALL. */
static void test_rsi_version_and_host_call(void **state)
{
	struct script s = { .fid_then = SMC_RSI_VERSION };
	struct rsi_host_call *hc;
	struct rec *rec = fake_pa_ptr(rec_pa);
	uint64_t pc0;

	(void)state;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, realm.rd, 0, 0, 0, 0, NULL));
	fake_set_realm(realm_call_then_host_call, &s);
	/* fill the host-call struct in realm RAM (granule at TEST_IPA_BASE) */
	hc = realm_ipa_to_va(&rec->s2, TEST_IPA_BASE + 0x100, sizeof(*hc));
	assert_non_null(hc);
	hc->imm = 0x5EC;
	hc->gprs[0] = 11;
	hc->gprs[6] = 66;
	s.saved[0] = 0xdead;
	pc0 = rec->pc;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RMI_EXIT_HOST_CALL, run_exit()->exit_reason);
	assert_int_equal(0x5EC, run_exit()->imm);
	assert_int_equal(11, run_exit()->gprs[0]);
	assert_int_equal(66, run_exit()->gprs[6]);
	/* RSI_VERSION (regs[1] was the IPA, not 1.0): ERROR_INPUT + versions */
	assert_int_equal(RSI_ERROR_INPUT, s.saved[0]);
	assert_int_equal(RSI_ABI_VERSION, s.saved[1]);
	assert_int_equal(pc0 + 8, rec->pc);	/* stepped over both SMCs */
	/* the host answers; x0..x6 land in the RsiHostCall */
	((struct rmi_rec_run *)fake_pa_ptr(run_pa))->entry.gprs[0] = 0xAA;
	((struct rmi_rec_run *)fake_pa_ptr(run_pa))->entry.gprs[6] = 0xBB;
	fake_set_realm(NULL, NULL);	/* next run: SYSTEM_OFF */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(0xAA, hc->gprs[0]);
	assert_int_equal(0xBB, hc->gprs[6]);
	assert_int_equal(RMI_EXIT_PSCI, run_exit()->exit_reason);
	assert_int_equal(PSCI_SYSTEM_OFF, run_exit()->gprs[0]);
	/* after SYSTEM_OFF the realm cannot run: (RMI_ERROR_REALM, 1) */
	assert_rmi(rmi_pack(RMI_ERROR_REALM, 1), rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
}

/* REALM_CONFIG, MEASUREMENT_READ, IPA_STATE_GET from inside the realm. */
static void test_rsi_config_measurement_ipa_state(void **state)
{
	struct script s = { .fid_then = SMC_RSI_REALM_CONFIG, .arg_ipa = TEST_IPA_BASE + 0x1000 };
	struct rec *rec = fake_pa_ptr(rec_pa);
	struct rsi_realm_config *cfg;
	const uint8_t *rim = ((struct rd *)fake_pa_ptr(realm.rd))->rim;
	uint8_t got[32];
	uint64_t pc0;

	(void)state;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, realm.rd, 0, 0, 0, 0, NULL));
	fake_set_realm(realm_call_then_host_call, &s);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RSI_SUCCESS, s.saved[0]);
	cfg = realm_ipa_to_va(&rec->s2, TEST_IPA_BASE + 0x1000, sizeof(*cfg));
	assert_int_equal(TEST_S2SZ, cfg->ipa_width);
	assert_int_equal(RMI_HASH_SHA_256, cfg->hash_algo);

	/* unaligned / unassigned config IPA */
	s = (struct script){ .fid_then = SMC_RSI_REALM_CONFIG, .arg_ipa = TEST_IPA_BASE + 0x1008 };
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RSI_ERROR_INPUT, s.saved[0]);
	/* RIPAS RAM the host has not mapped: a stage-2 abort exit, the SMC is retried */
	s = (struct script){ .fid_then = SMC_RSI_REALM_CONFIG, .arg_ipa = TEST_IPA_BASE + 0x5000 };
	pc0 = rec->pc;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(1, s.step);
	assert_int_equal(RMI_EXIT_SYNC, run_exit()->exit_reason);
	assert_int_equal((0x24UL << 26) | 0x7UL, run_exit()->esr);
	assert_int_equal(((TEST_IPA_BASE + 0x5000) >> 12) << 4, run_exit()->hpfar);
	assert_int_equal(pc0, rec->pc);	/* back on the SMC */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, realm.rd, alloc_delegated(),
				    TEST_IPA_BASE + 0x5000, 0, 0, NULL));
	s.step = 0;	/* the realm executes the same SMC again */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RSI_SUCCESS, s.saved[0]);

	/* MEASUREMENT_READ(0): the RIM in x1..x4 little endian */
	s = (struct script){ .fid_then = SMC_RSI_MEASUREMENT_READ, .arg_ipa = 0 };
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RSI_SUCCESS, s.saved[0]);
	memcpy(got, &s.saved[1], 32);
	assert_memory_equal(rim, got, 32);
	assert_int_equal(0, s.saved[5]);
	s = (struct script){ .fid_then = SMC_RSI_MEASUREMENT_READ, .arg_ipa = 5 };
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RSI_ERROR_INPUT, s.saved[0]);

	/* IPA_STATE_GET: 4 assigned RAM + 4 unassigned RAM = 8 granules of RAM */
	s = (struct script){ .fid_then = SMC_RSI_IPA_STATE_GET, .arg_ipa = TEST_IPA_BASE };
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RSI_SUCCESS, s.saved[0]);
	assert_int_equal(TEST_IPA_BASE + 2 * GRANULE_SIZE, s.saved[1]);	/* = top */
	assert_int_equal(RIPAS_RAM, s.saved[2]);
	s = (struct script){ .fid_then = SMC_RSI_IPA_STATE_GET, .arg_ipa = TEST_IPA_BASE + 0x8000 };
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RIPAS_EMPTY, s.saved[2]);
	s = (struct script){ .fid_then = SMC_RSI_IPA_STATE_GET, .arg_ipa = TEST_UNPROT };
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RSI_ERROR_INPUT, s.saved[0]);

	/* unknown RSI, an unused FID of the CSM range, and PSCI_VERSION */
	s = (struct script){ .fid_then = SMC64_STD_FID(0x19F) };
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(SMC_UNKNOWN, s.saved[0]);
	s = (struct script){ .fid_then = SMC64_VENDOR_FID(0x19C) };
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(SMC_UNKNOWN, s.saved[0]);
	s = (struct script){ .fid_then = PSCI_VERSION };
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(0x10001, s.saved[0]);
}

static void realm_faults(struct rec *rec, struct realm_exception *exc, void *arg)
{
	uint64_t ipa = *(uint64_t *)arg;

	(void)rec;
	exc->kind = REALM_EXC_SYNC;
	exc->esr = ESR_DABT | (1UL << 24) | (5UL << 16) | (1UL << 6) | 0x07UL; /* ISV, SRT=5, WnR, L3 translation */
	exc->far = 0x12345678UL;
	exc->hpfar = (ipa >> 12) << 4;
}

/* A stage-2 data abort goes to the host; access details only if unprotected. */
static void test_rec_exit_data_abort(void **state)
{
	uint64_t ipa = TEST_IPA_BASE + 0x5000;	/* RIPAS RAM, unassigned */

	(void)state;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, realm.rd, 0, 0, 0, 0, NULL));
	fake_set_realm(realm_faults, &ipa);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RMI_EXIT_SYNC, run_exit()->exit_reason);
	/* Non-emulatable (protected): EC, SET, FnV, EA, DFSC only: no IL, no WnR. */
	assert_int_equal((0x24UL << 26) | 0x07UL, run_exit()->esr);
	assert_int_equal(0, run_exit()->far);
	assert_int_equal((ipa >> 12) << 4, run_exit()->hpfar);
	ipa = TEST_UNPROT | 0x9000000UL;
	((struct rec *)fake_pa_ptr(rec_pa))->regs[5] = 0xD47AUL;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	/* Emulatable: + ISV, SAS, SF, WnR (not SRT, not IL); FAR within the granule. */
	assert_int_equal((0x24UL << 26) | (1UL << 24) | (1UL << 6) | 0x07UL, run_exit()->esr);
	assert_int_equal(0x678UL, run_exit()->far);
	assert_int_equal(0xD47AUL, run_exit()->gprs[0]);	/* the store's data (SRT = 5) */
}

/* REC_ENTER failure conditions. */
static void test_rec_enter_errors(void **state)
{
	uint64_t rec2 = alloc_delegated();

	(void)state;
	/* realm still NEW */
	assert_rmi(RMI_ERROR_REALM, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	uint64_t params = make_rec_params(0, 0);

	((struct rmi_rec_params *)fake_pa_ptr(params))->mpidr = 1;	/* the next index */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, realm.rd, rec2, params, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, realm.rd, 0, 0, 0, 0, NULL));
	/* not a REC, run granule not NS */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_ENTER, realm.rd, run_pa, 0, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_ENTER, rec_pa, alloc_delegated(), 0, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa + 8, 0, 0, 0, NULL));
	/* REC created not runnable */
	assert_rmi(RMI_ERROR_REC, rmi(SMC_RMI_REC_ENTER, rec2, run_pa, 0, 0, 0, NULL));
	/* the RD's REC references keep it alive */
	assert_int_equal(2, granule_refcount(addr_to_granule(realm.rd)));
}

static void realm_cpu_off(struct rec *rec, struct realm_exception *exc, void *arg)
{
	(void)arg;
	rec->regs[0] = PSCI_CPU_OFF;
	smc(exc);
}

/* PSCI CPU_OFF: PSCI exit, then the REC is not runnable (ERROR_REC). */
static void test_psci_cpu_off(void **state)
{
	(void)state;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, realm.rd, 0, 0, 0, 0, NULL));
	fake_set_realm(realm_cpu_off, NULL);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RMI_EXIT_PSCI, run_exit()->exit_reason);
	assert_int_equal(PSCI_CPU_OFF, run_exit()->gprs[0]);
	assert_rmi(RMI_ERROR_REC, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
}

/* DATA_CREATE_UNKNOWN has no realm-state condition (B4.3.2): fine after SYSTEM_OFF. */
static void test_system_off_allows_data(void **state)
{
	(void)state;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, realm.rd, 0, 0, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RMI_EXIT_PSCI, run_exit()->exit_reason);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, realm.rd, alloc_delegated(),
				    TEST_IPA_BASE + 0x6000, 0, 0, NULL));
	/* DATA_CREATE still needs a NEW realm */
	assert_rmi(RMI_ERROR_REALM, rmi(SMC_RMI_DATA_CREATE, realm.rd, alloc_delegated(),
					TEST_IPA_BASE + 0x7000, alloc_ns(), 0, NULL));
}

static void realm_hvc_then_irq(struct rec *rec, struct realm_exception *exc, void *arg)
{
	unsigned int *step = arg;

	if ((*step)++ == 0U) {
		exc->kind = REALM_EXC_SYNC;
		exc->esr = (0x16UL << 26) | (1UL << 25);	/* HVC64 */
		rec->regs[0] = 0x1234;
	} else {
		/* An Unknown exception (EC 0, IL) for the HVC, at VBAR_EL1 + 0x200. */
		assert_int_equal(0x1234, rec->regs[0]);
		assert_int_equal(1UL << 25, rec->sysregs.esr_el1);
		assert_int_equal(0x3C5UL, rec->pstate);
		exc->kind = REALM_EXC_IRQ;
	}
}

/* HVC injects an Unknown exception without an exit; an IRQ exits with RMI_EXIT_IRQ. */
static void test_hvc_and_irq(void **state)
{
	unsigned int step = 0;

	(void)state;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, realm.rd, 0, 0, 0, 0, NULL));
	fake_set_realm(realm_hvc_then_irq, &step);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RMI_EXIT_IRQ, run_exit()->exit_reason);
	assert_int_equal(2, step);
}

/* The host (on another CPU) delegates the RmiRecRun granule while the REC runs. */
static void realm_irq_after_run_delegated(struct rec *rec, struct realm_exception *exc, void *arg)
{
	(void)rec;
	(void)arg;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_DELEGATE, run_pa, 0, 0, 0, 0, NULL));
	exc->kind = REALM_EXC_IRQ;
}

/*
 * A4.3.3: "On REC exit, if RMM access to exit causes a GPF then the
 * RMI_REC_ENTER command fails with RMI_ERROR_INPUT": the exit record
 * cannot be written, and the host must not read SUCCESS with a stale one.
 */
static void test_rec_exit_to_delegated_run(void **state)
{
	(void)state;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, realm.rd, 0, 0, 0, 0, NULL));
	fake_set_realm(realm_irq_after_run_delegated, NULL);
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(run_pa)));
	assert_int_equal(0, granule_refcount(addr_to_granule(rec_pa)));	/* not left busy */
	fake_set_realm(NULL, NULL);
}

/* HOST_CALL with a misaligned or unmapped structure fails without an exit. */
static void test_host_call_bad_ipa(void **state)
{
	struct script s = { .fid_then = SMC_RSI_HOST_CALL, .arg_ipa = TEST_IPA_BASE + 0x80 };

	(void)state;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, realm.rd, 0, 0, 0, 0, NULL));
	fake_set_realm(realm_call_then_host_call, &s);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RSI_ERROR_INPUT, s.saved[0]);
	/* RIPAS EMPTY: the realm's own error */
	s = (struct script){ .fid_then = SMC_RSI_HOST_CALL, .arg_ipa = TEST_IPA_BASE + 0x9000 };
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RSI_ERROR_INPUT, s.saved[0]);
	/* unprotected */
	s = (struct script){ .fid_then = SMC_RSI_HOST_CALL, .arg_ipa = TEST_UNPROT };
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RSI_ERROR_INPUT, s.saved[0]);
	/* RIPAS RAM, not mapped: a stage-2 abort at that IPA for the host */
	s = (struct script){ .fid_then = SMC_RSI_HOST_CALL, .arg_ipa = TEST_IPA_BASE + 0x7000 };
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RMI_EXIT_SYNC, run_exit()->exit_reason);
	assert_int_equal((0x24UL << 26) | 0x7UL, run_exit()->esr);
	assert_int_equal(((TEST_IPA_BASE + 0x7000) >> 12) << 4, run_exit()->hpfar);
}

static void realm_save_x0_then_off(struct rec *rec, struct realm_exception *exc, void *arg)
{
	unsigned long *x0 = arg;

	*x0 = rec->regs[0];
	rec->regs[0] = PSCI_SYSTEM_OFF;
	smc(exc);
}

/*
 * The host answers a HOST_CALL, the realm resumes with x0 = RSI_SUCCESS; if
 * the host destroyed the page holding the RsiHostCall meanwhile, its answer
 * cannot be delivered: REC_ENTER reports the stage-2 abort at that IPA
 * instead of running the REC (A4.2.2), and the call stays pending.
 */
static void test_host_call_completion_status(void **state)
{
	struct script s = { .fid_then = SMC_RSI_VERSION };
	unsigned long x0 = 0xdead;

	(void)state;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, realm.rd, 0, 0, 0, 0, NULL));
	fake_set_realm(realm_call_then_host_call, &s);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RMI_EXIT_HOST_CALL, run_exit()->exit_reason);
	fake_set_realm(realm_call_then_host_call, &s);	/* resumes: another HOST_CALL */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RSI_SUCCESS, s.saved[0]);	/* the first call completed */
	assert_int_equal(RMI_EXIT_HOST_CALL, run_exit()->exit_reason);

	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_DESTROY, realm.rd, TEST_IPA_BASE, 0, 0, 0, NULL));
	fake_set_realm(realm_save_x0_then_off, &x0);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(0xdead, x0);		/* the REC did not run */
	assert_int_equal(RMI_EXIT_SYNC, run_exit()->exit_reason);
	assert_int_equal((0x24UL << 26) | 0x7UL, run_exit()->esr);
	assert_int_equal(((TEST_IPA_BASE + 0x100) >> 12) << 4, run_exit()->hpfar);
	assert_int_equal(1, ((struct rec *)fake_pa_ptr(rec_pa))->host_call_pending);
}

struct sea_script {
	unsigned int step;
	uint64_t ipa;
	uint64_t esr_el1, elr_el1, pc;
};

static void realm_touches_empty(struct rec *rec, struct realm_exception *exc, void *arg)
{
	struct sea_script *s = arg;

	if (s->step++ == 0U) {
		rec->sysregs.vbar_el1 = 0x40000800UL;
		rec->pc = 0x40000124UL;
		exc->kind = REALM_EXC_SYNC;
		exc->esr = ESR_DABT | (1UL << 6) | 0x07UL;
		exc->far = s->ipa;
		exc->hpfar = (s->ipa >> 12) << 4;
	} else {
		s->esr_el1 = rec->sysregs.esr_el1;
		s->elr_el1 = rec->sysregs.elr_el1;
		s->pc = rec->pc;
		rec->regs[0] = PSCI_SYSTEM_OFF;
		smc(exc);
	}
}

/* An abort on RIPAS EMPTY memory is an SEA for the realm, not a host exit. */
static void test_ripas_empty_injects_sea(void **state)
{
	struct sea_script s = { .ipa = TEST_IPA_BASE + 0x9000 };	/* RIPAS EMPTY */

	(void)state;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, realm.rd, 0, 0, 0, 0, NULL));
	fake_set_realm(realm_touches_empty, &s);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RMI_EXIT_PSCI, run_exit()->exit_reason);	/* no SYNC exit */
	assert_int_equal(2, s.step);
	/* EC 0x25, IL, WnR of the access, EA (A5.2.7), DFSC SEA */
	assert_int_equal((0x25UL << 26) | (1UL << 25) | (1UL << 9) | (1UL << 6) | 0x10UL, s.esr_el1);
	assert_int_equal(0x40000124UL, s.elr_el1);
	assert_int_equal(0x40000800UL + 0x200UL, s.pc);
}

static void realm_host_interferes(struct rec *rec, struct realm_exception *exc, void *arg)
{
	unsigned long *ret = arg;

	/* Another CPU acting on the running REC: both refused, nothing locked. */
	ret[0] = rmi(SMC_RMI_REC_DESTROY, rec_pa, 0, 0, 0, 0, NULL);
	ret[1] = rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL);
	ret[2] = rmi(SMC_RMI_DATA_CREATE_UNKNOWN, realm.rd, alloc_delegated(),
		     TEST_IPA_BASE + 0x5000, 0, 0, NULL);
	rec->regs[0] = PSCI_SYSTEM_OFF;
	smc(exc);
}

/* A running REC is busy: REC_DESTROY and REC_ENTER fail with ERROR_REC. */
static void test_running_rec_is_busy(void **state)
{
	unsigned long ret[3];

	(void)state;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, realm.rd, 0, 0, 0, 0, NULL));
	fake_set_realm(realm_host_interferes, ret);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RMI_ERROR_REC, ret[0]);
	assert_int_equal(RMI_ERROR_REC, ret[1]);
	assert_int_equal(RMI_SUCCESS, ret[2]);	/* the RD is not locked meanwhile */
	assert_int_equal(0, granule_refcount(addr_to_granule(rec_pa)));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_DESTROY, rec_pa, 0, 0, 0, 0, NULL));
}

static void realm_cpu_on(struct rec *rec, struct realm_exception *exc, void *arg)
{
	unsigned long *result = arg;

	if (rec->mpidr == 0UL) {
		if (result[0] == 0xFFUL) {
			rec->regs[0] = PSCI_CPU_ON_AARCH64;
			rec->regs[1] = 1UL;		/* target MPIDR */
			rec->regs[2] = 0x40000400UL;	/* entry */
			rec->regs[3] = 0xC0C0UL;	/* context id */
			result[0] = 0xEEUL;
		} else {
			result[0] = rec->regs[0];	/* CPU_ON's result */
			rec->regs[0] = PSCI_CPU_OFF;
		}
	} else {
		result[1] = rec->pc;
		result[2] = rec->regs[0];
		rec->regs[0] = PSCI_CPU_OFF;
	}
	smc(exc);
}

/* CPU_ON: PSCI exit, host completes, the target REC starts at the entry. */
static void test_psci_cpu_on_complete(void **state)
{
	uint64_t rec1 = alloc_delegated(), rec2 = alloc_delegated();
	uint64_t params = make_rec_params(0, 0);
	unsigned long result[3] = { 0xFF, 0, 0 };

	(void)state;
	((struct rmi_rec_params *)fake_pa_ptr(params))->mpidr = 1;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, realm.rd, rec1, params, 0, 0, NULL));
	((struct rmi_rec_params *)fake_pa_ptr(params))->mpidr = 2;
	rec_params_fresh_aux(params);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, realm.rd, rec2, params, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, realm.rd, 0, 0, 0, 0, NULL));
	fake_set_realm(realm_cpu_on, result);

	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RMI_EXIT_PSCI, run_exit()->exit_reason);
	assert_int_equal(PSCI_CPU_ON_AARCH64, run_exit()->gprs[0]);
	assert_int_equal(1, run_exit()->gprs[1]);
	/* the caller cannot run until the host completes the request */
	assert_rmi(RMI_ERROR_REC, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	/* completion errors: bad status, wrong MPIDR, same REC, not a REC, no request */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_PSCI_COMPLETE, rec_pa, rec1, 7, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_PSCI_COMPLETE, rec_pa, rec2, 0, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_PSCI_COMPLETE, rec_pa, rec_pa, 0, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_PSCI_COMPLETE, rec_pa, realm.rd, 0, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_PSCI_COMPLETE, rec1, rec_pa, 0, 0, 0, NULL));
	/* not runnable yet */
	assert_rmi(RMI_ERROR_REC, rmi(SMC_RMI_REC_ENTER, rec1, run_pa, 0, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_PSCI_COMPLETE, rec_pa, rec1, PSCI_SUCCESS, 0, 0, NULL));
	/* a second completion has no request to complete */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_PSCI_COMPLETE, rec_pa, rec1, PSCI_SUCCESS, 0, 0, NULL));

	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(PSCI_SUCCESS, result[0]);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec1, run_pa, 0, 0, 0, NULL));
	assert_int_equal(0x40000400UL, result[1]);
	assert_int_equal(0xC0C0UL, result[2]);
	assert_int_equal(PSCI_CPU_OFF, run_exit()->gprs[0]);
}

struct cpu_on_script {
	unsigned int step;
	uint64_t target;
	unsigned long result;
};

static void realm_cpu_on_target(struct rec *rec, struct realm_exception *exc, void *arg)
{
	struct cpu_on_script *s = arg;

	if (s->step++ == 0U) {
		rec->regs[0] = PSCI_CPU_ON_AARCH64;
		rec->regs[1] = s->target;
		rec->regs[2] = 0x40000400UL;
		rec->regs[3] = 0;
	} else {
		s->result = rec->regs[0];
		rec->regs[0] = SMC_RSI_HOST_CALL;	/* stop here, still running */
		rec->regs[1] = TEST_IPA_BASE + 0x100;
	}
	smc(exc);
}

/*
 * CPU_ON of an MPIDR no REC of the realm has (index past the RECs created,
 * or not an RmiRecMpidr) is refused inside the RMM: the host could never
 * complete it, so the caller would wait for ever.
 */
static void test_psci_cpu_on_no_such_rec(void **state)
{
	static const uint64_t targets[] = { 1, 0x10, 0x100, 1UL << 40 };
	uint64_t rec1 = alloc_delegated();
	uint64_t params = make_rec_params(0, 0);
	struct cpu_on_script s;
	unsigned int i;

	(void)state;
	/* RECs 0 (setup) and 1 exist: MPIDR 1 works, the others do not. */
	((struct rmi_rec_params *)fake_pa_ptr(params))->mpidr = 1;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, realm.rd, rec1, params, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, realm.rd, 0, 0, 0, 0, NULL));
	for (i = 1; i < sizeof(targets) / sizeof(targets[0]); i++) {
		s = (struct cpu_on_script){ .target = targets[i], .result = 0xFF };
		fake_set_realm(realm_cpu_on_target, &s);
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
		assert_int_equal(PSCI_INVALID_PARAMETERS, s.result);
		/* the realm went on to its HOST_CALL: no CPU_ON exit in between */
		assert_int_equal(RMI_EXIT_HOST_CALL, run_exit()->exit_reason);
	}
	s = (struct cpu_on_script){ .target = targets[0], .result = 0xFF };
	fake_set_realm(realm_cpu_on_target, &s);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RMI_EXIT_PSCI, run_exit()->exit_reason);
	assert_int_equal(PSCI_CPU_ON_AARCH64, run_exit()->gprs[0]);	/* goes to the host */
}

/* CPU_ON denied by the host, or of a CPU that is already on. */
static void test_psci_cpu_on_denied_already_on(void **state)
{
	uint64_t rec1 = alloc_delegated();
	uint64_t params = make_rec_params(0, REC_PARAMS_FLAG_RUNNABLE);
	unsigned long result[3] = { 0xFF, 0, 0 };

	(void)state;
	((struct rmi_rec_params *)fake_pa_ptr(params))->mpidr = 1;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, realm.rd, rec1, params, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, realm.rd, 0, 0, 0, 0, NULL));
	fake_set_realm(realm_cpu_on, result);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_PSCI_COMPLETE, rec_pa, rec1, PSCI_SUCCESS, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(PSCI_ALREADY_ON, result[0]);	/* rec1 was created runnable */

	result[0] = 0xFF;
	((struct rec *)fake_pa_ptr(rec_pa))->runnable = 1;	/* power it back on */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	/* DENIED is only permitted for a target that is off (B3.27) */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_PSCI_COMPLETE, rec_pa, rec1, PSCI_DENIED, 0, 0, NULL));
	((struct rec *)fake_pa_ptr(rec1))->runnable = 0;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_PSCI_COMPLETE, rec_pa, rec1, PSCI_DENIED, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(PSCI_DENIED, result[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_rsi_version_and_host_call, setup_running_realm),
		cmocka_unit_test_setup(test_rsi_config_measurement_ipa_state, setup_running_realm),
		cmocka_unit_test_setup(test_rec_exit_data_abort, setup_running_realm),
		cmocka_unit_test_setup(test_rec_enter_errors, setup_running_realm),
		cmocka_unit_test_setup(test_psci_cpu_off, setup_running_realm),
		cmocka_unit_test_setup(test_psci_cpu_on_complete, setup_running_realm),
		cmocka_unit_test_setup(test_psci_cpu_on_denied_already_on, setup_running_realm),
		cmocka_unit_test_setup(test_psci_cpu_on_no_such_rec, setup_running_realm),
		cmocka_unit_test_setup(test_running_rec_is_busy, setup_running_realm),
		cmocka_unit_test_setup(test_ripas_empty_injects_sea, setup_running_realm),
		cmocka_unit_test_setup(test_system_off_allows_data, setup_running_realm),
		cmocka_unit_test_setup(test_hvc_and_irq, setup_running_realm),
		cmocka_unit_test_setup(test_rec_exit_to_delegated_run, setup_running_realm),
		cmocka_unit_test_setup(test_host_call_bad_ipa, setup_running_realm),
		cmocka_unit_test_setup(test_host_call_completion_status, setup_running_realm),
	};

	return cmocka_run_group_tests_name("rmm-rec-run", tests, NULL, NULL);
}
