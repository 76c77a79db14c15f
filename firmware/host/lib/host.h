/*
 * Library of the Normal-world test hosts (NS EL2, MMU off).  Each QEMU
 * scenario (host/scenarios/<name>.c) is linked with this library and the
 * realm image(s) it embeds into its own ELF, host-<name>.elf.
 *
 *   rmi.c          RMI calls, failure counting, the run's verdict
 *   alloc.c        the memory layout, granule allocator over free memory
 *   realm_build.c  building and tearing down a realm from an image
 *   realm_console.c the realms' console: an emulated PL011, whole lines
 *   run.c          REC_ENTER loop, round-robin scheduler, default exits
 *   probe.c        reads that must fault (GPF probes), EL2 sync vector
 *   scan.c         search of NS memory for a leaked secret pattern
 *   smp.c          the other physical CPUs (PSCI CPU_ON through EL3)
 *   timer.c        the preemption timer (CNTHP) and the GIC CPU interface
 */
#ifndef HOST_H
#define HOST_H

#include <arch_helpers.h>
#include <boot_mem.h>
#include <console.h>
#include <fw_utils.h>
#include <plat_memory.h>
#include <rmi-structs.h>
#include <sha256.h>
#include <smc-rmi.h>

/* ---- RMI calls and the verdict (rmi.c) ---- */

/* One SMC; x0 is returned, x0..x4 in out[] when out != NULL. */
unsigned long rmi(unsigned long fid, unsigned long a1, unsigned long a2, unsigned long a3,
		  unsigned long a4, unsigned long a5, uint64_t out[5]);
/* Print "[host] FAIL: what (returned 0x..)" and count a failure. */
void host_fail(const char *what, unsigned long ret);
/* Count a failure already printed by the caller. */
void host_count_failure(void);
int host_failures(void);
/* Print the RESULT line; returns the exit status (0 = PASS). */
int host_result(void);
/* End the run now with this status. */
void host_exit(unsigned int status) __attribute__((noreturn));

/* A call that must succeed; ends the run (exit 1) if it does not. */
#define RMI_MUST(what, ...)						\
	do {								\
		unsigned long _r = rmi(__VA_ARGS__);			\
		if (_r != RMI_SUCCESS) {				\
			host_fail(what, _r);				\
			host_exit(1);					\
		}							\
	} while (0)

/* ---- the memory layout from the monitor (alloc.c) ---- */

/* x0..x4 at the host's entry (boot_mem.h); called before host_main. */
void host_boot_args(uint64_t dram_base, uint64_t dram_size, uint64_t ns_base, uint64_t ns_size,
		    uint64_t dtb);
const struct boot_mem *host_mem(void);

/* ---- granules (alloc.c) ---- */

#define HOST_MAX_DELEGATED	4096U

void host_alloc_init(void);
/* Next free NS granule, zeroed (never reused). */
uint64_t alloc_ns(void);
/* alloc_ns() + GRANULE_DELEGATE; remembered until undelegate(). */
uint64_t alloc_delegated(void);
void undelegate(uint64_t pa);
bool is_delegated(uint64_t pa);
unsigned int host_nr_delegated(void);
unsigned int host_total_delegated(void);

/* ---- realms (realm_build.c) ---- */

#define HOST_MAX_RECS		4U
#define HOST_MAX_AUX		4U	/* REC_AUX_COUNT the host accepts (the RMM: 3) */
#define HOST_MAX_REALM_PAGES	2048U	/* 8 MB of realm RAM */
#define HOST_MAX_L3_RTTS	5U	/* level-3 RTTs for that RAM + the on-demand page */
#define REALM_IPA_BASE		0x40000000UL
#define REALM_S2SZ		39U
#define REALM_UNPROTECTED	(1UL << (REALM_S2SZ - 1U))
/*
 * Where a realm finds its console: the UART's address in the unprotected
 * half.  Nothing is mapped there; the host emulates it (realm_console.c).
 */
#define UART_IPA		(REALM_UNPROTECTED | PLAT_UART_BASE)
#define HOST_CONSOLE_LINE	512U	/* longer realm lines are printed in pieces */

/* A realm image embedded in the host ELF (host/lib/aarch64/realm_image.S). */
struct realm_image {
	const uint8_t *start, *end;
};

/* What a REC wrote to its console since its last complete line. */
struct host_console_line {
	char text[HOST_CONSOLE_LINE];
	unsigned int len;
};

struct host_realm {
	unsigned int idx;		/* console name: realm<idx> */
	unsigned int nrecs;		/* REC k has MPIDR k; only REC 0 starts runnable */
	uint64_t rd, rtt_root, rtt_l2, rtt_l2u, rtt_l3u;
	uint64_t rtt_l3[HOST_MAX_L3_RTTS];	/* one per 2 MB of protected RAM */
	unsigned int nl3;
	uint64_t rec[HOST_MAX_RECS], run[HOST_MAX_RECS];
	uint64_t aux[HOST_MAX_RECS][HOST_MAX_AUX];	/* each REC's auxiliary granules */
	unsigned int naux;				/* REC_AUX_COUNT */
	bool sched[HOST_MAX_RECS];	/* the host may enter REC k */
	bool off;			/* SYSTEM_OFF seen */
	uint64_t data[HOST_MAX_REALM_PAGES];
	unsigned int npages, nmeasured;
	uint8_t expected_rim[SHA256_DIGEST_SIZE];
	uint64_t lazy_ipa;		/* RIPAS RAM, populated on first touch */
	uint64_t lazy_data;		/* 0 until then */
	unsigned int exits;		/* REC exits seen by the scenario (console ones not) */
	struct host_console_line console[HOST_MAX_RECS];
	/* Emulated UART accesses, console host calls, characters, lines printed. */
	unsigned int console_exits, console_calls, console_chars, console_lines;
	void *priv;			/* the scenario's per-realm state */
	/*
	 * Set before realm_build to declare [ram_extra_base, ram_extra_top)
	 * RIPAS RAM too (measured), unpopulated: e.g. a CSM window the realm
	 * shares (host/lib/csm.c populates it on CSM_POPULATE).
	 */
	uint64_t ram_extra_base, ram_extra_top;
	/*
	 * Set before realm_build: REC 0 starts with x0 = 0 instead of the
	 * index (REC_CREATE measures x0..x7), so realms of one image and
	 * argument have one RIM; such a realm asks the host who it is.
	 */
	bool x0_zero;
};

/*
 * Build realm `idx` (VMID idx + 1) from `img`, as its header says
 * (realm_image.h; a bad header ends the run): load_size bytes measured at
 * REALM_IPA_BASE, the rest of mem_size unmeasured (DATA_CREATE_UNKNOWN),
 * one more RIPAS RAM page populated on demand, level-2 and level-3 RTTs
 * for the unprotected 2 MB around UART_IPA with nothing mapped (the
 * console is emulated), `nrecs` RECs (REC 0 runnable at the image entry
 * with x0 = idx, x1 = arg), then REALM_ACTIVATE.
 */
void realm_build(struct host_realm *r, unsigned int idx, const struct realm_image *img,
		 unsigned int nrecs, uint64_t arg);
/* Destroy everything realm_build() made and undelegate it. */
void realm_teardown(struct host_realm *r);

/* ---- the realms' console (realm_console.c) ---- */

/* What realm_console_exit found. */
enum realm_console_exit {
	REALM_CONSOLE_NONE,		/* not a console exit */
	REALM_CONSOLE_UART,		/* an emulated PL011 access: enter with emul_mmio */
	REALM_CONSOLE_HOST_CALL,	/* a REALM_HOST_CALL_CONSOLE host call, answered */
};

/*
 * If the exit is a console access (realm_console.h: an emulatable abort in
 * the UART_IPA granule, or a REALM_HOST_CALL_CONSOLE host call), take its
 * bytes and set up run->entry to complete it (gprs, the exit's list
 * registers); realm_step then enters the REC again at once, with
 * flags.emul_mmio for a UART access.
 */
enum realm_console_exit realm_console_exit(struct host_realm *r, unsigned int k,
					   struct rmi_rec_run *run);
/* Print every REC's unfinished line (realm_teardown does). */
void realm_console_flush(struct host_realm *r);

/* ---- running RECs (run.c) ---- */

/*
 * A scenario's view of each REC exit; called before the default handling.
 * Return true if it handled the exit completely.
 */
typedef bool (*host_exit_hook)(struct host_realm *r, unsigned int k, struct rmi_rec_run *run);

/*
 * Run REC k until its next exit that is not a console access (those are
 * emulated and the REC entered again at once, with the entry's trap flags
 * and the exit's list registers; the scenario never sees them, and
 * run->entry.flags and gprs[0] are left as the scenario set them), then
 * handle that exit: the hook first, then the defaults.
 */
void realm_step(struct host_realm *r, unsigned int k, host_exit_hook hook);
bool realm_alive(const struct host_realm *r);
/*
 * Round-robin over every REC of every realm, switching at every REC exit,
 * until no realm has a runnable REC; then checks each realm ended with
 * SYSTEM_OFF and that REC_ENTER is refused afterwards.
 */
void realms_run(struct host_realm *realms, unsigned int n, host_exit_hook hook);
/* REC exits after which EL1 was checked, and how many showed realm state. */
unsigned int host_el1_checks(void);
unsigned int host_el1_leaks(void);

/* ---- fault probes (probe.c) ---- */

/* Read pa from NS EL2 with the sync vector armed: the ESR (0 = no fault). */
uint64_t probe_read(uint64_t pa, uint64_t *value, uint64_t *far);

/* ---- other CPUs (smp.c) ---- */

typedef void (*host_cpu_fn)(void *arg);

/* A PSCI call to the EL3 monitor (physical CPUs, power). */
unsigned long host_psci(unsigned long fid, unsigned long a1, unsigned long a2, unsigned long a3);
/* The calling CPU's index (MPIDR Aff0). */
unsigned int host_cpu(void);
/* Power CPU `cpu` on to run fn(arg), then off again; the PSCI status. */
unsigned long host_cpu_on(unsigned int cpu, host_cpu_fn fn, void *arg);
bool host_cpu_done(unsigned int cpu);
void host_cpu_wait(unsigned int cpu);

/* ---- preemption timer and GIC (timer.c) ---- */

/* Enable the hyp and virtual timer PPIs and Group 1 on this CPU. */
void host_timer_init(void);
uint64_t host_now(void);
uint64_t host_ticks_per_ms(void);
/* Arm the EL2 physical timer `ticks` from now; disarm it. */
void host_slice_arm(uint64_t ticks);
void host_slice_disarm(void);
/* Acknowledge and complete the pending interrupt; its INTID (1023: none). */
unsigned int host_irq_ack(void);

/* ---- the platform key (platform_key.c) ---- */

/* The monitor's CAEC_SIP_PLATFORM_KEY: the CPAK's 120-byte DER; false if it has none. */
bool host_platform_key(uint8_t der[120]);
/* Answer a realm's REALM_HOST_CALL_PLATFORM_KEY (caec_sip.h) with it. */
void host_answer_platform_key(struct rmi_rec_run *run);

/* ---- the leaked-secret scan (scan.c) ---- */

uint64_t splitmix(uint64_t x);
/*
 * Count copies of the 16-byte pattern splitmix(seed), splitmix(seed + 1)
 * in the NS DRAM the host may read; *bytes = bytes scanned.
 */
unsigned long scan_for_secret(uint64_t seed, unsigned long *bytes);
/* Positive control: a planted pattern must be found exactly once. */
void scanner_self_test(void);

#endif /* HOST_H */
