/*
 * The realms' console (docs/firmware.md, "The realms' console"), shared by
 * the realm images and the host that runs them.
 *
 * A realm has two ways to its console; the host shows both the same way
 * (whole lines, under its console lock, host/lib/realm_console.c):
 *
 *  - a PL011 at the UART's address in the unprotected half of its IPA
 *    space, which the host emulates (nothing is mapped there: every access
 *    is an emulatable data abort, two REC exits per character);
 *  - RSI_HOST_CALL with imm REALM_HOST_CALL_CONSOLE: gprs[0] = n, the
 *    number of bytes (1..REALM_CONSOLE_CALL_BYTES), byte i in
 *    gprs[1 + i / 8] bits [8 * (i % 8) + 7 : 8 * (i % 8)]; the host
 *    answers gprs[0] = n once it has taken them (anything else: it does
 *    not speak this protocol, use the UART).  One REC exit per line of up
 *    to 240 bytes.
 *
 * Either way the host sees every byte: a realm's console is host-visible
 * by design, like any unprotected device.
 */
#ifndef REALM_CONSOLE_H
#define REALM_CONSOLE_H

#define REALM_HOST_CALL_CONSOLE		0xC0C0U
#define REALM_CONSOLE_CALL_BYTES	240U	/* gprs[1..30] */

#ifndef __ASSEMBLER__
/*
 * For a realm image, after console_init() with the MMU on: send the
 * console's lines with REALM_HOST_CALL_CONSOLE instead of the UART
 * (common/src/console_host_call.c).  If the host does not answer the
 * protocol, the console goes back to the UART for good.
 */
void console_use_host_call(void);
#endif

#endif /* REALM_CONSOLE_H */
