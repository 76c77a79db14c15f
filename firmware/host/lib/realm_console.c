/*
 * The realms' console (common/include/realm_console.h): an emulated PL011
 * and a host-call line protocol, both printed line by line.
 *
 * The PL011: realm_build maps nothing at the UART's unprotected IPA
 * (UART_IPA), so a realm's access there is a stage-2 fault on an
 * UNASSIGNED_NS entry, which the RMM reports as an emulatable data abort:
 * RMI_EXIT_SYNC with EC 0x24 and ESR.ISV = 1, the offset in the granule in
 * exit.far, the stored value in exit.gprs[0] (RMM v1.0 A4.4, A5.2.5).  The
 * host answers a read of the flag register with "transmit FIFO empty,
 * receive FIFO empty" and of anything else with 0, takes the bytes written
 * to the data register, ignores other writes, and completes the access
 * with REC_ENTER flags.emul_mmio (a read gets enter.gprs[0]).
 *
 * The host call: RSI_HOST_CALL with imm REALM_HOST_CALL_CONSOLE carries up
 * to 240 bytes; the host takes them and answers their count in gprs[0].
 *
 * Either way the bytes go to a line buffer per REC, and a complete line is
 * printed whole under the host's console lock, so neither the other CPU
 * nor another REC can cut into it, whatever the realm's own locking does.
 *
 * A realm's console is host-visible by design, like any unprotected
 * device: the host sees every byte.  Lines are printed as the realm wrote
 * them (its own "[realmN]", "[kernel]" ... tag included), except that
 * control characters become '?' (no terminal escapes) and a line that
 * begins with the tag of a world that is not a realm ("[host]", "[el3]",
 * "[rmm]") gets "[realmN] " in front, so no realm can write a line that
 * reads as the host's (its RESULT line is the run's verdict).
 *
 * Cost: the PL011 takes two REC exits per character (the flag register
 * poll and the data register write; "\r\n" is two characters), the host
 * call one per line; docs/firmware.md, "The realms' console", has the
 * numbers.
 */
#include "host.h"

#include <realm_console.h>

#include <string.h>

#define PL011_DR	0x000UL
#define PL011_FR	0x018UL
#define PL011_FR_RXFE	(1UL << 4)
#define PL011_FR_TXFE	(1UL << 7)

#define ESR_EC(esr)	(((esr) >> 26) & 0x3FUL)
#define ESR_EC_DABT	0x24UL
#define ESR_ISV		(1UL << 24)
#define ESR_WNR		(1UL << 6)

/* Tags of the worlds that are not realms: reserved on the console. */
static const char *const firmware_tags[] = { "[host]", "[el3]", "[rmm]" };

static bool starts_with(const char *s, unsigned int n, const char *tag)
{
	size_t t = strlen(tag);

	return n >= t && memcmp(s, tag, t) == 0;
}

/* "[realm<idx>] " into out (room for 16 bytes); its length. */
static unsigned int realm_tag(char *out, unsigned int idx)
{
	char digits[10];
	unsigned int n = 0U, d = 0U;

	memcpy(out, "[realm", 6U);
	n = 6U;
	do {
		digits[d++] = (char)('0' + idx % 10U);
		idx /= 10U;
	} while (idx != 0U);
	while (d > 0U) {
		out[n++] = digits[--d];
	}
	out[n++] = ']';
	out[n++] = ' ';
	return n;
}

/* Print REC k's buffered line (even if unfinished) and empty the buffer. */
static void line_out(struct host_realm *r, unsigned int k)
{
	struct host_console_line *l = &r->console[k];
	char out[HOST_CONSOLE_LINE + 16U];
	unsigned int n = 0U, i;

	for (i = 0U; i < sizeof(firmware_tags) / sizeof(firmware_tags[0]); i++) {
		if (starts_with(l->text, l->len, firmware_tags[i])) {
			n = realm_tag(out, r->idx);
			break;
		}
	}
	memcpy(out + n, l->text, l->len);
	console_write_line(out, n + l->len);
	l->len = 0U;
	r->console_lines++;
}

static void rec_putc(struct host_realm *r, unsigned int k, char c)
{
	struct host_console_line *l = &r->console[k];

	r->console_chars++;
	if (c == '\r') {
		return;		/* the host's console adds its own before '\n' */
	}
	if (c == '\n') {
		line_out(r, k);
		return;
	}
	if ((unsigned char)c < 0x20U || (unsigned char)c >= 0x7FU) {
		c = (c == '\t') ? c : '?';
	}
	l->text[l->len++] = c;
	if (l->len == HOST_CONSOLE_LINE) {
		line_out(r, k);	/* a line this long is printed in pieces */
	}
}

/* REALM_HOST_CALL_CONSOLE: take the bytes, answer their count (0: refused). */
static void console_host_call(struct host_realm *r, unsigned int k, struct rmi_rec_run *run)
{
	const struct rmi_rec_exit *e = &run->exit;
	uint64_t n = e->gprs[0];
	unsigned int i;

	r->console_calls++;
	memset(run->entry.gprs, 0, sizeof(run->entry.gprs));
	if (n == 0UL || n > REALM_CONSOLE_CALL_BYTES) {
		return;
	}
	for (i = 0U; i < n; i++) {
		rec_putc(r, k, (char)((e->gprs[1U + i / 8U] >> (8U * (i % 8U))) & 0xFFUL));
	}
	run->entry.gprs[0] = n;
}

static bool is_uart_access(const struct rmi_rec_exit *e)
{
	uint64_t ipa = (e->hpfar >> 4) << GRANULE_SHIFT;

	return e->exit_reason == RMI_EXIT_SYNC && ESR_EC(e->esr) == ESR_EC_DABT &&
	       (e->esr & ESR_ISV) != 0UL && ipa == (UART_IPA & ~GRANULE_MASK);
}

enum realm_console_exit realm_console_exit(struct host_realm *r, unsigned int k,
					   struct rmi_rec_run *run)
{
	const struct rmi_rec_exit *e = &run->exit;
	enum realm_console_exit kind = REALM_CONSOLE_NONE;
	uint64_t off = e->far & GRANULE_MASK;
	unsigned int i;

	if (e->exit_reason == RMI_EXIT_HOST_CALL && e->imm == REALM_HOST_CALL_CONSOLE) {
		console_host_call(r, k, run);
		kind = REALM_CONSOLE_HOST_CALL;
	} else if (is_uart_access(e)) {
		r->console_exits++;
		if ((e->esr & ESR_WNR) != 0UL) {
			if (off == PL011_DR) {
				rec_putc(r, k, (char)(e->gprs[0] & 0xFFUL));
			}
			/* Writes to any other register (control, baud rate...) are ignored. */
		} else {
			run->entry.gprs[0] = (off == PL011_FR) ? (PL011_FR_TXFE | PL011_FR_RXFE) : 0UL;
		}
		kind = REALM_CONSOLE_UART;
	} else {
		return REALM_CONSOLE_NONE;
	}
	/* The realm's interrupt state as it left it: nothing re-injected. */
	for (i = 0U; i < REC_GIC_NUM_LRS; i++) {
		run->entry.gicv3_lrs[i] = e->gicv3_lrs[i];
	}
	return kind;
}

void realm_console_flush(struct host_realm *r)
{
	unsigned int k;

	for (k = 0U; k < HOST_MAX_RECS; k++) {
		if (r->console[k].len > 0U) {
			line_out(r, k);
		}
	}
}
