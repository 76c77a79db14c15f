/*
 * Table-driven dispatch of RMI (host -> RMM) and RSI (realm -> RMM) calls.
 * A component adds calls by filling entries of the tables in
 * runtime/core/handler.c and runtime/rsi/rsi_handler.c; the vendor (CSM)
 * ranges already have empty tables so unknown FIDs answer SMC_UNKNOWN.
 */
#ifndef SMC_HANDLER_H
#define SMC_HANDLER_H

#include <rmi-structs.h>
#include <smc.h>

struct rec;

typedef void (*rmi_handler_fn)(const struct smc_args *args, struct smc_result *res);

struct rmi_handler {
	const char *name;
	rmi_handler_fn fn;
	unsigned int num_args;		/* x1.. used */
	unsigned int num_results;	/* x1.. written */
};

/* Entry point for every RMI call forwarded by EL3. */
void rmi_dispatch(const struct smc_args *args, struct smc_result *res);

/*
 * RSI handlers read arguments from rec->regs and write results there.
 * They return true when the REC must exit to the host (exit filled in).
 */
typedef bool (*rsi_handler_fn)(struct rec *rec, struct rmi_rec_exit *exit);

struct rsi_handler {
	const char *name;
	rsi_handler_fn fn;
};

/* Handle a trapped SMC from the realm; true = exit to host. */
bool rsi_dispatch(struct rec *rec, struct rmi_rec_exit *exit);

/* RMI handlers */
void smc_version(const struct smc_args *args, struct smc_result *res);
void smc_features(const struct smc_args *args, struct smc_result *res);
void smc_granule_delegate(const struct smc_args *args, struct smc_result *res);
void smc_granule_undelegate(const struct smc_args *args, struct smc_result *res);
void smc_realm_create(const struct smc_args *args, struct smc_result *res);
void smc_realm_activate(const struct smc_args *args, struct smc_result *res);
void smc_realm_destroy(const struct smc_args *args, struct smc_result *res);
void smc_rec_aux_count(const struct smc_args *args, struct smc_result *res);
void smc_rec_create(const struct smc_args *args, struct smc_result *res);
void smc_rec_destroy(const struct smc_args *args, struct smc_result *res);
void smc_rec_enter(const struct smc_args *args, struct smc_result *res);
void smc_psci_complete(const struct smc_args *args, struct smc_result *res);
void smc_rtt_create(const struct smc_args *args, struct smc_result *res);
void smc_rtt_destroy(const struct smc_args *args, struct smc_result *res);
void smc_rtt_read_entry(const struct smc_args *args, struct smc_result *res);
void smc_rtt_init_ripas(const struct smc_args *args, struct smc_result *res);
void smc_rtt_map_unprotected(const struct smc_args *args, struct smc_result *res);
void smc_rtt_unmap_unprotected(const struct smc_args *args, struct smc_result *res);
void smc_data_create(const struct smc_args *args, struct smc_result *res);
void smc_data_create_unknown(const struct smc_args *args, struct smc_result *res);
void smc_data_destroy(const struct smc_args *args, struct smc_result *res);

/* RSI and PSCI handlers */
bool handle_rsi_version(struct rec *rec, struct rmi_rec_exit *exit);
bool handle_rsi_features(struct rec *rec, struct rmi_rec_exit *exit);
bool handle_rsi_measurement_read(struct rec *rec, struct rmi_rec_exit *exit);
bool handle_rsi_realm_config(struct rec *rec, struct rmi_rec_exit *exit);
bool handle_rsi_ipa_state_get(struct rec *rec, struct rmi_rec_exit *exit);
bool handle_rsi_host_call(struct rec *rec, struct rmi_rec_exit *exit);
bool handle_psci(struct rec *rec, struct rmi_rec_exit *exit);

/* Exit handling after plat_rec_run(); true = return to host. */
struct realm_exception;
bool handle_realm_exit(struct rec *rec, const struct realm_exception *exc,
		       struct rmi_rec_exit *exit);

/* Copy to/from a granule the RMM tracks as NS (false if it is not NS). */
bool ns_buffer_read(uint64_t pa, size_t offset, void *dst, size_t len);
bool ns_buffer_write(uint64_t pa, size_t offset, const void *src, size_t len);
bool ns_granule_is_valid(uint64_t pa);

/* RMM pointer to realm memory at a protected IPA (ASSIGNED, RIPAS RAM). */
struct s2tt_ctx;
void *realm_ipa_to_va(const struct s2tt_ctx *s2, uint64_t ipa, size_t len);

#endif /* SMC_HANDLER_H */
