/*
 * Polled PL011 console and a small printf (%s %c %d %u %x %lx %p %%, with
 * optional zero padding and width, 'l'/'ll' modifiers).  No locking: one
 * CPU, and each component prints only while it runs.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stdint.h>

void console_init(uintptr_t uart_base);
void console_putc(char c);
void console_puts(const char *s);
int fw_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void print_hex_bytes(const uint8_t *p, unsigned int n);

/* Semihosting SYS_EXIT with a status code (QEMU exits with it). */
void semihosting_exit(unsigned int status) __attribute__((noreturn));

#endif /* CONSOLE_H */
