/*
 * Table-driven dispatch of RMI (host -> RMM) and RSI/PSCI (realm -> RMM)
 * calls.  Every handler takes its input registers as named parameters, in
 * register order, as the specification's "Input values" tables name them;
 * the tables record how many input and result registers each call has, and
 * the dispatchers pass exactly that many arguments and return exactly that
 * many results (every other result register reads as zero).  A component
 * adds calls by filling entries of the tables in runtime/core/handler.c and
 * runtime/rsi/rsi_handler.c; the vendor (CSM) ranges already have empty
 * tables so unknown FIDs answer SMC_UNKNOWN.
 */
#ifndef SMC_HANDLER_H
#define SMC_HANDLER_H

#include <rmi-structs.h>
#include <smc.h>

struct rec;

/* RMI handlers: x1.. in, results in res->x[0 .. num_results - 1]. */
typedef void (*rmi_handler_0)(struct smc_result *res);
typedef void (*rmi_handler_1)(unsigned long x1, struct smc_result *res);
typedef void (*rmi_handler_2)(unsigned long x1, unsigned long x2, struct smc_result *res);
typedef void (*rmi_handler_3)(unsigned long x1, unsigned long x2, unsigned long x3,
			      struct smc_result *res);
typedef void (*rmi_handler_4)(unsigned long x1, unsigned long x2, unsigned long x3,
			      unsigned long x4, struct smc_result *res);
typedef void (*rmi_handler_5)(unsigned long x1, unsigned long x2, unsigned long x3,
			      unsigned long x4, unsigned long x5, struct smc_result *res);

#define RMI_MAX_ARGS	5U

struct rmi_handler {
	const char *name;
	union {			/* the member named by num_args */
		rmi_handler_0 f0;
		rmi_handler_1 f1;
		rmi_handler_2 f2;
		rmi_handler_3 f3;
		rmi_handler_4 f4;
		rmi_handler_5 f5;
	};
	unsigned int num_args;		/* x1 .. x(num_args) */
	unsigned int num_results;	/* x0 .. x(num_results - 1); 0 = empty slot */
};

/* The CSM host calls' table (runtime/csm/csm_rmi.c), indexed by FID - first. */
extern const struct rmi_handler rmi_csm_handlers[];

/* Entry point for every RMI call forwarded by EL3. */
void rmi_dispatch(const struct smc_args *args, struct smc_result *res);
/* The table entry of an RMI FID (NULL if not an RMI/CSM FID or empty). */
const struct rmi_handler *rmi_handler_lookup(unsigned long fid);

/*
 * What an RSI or PSCI handler hands back to the dispatcher.  x[] are the
 * results for x0.., written to the realm's registers unless pending is
 * set: then the results arrive later (the host completes the call:
 * HOST_CALL, PSCI CPU_ON/AFFINITY_INFO, IPA_STATE_SET) and the registers
 * are left alone.  exit = leave to the host with the REC exit filled in.
 */
#define RSI_RESULT_NR	9U
struct rsi_result {
	unsigned long x[RSI_RESULT_NR];
	bool exit;
	bool pending;
	bool retry;	/* the SMC runs again when the realm re-enters */
};

/* RSI/PSCI handlers: the running REC, its exit record, x1.. in. */
typedef void (*rsi_handler_0)(struct rec *rec, struct rmi_rec_exit *exit,
			      struct rsi_result *res);
typedef void (*rsi_handler_1)(struct rec *rec, struct rmi_rec_exit *exit, unsigned long x1,
			      struct rsi_result *res);
typedef void (*rsi_handler_2)(struct rec *rec, struct rmi_rec_exit *exit, unsigned long x1,
			      unsigned long x2, struct rsi_result *res);
typedef void (*rsi_handler_3)(struct rec *rec, struct rmi_rec_exit *exit, unsigned long x1,
			      unsigned long x2, unsigned long x3, struct rsi_result *res);
typedef void (*rsi_handler_4)(struct rec *rec, struct rmi_rec_exit *exit, unsigned long x1,
			      unsigned long x2, unsigned long x3, unsigned long x4,
			      struct rsi_result *res);

struct rsi_handler {
	const char *name;
	unsigned long fid;		/* used by the PSCI table (searched) */
	union {
		rsi_handler_0 f0;
		rsi_handler_1 f1;
		rsi_handler_2 f2;
		rsi_handler_3 f3;
		rsi_handler_4 f4;
	};
	unsigned int num_args;
	unsigned int num_results;	/* 0 = empty slot */
};

/* The CSM realm calls' table (runtime/csm/csm_rsi.c), indexed by FID - first. */
extern const struct rsi_handler rsi_csm_handlers[];

/* Handle a trapped SMC from the realm (x0 = FID); true = exit to host. */
bool rsi_dispatch(struct rec *rec, struct rmi_rec_exit *exit);
/* Call one table entry with the REC's x1.. and apply its result. */
bool rsi_call(const struct rsi_handler *h, struct rec *rec, struct rmi_rec_exit *exit);
/* The PSCI entry of a FID, NULL if the RMM does not implement it. */
const struct rsi_handler *psci_lookup(unsigned long fid);

/* RMI handlers, inputs named as in the RMM v1.0 "Input values" tables. */
void smc_version(unsigned long req, struct smc_result *res);
void smc_features(unsigned long index, struct smc_result *res);
void smc_granule_delegate(unsigned long addr, struct smc_result *res);
void smc_granule_undelegate(unsigned long addr, struct smc_result *res);
void smc_realm_create(unsigned long rd_addr, unsigned long params_ptr, struct smc_result *res);
void smc_realm_activate(unsigned long rd_addr, struct smc_result *res);
void smc_realm_destroy(unsigned long rd_addr, struct smc_result *res);
void smc_rec_aux_count(unsigned long rd_addr, struct smc_result *res);
void smc_rec_create(unsigned long rd_addr, unsigned long rec_addr, unsigned long params_ptr,
		    struct smc_result *res);
void smc_rec_destroy(unsigned long rec_addr, struct smc_result *res);
void smc_rec_enter(unsigned long rec_addr, unsigned long run_ptr, struct smc_result *res);
void smc_psci_complete(unsigned long calling_rec, unsigned long target_rec, unsigned long status,
		       struct smc_result *res);
void smc_rtt_create(unsigned long rd_addr, unsigned long rtt_addr, unsigned long ipa,
		    unsigned long level, struct smc_result *res);
void smc_rtt_destroy(unsigned long rd_addr, unsigned long ipa, unsigned long level,
		     struct smc_result *res);
void smc_rtt_fold(unsigned long rd_addr, unsigned long ipa, unsigned long level,
		  struct smc_result *res);
void smc_rtt_read_entry(unsigned long rd_addr, unsigned long ipa, unsigned long level,
			struct smc_result *res);
void smc_rtt_init_ripas(unsigned long rd_addr, unsigned long base, unsigned long top,
			struct smc_result *res);
void smc_rtt_set_ripas(unsigned long rd_addr, unsigned long rec_addr, unsigned long base,
		       unsigned long top, struct smc_result *res);
void smc_rtt_map_unprotected(unsigned long rd_addr, unsigned long ipa, unsigned long level,
			     unsigned long desc, struct smc_result *res);
void smc_rtt_unmap_unprotected(unsigned long rd_addr, unsigned long ipa, unsigned long level,
			       struct smc_result *res);
void smc_data_create(unsigned long rd_addr, unsigned long data_addr, unsigned long ipa,
		     unsigned long src_addr, unsigned long flags, struct smc_result *res);
void smc_data_create_unknown(unsigned long rd_addr, unsigned long data_addr, unsigned long ipa,
			     struct smc_result *res);
void smc_data_destroy(unsigned long rd_addr, unsigned long ipa, struct smc_result *res);

/* RSI handlers */
void handle_rsi_version(struct rec *rec, struct rmi_rec_exit *exit, unsigned long req,
			struct rsi_result *res);
void handle_rsi_features(struct rec *rec, struct rmi_rec_exit *exit, unsigned long index,
			 struct rsi_result *res);
void handle_rsi_measurement_read(struct rec *rec, struct rmi_rec_exit *exit, unsigned long index,
				 struct rsi_result *res);
void handle_rsi_realm_config(struct rec *rec, struct rmi_rec_exit *exit, unsigned long addr,
			     struct rsi_result *res);
void handle_rsi_measurement_extend(struct rec *rec, struct rmi_rec_exit *exit,
				   unsigned long index, unsigned long size, struct rsi_result *res);
void handle_rsi_attest_token_init(struct rec *rec, struct rmi_rec_exit *exit,
				  struct rsi_result *res);
void handle_rsi_attest_token_continue(struct rec *rec, struct rmi_rec_exit *exit,
				      unsigned long addr, unsigned long offset, unsigned long size,
				      struct rsi_result *res);
void handle_rsi_ipa_state_get(struct rec *rec, struct rmi_rec_exit *exit, unsigned long base,
			      unsigned long top, struct rsi_result *res);
void handle_rsi_host_call(struct rec *rec, struct rmi_rec_exit *exit, unsigned long addr,
			  struct rsi_result *res);
void handle_rsi_ipa_state_set(struct rec *rec, struct rmi_rec_exit *exit, unsigned long base,
			      unsigned long top, unsigned long ripas, unsigned long flags,
			      struct rsi_result *res);

/* PSCI handlers (runtime/rsi/psci.c) */
void psci_version(struct rec *rec, struct rmi_rec_exit *exit, struct rsi_result *res);
void psci_features(struct rec *rec, struct rmi_rec_exit *exit, unsigned long psci_func_id,
		   struct rsi_result *res);
void psci_cpu_suspend(struct rec *rec, struct rmi_rec_exit *exit, unsigned long power_state,
		      unsigned long entry_point_address, unsigned long context_id,
		      struct rsi_result *res);
void psci_cpu_on(struct rec *rec, struct rmi_rec_exit *exit, unsigned long target_cpu,
		 unsigned long entry_point_address, unsigned long context_id,
		 struct rsi_result *res);
void psci_affinity_info(struct rec *rec, struct rmi_rec_exit *exit, unsigned long target_affinity,
			unsigned long lowest_affinity_level, struct rsi_result *res);
void psci_cpu_off(struct rec *rec, struct rmi_rec_exit *exit, struct rsi_result *res);
void psci_system_off(struct rec *rec, struct rmi_rec_exit *exit, struct rsi_result *res);
void psci_system_reset(struct rec *rec, struct rmi_rec_exit *exit, struct rsi_result *res);

/* Exit handling after plat_rec_run(); true = return to host. */
struct realm_exception;
bool handle_realm_exit(struct rec *rec, const struct realm_exception *exc,
		       struct rmi_rec_exit *exit);

/* exit.esr for each exit kind (core/exit.c, RMM v1.0 A4.3). */
uint64_t dabt_exit_esr(uint64_t esr, bool unprotected);
uint64_t iabt_exit_esr(uint64_t esr);
uint64_t serror_exit_esr(uint64_t esr);
/* Make the realm take an Unknown exception for the instruction at elr. */
void inject_undef(struct rec *rec, uint64_t elr);
/*
 * REC_ENTER and the last exit's data abort (A4.2.3).  Valid flags:
 * emul_mmio only after an emulatable abort (B4.3.14 rec_mmio),
 * inject_sea only after an abort at an unprotected IPA (as TF-RMM; else
 * RMI_ERROR_REC).  Completion: inject_sea makes the realm take an SEA for
 * the access (emul_mmio is then ignored); emul_mmio completes it.
 */
struct rmi_rec_entry;
bool rec_entry_abort_flags_valid(const struct rec *rec, const struct rmi_rec_entry *entry);
void rec_entry_complete_abort(struct rec *rec, const struct rmi_rec_entry *entry);

/* A realm's view of ID register S3_0_C0_C<crm>_<op2> (core/idreg.c). */
uint64_t idreg_realm_value(unsigned int crm, unsigned int op2, uint64_t hw);

/* Virtual GIC and timer rules (core/vgic.c, RMM v1.0 A6.1, A6.2). */
bool rec_entry_gic_valid(const struct rmi_rec_entry *e);
uint64_t rec_exit_gic_hcr(uint64_t ich_hcr);
/* Timer output asserted: ENABLE && ISTATUS && !IMASK. */
bool timer_asserted(uint64_t ctl);
/* CTL to load on entry (IMASK added if already asserted; *masked says so). */
uint64_t timer_entry_ctl(uint64_t ctl, uint32_t *masked);
/* The realm's view of CTL at exit (without the IMASK the RMM added). */
uint64_t timer_exit_ctl(uint64_t hw_ctl, uint32_t masked);
/* Timer and GIC state into exit (on every REC exit). */
void rec_exit_report_state(const struct rec *rec, struct rmi_rec_exit *exit);

/* Copy to/from a granule the RMM tracks as NS (false if it is not NS). */
bool ns_buffer_read(uint64_t pa, size_t offset, void *dst, size_t len);
bool ns_buffer_write(uint64_t pa, size_t offset, const void *src, size_t len);
bool ns_granule_is_valid(uint64_t pa);

/* RMM pointer to realm memory at a protected IPA (ASSIGNED, RIPAS RAM). */
struct s2tt_ctx;
void *realm_ipa_to_va(const struct s2tt_ctx *s2, uint64_t ipa, size_t len);

#endif /* SMC_HANDLER_H */
