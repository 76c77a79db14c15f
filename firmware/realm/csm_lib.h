/*
 * Bare-metal realm helpers for the CSM payload (realm/csm*.c): the RSI CSM
 * calls, a blackboard kept by the host (host calls), stage 1 and the
 * console, and loads/stores that survive a synchronous external abort.
 *
 * Every realm maps VA = IPA for its RAM (1-2 GB), so a CSM window at IPA
 * CSM_WINDOW is used at the same VA.
 */
#ifndef REALM_CSM_LIB_H
#define REALM_CSM_LIB_H

#include <fw_utils.h>

/* The window of IPA space every realm of these scenarios uses for CSM. */
#define CSM_WINDOW	0x40100000UL
#define CSM_PAGES	16UL		/* pages of the shared region */

/* The host's blackboard (host/lib/csm.c): keys realms post and read. */
#define HC_POST		0xC501U
#define HC_GET		0xC502U
#define KEY_ID(i)	(0x10UL + (i))	/* realm i's realm ID */
#define KEY_GRANT	0x20UL		/* the grant the provider made */
#define KEY_GRANT_RO	0x21UL		/* isolation: the read-only grant */
#define KEY_VERIFIED	0x22UL		/* the consumer checked the content */
#define KEY_REVOKED	0x23UL		/* the provider revoked */
#define KEY_OUTSIDER	0x24UL		/* the outsider is done */
#define KEY_DONE	0x25UL		/* the consumer is done */
#define KEY_READY	0x26UL		/* the provider's data is in place */
#define KEY_SENT	0x27UL		/* ring: messages sent */

/* x0..x5 of an RSI call. */
struct csm_ret {
	uint64_t x[6];
};

/* One SMC with x1..x4. */
struct csm_ret rsi(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);
/* A CSM call, re-issued while it answers RSI_ERROR_BUSY (the host acted). */
struct csm_ret csm(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);
/* Post / read a value on the host's blackboard (0: not posted yet). */
void post(uint64_t key, uint64_t value);
uint64_t get(uint64_t key);
/* Yield to the host until key is posted; its value. */
uint64_t wait_for(uint64_t key);
/* REALM_CONFIG, stage 1 on, console on the UART. */
void realm_setup(void);
void __attribute__((noreturn)) system_off(void);

/*
 * A load or store of 8 bytes that survives a synchronous external abort:
 * the ESR_EL1 of the abort, or 0 if the access went through.
 */
uint64_t try_load(const volatile uint64_t *p, uint64_t *val);
uint64_t try_store(volatile uint64_t *p, uint64_t val);
/* "SEA" if esr is a synchronous external abort (DFSC 0x10), else "NO SEA". */
const char *sea_name(uint64_t esr);

uint64_t mix64(uint64_t x);

#endif /* REALM_CSM_LIB_H */
