/*
 * PL011 console and a freestanding printf subset.
 */
#include <console.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define UART_DR		0x00U
#define UART_FR		0x18U
#define UART_FR_TXFF	(1U << 5)

static volatile uint8_t *uart;
static uint32_t line_lock;

/* Whole lines: a spinlock per image (MMU-off images rely on QEMU's exclusives). */
static void console_lock(void)
{
	while (__atomic_exchange_n(&line_lock, 1U, __ATOMIC_ACQUIRE) != 0U) {
	}
}

static void console_unlock(void)
{
	__atomic_store_n(&line_lock, 0U, __ATOMIC_RELEASE);
}

void console_init(uintptr_t uart_base)
{
	uart = (volatile uint8_t *)uart_base;
}

void console_putc(char c)
{
	if (uart == NULL) {
		return;
	}
	if (c == '\n') {
		console_putc('\r');
	}
	while ((*(volatile uint32_t *)(uart + UART_FR) & UART_FR_TXFF) != 0U) {
	}
	*(volatile uint32_t *)(uart + UART_DR) = (uint32_t)(unsigned char)c;
}

void console_puts(const char *s)
{
	while (*s != '\0') {
		console_putc(*s++);
	}
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
	console_lock();
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
	console_unlock();
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
