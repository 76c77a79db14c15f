/*
 * A realm's console lines over RSI_HOST_CALL (common/include/realm_console.h):
 * one REC exit per line (up to 240 bytes) instead of two per character
 * through the emulated UART.  Realm images only.
 *
 * console.c calls the writer under its console lock, so the one RsiHostCall
 * buffer here is never used by two RECs at once.  Its IPA is found with
 * AT S1E1R: the realm images map their RAM at VA = IPA today, but this
 * file does not rely on it.
 */
#include <console.h>
#include <realm_console.h>
#include <stdbool.h>

#define SMC_RSI_HOST_CALL_FID	0xC4000199UL
#define RSI_SUCCESS_CODE	0UL
#define HOST_CALL_GPRS		31U
#define PAR_F			1UL
#define PAR_PA_MASK		0x0000FFFFFFFFF000UL

/* RsiHostCall (RMM v1.0 B5.4.4): 256 bytes, 256-byte aligned. */
static struct {
	uint16_t imm;
	uint8_t pad[6];
	uint64_t gprs[HOST_CALL_GPRS];
} call __attribute__((aligned(256)));
static uint64_t call_ipa;

static uint64_t ipa_of(const void *va)
{
	uint64_t par;

	__asm__ volatile("at s1e1r, %1\n\tisb\n\tmrs %0, par_el1"
			 : "=r"(par) : "r"(va) : "memory");
	if ((par & PAR_F) != 0UL) {
		return 0UL;
	}
	return (par & PAR_PA_MASK) | ((uint64_t)(uintptr_t)va & 0xFFFUL);
}

static bool host_call_bytes(const char *s, unsigned int n)
{
	register uint64_t x0 __asm__("x0") = SMC_RSI_HOST_CALL_FID;
	register uint64_t x1 __asm__("x1") = call_ipa;
	unsigned int i;

	call.imm = REALM_HOST_CALL_CONSOLE;
	call.gprs[0] = n;
	for (i = 1U; i < HOST_CALL_GPRS; i++) {
		call.gprs[i] = 0UL;
	}
	for (i = 0U; i < n; i++) {
		call.gprs[1U + i / 8U] |= (uint64_t)(unsigned char)s[i] << (8U * (i % 8U));
	}
	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1) : :
			 "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
			 "x13", "x14", "x15", "x16", "x17", "memory");
	return x0 == RSI_SUCCESS_CODE && call.gprs[0] == n;
}

/* console.c's writer: the bytes the host took; console.c sends the rest to the UART. */
static unsigned int host_call_writer(const char *s, unsigned int n)
{
	unsigned int done = 0U;

	while (done < n) {
		unsigned int c = n - done;

		c = (c > REALM_CONSOLE_CALL_BYTES) ? REALM_CONSOLE_CALL_BYTES : c;
		if (!host_call_bytes(s + done, c)) {
			break;
		}
		done += c;
	}
	return done;
}

void console_use_host_call(void)
{
	call_ipa = ipa_of(&call);
	if (call_ipa != 0UL) {
		console_set_writer(host_call_writer);
	}
}
