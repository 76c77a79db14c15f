/*
 * Polled PL011 console and a small printf (%s %c %d %u %x %lx %p %%, with
 * optional zero padding and width, 'l'/'ll' modifiers).  Each image has
 * its own copy.  Output is line-buffered per CPU and every line is written
 * whole under a lock that works with the MMU off (common/src/console.c), so
 * the CPUs running one image (the host on two CPUs, two RECs of a realm)
 * never interleave within a line.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stdint.h>

void console_init(uintptr_t uart_base);
void console_putc(char c);
void console_puts(const char *s);
/* Write this CPU's unfinished line now (it stays unfinished on the UART). */
void console_flush(void);
/*
 * s[0..n) and a newline as one line, under the console lock, apart from
 * this CPU's own buffered line: for a host relaying another agent's lines.
 */
void console_write_line(const char *s, unsigned int n);
/*
 * Where finished lines go instead of the UART: the writer returns how many
 * of the n bytes it took; the rest go to the UART, which is then used for
 * good.  Called under the console lock.  NULL: the UART.
 */
typedef unsigned int (*console_writer_fn)(const char *s, unsigned int n);
void console_set_writer(console_writer_fn w);
int fw_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void print_hex_bytes(const uint8_t *p, unsigned int n);

#endif /* CONSOLE_H */
