/*
 * PL011 console and a freestanding printf subset.
 *
 * Whole lines: each CPU assembles its line in its own buffer and writes it
 * to the UART in one go under the console lock, so the CPUs running one
 * image never interleave within a line, even when a line is built by
 * several calls (a printf, then print_hex_bytes, then "\n").  A line
 * longer than the buffer keeps the lock from its first full buffer to its
 * end.
 *
 * The lock is Lamport's bakery lock: plain loads and stores ordered by DMB,
 * no exclusives and no atomic instructions.  The host runs with its MMU
 * off, where every data access is Device-nGnRnE, and whether exclusives
 * (LDAXR/STXR) or atomics work on Device or Non-cacheable memory is
 * IMPLEMENTATION DEFINED (Cortex-A35/A55 cores, for one, take a Data Abort
 * with DFSC 0x35 when the interconnect does not support them); QEMU happens
 * to perform them, which is all the spinlock this replaces relied on.  The
 * bakery needs only single-copy atomic, coherent loads and stores, which
 * every memory type gives.  The monitor and the RMM also print before
 * their MMU is on.
 *
 * CPUs are told apart by MPIDR_EL1.Aff0 (a realm reads its REC's MPIDR):
 * at most CONSOLE_MAX_CPUS of them, which covers the two physical CPUs and
 * the four RECs a realm has here.  The lock is recursive per CPU, so an
 * exception handler that prints while its CPU holds the lock does not
 * deadlock (its text then lands in the interrupted line).
 */
#include <console.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define UART_DR		0x00U
#define UART_FR		0x18U
#define UART_FR_TXFF	(1U << 5)

#define CONSOLE_MAX_CPUS	16U
#define CONSOLE_LINE		256U

struct cpu_console {
	char line[CONSOLE_LINE];
	unsigned int len;
	unsigned int depth;	/* lock nesting on this CPU; 0: not held */
	bool long_line;		/* a line that filled the buffer: lock held until '\n' */
};

static volatile uint8_t *uart;
static console_writer_fn writer;	/* NULL: the UART */
static struct cpu_console cpus[CONSOLE_MAX_CPUS];
/* The bakery: a CPU sets entering[i] while it takes a ticket. */
static volatile uint32_t entering[CONSOLE_MAX_CPUS];
static volatile uint32_t ticket[CONSOLE_MAX_CPUS];

static inline void full_barrier(void)
{
	__asm__ volatile("dmb sy" : : : "memory");
}

static unsigned int this_cpu(void)
{
	uint64_t mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	return (unsigned int)(mpidr & (CONSOLE_MAX_CPUS - 1U));
}

/* (ticket a, cpu i) before (ticket b, cpu j)? */
static bool bakery_before(uint32_t a, unsigned int i, uint32_t b, unsigned int j)
{
	return a < b || (a == b && i < j);
}

static void bakery_acquire(unsigned int me)
{
	uint32_t max = 0U, mine;
	unsigned int j;

	entering[me] = 1U;
	full_barrier();
	for (j = 0U; j < CONSOLE_MAX_CPUS; j++) {
		uint32_t t = ticket[j];

		max = (t > max) ? t : max;
	}
	mine = max + 1U;
	ticket[me] = mine;
	full_barrier();
	entering[me] = 0U;
	full_barrier();
	for (j = 0U; j < CONSOLE_MAX_CPUS; j++) {
		if (j == me) {
			continue;
		}
		while (entering[j] != 0U) {
		}
		full_barrier();
		for (;;) {
			uint32_t t = ticket[j];

			if (t == 0U || !bakery_before(t, j, mine, me)) {
				break;
			}
		}
	}
	full_barrier();
}

static void bakery_release(unsigned int me)
{
	full_barrier();
	ticket[me] = 0U;
	full_barrier();
}

static void console_lock(struct cpu_console *cc, unsigned int me)
{
	if (cc->depth++ == 0U) {
		bakery_acquire(me);
	}
}

static void console_unlock(struct cpu_console *cc, unsigned int me)
{
	if (--cc->depth == 0U) {
		bakery_release(me);
	}
}

void console_init(uintptr_t uart_base)
{
	uart = (volatile uint8_t *)uart_base;
}

/*
 * One byte to the PL011.  The accesses are single LDR/STR without
 * writeback, so a hypervisor that emulates the UART gets a syndrome it can
 * decode (ESR.ISV = 1).
 */
static void uart_tx(char c)
{
	uint32_t fr;

	do {
		__asm__ volatile("ldr %w0, [%1]" : "=r"(fr) : "r"(uart + UART_FR) : "memory");
	} while ((fr & UART_FR_TXFF) != 0U);
	__asm__ volatile("str %w0, [%1]" : : "r"((uint32_t)(unsigned char)c), "r"(uart + UART_DR)
			 : "memory");
}

static void uart_write(const char *s, unsigned int n)
{
	unsigned int i;

	for (i = 0U; i < n; i++) {
		if (s[i] == '\n') {
			uart_tx('\r');
		}
		uart_tx(s[i]);
	}
}

void console_set_writer(console_writer_fn w)
{
	writer = w;
}

/* Called with the console lock held. */
static void console_out(const char *s, unsigned int n)
{
	unsigned int done = 0U;

	if (writer != NULL) {
		done = writer(s, n);
		if (done < n) {
			writer = NULL;	/* it cannot take them: the UART from now on */
		}
	}
	uart_write(s + done, n - done);
}

/* Write this CPU's buffer: the end of a line, or a full buffer of a long one. */
static void line_flush(struct cpu_console *cc, unsigned int me, bool end)
{
	if (!cc->long_line) {
		console_lock(cc, me);
	}
	console_out(cc->line, cc->len);
	cc->len = 0U;
	cc->long_line = !end;
	if (end) {
		console_unlock(cc, me);
	}
}

void console_putc(char c)
{
	unsigned int me = this_cpu();
	struct cpu_console *cc = &cpus[me];

	if (uart == NULL) {
		return;
	}
	cc->line[cc->len++] = c;
	if (c == '\n') {
		line_flush(cc, me, true);
	} else if (cc->len == CONSOLE_LINE) {
		line_flush(cc, me, false);
	}
}

void console_puts(const char *s)
{
	while (*s != '\0') {
		console_putc(*s++);
	}
}

void console_flush(void)
{
	unsigned int me = this_cpu();
	struct cpu_console *cc = &cpus[me];

	if (uart != NULL && (cc->len > 0U || cc->long_line)) {
		line_flush(cc, me, true);
	}
}

void console_write_line(const char *s, unsigned int n)
{
	unsigned int me = this_cpu();
	struct cpu_console *cc = &cpus[me];

	if (uart == NULL) {
		return;
	}
	console_lock(cc, me);
	console_out(s, n);
	console_out("\n", 1U);
	console_unlock(cc, me);
}

static void put_num(unsigned long v, unsigned int base, int width, bool zero, bool neg)
{
	char buf[24];
	int n = 0;

	do {
		unsigned int d = (unsigned int)(v % base);

		buf[n++] = (char)((d < 10U) ? ('0' + d) : ('a' + d - 10U));
		v /= base;
	} while (v != 0UL);
	if (neg) {
		buf[n++] = '-';
	}
	while (n < width) {
		console_putc(zero ? '0' : ' ');
		width--;
	}
	while (n > 0) {
		console_putc(buf[--n]);
	}
}

int fw_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt != '\0'; fmt++) {
		bool zero = false, lng = false;
		int width = 0;

		if (*fmt != '%') {
			console_putc(*fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0') {
			zero = true;
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9') {
			width = width * 10 + (*fmt - '0');
			fmt++;
		}
		while (*fmt == 'l') {
			lng = true;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);

			console_puts((s != NULL) ? s : "(null)");
			break;
		}
		case 'c':
			console_putc((char)va_arg(ap, int));
			break;
		case 'd': {
			long v = lng ? va_arg(ap, long) : va_arg(ap, int);

			put_num((v < 0) ? (unsigned long)-v : (unsigned long)v, 10U, width, zero, v < 0);
			break;
		}
		case 'u':
			put_num(lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int), 10U,
				width, zero, false);
			break;
		case 'x':
			put_num(lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int), 16U,
				width, zero, false);
			break;
		case 'p':
			console_puts("0x");
			put_num((unsigned long)va_arg(ap, void *), 16U, width, zero, false);
			break;
		case '%':
			console_putc('%');
			break;
		default:
			console_putc('?');
			break;
		}
	}
	va_end(ap);
	return 0;
}

void print_hex_bytes(const uint8_t *p, unsigned int n)
{
	unsigned int i;

	for (i = 0U; i < n; i++) {
		put_num(p[i], 16U, 2, true, false);
	}
}
