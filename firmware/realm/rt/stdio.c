/*
 * picolibc's stdin/stdout/stderr for a realm: one write-only stream to the
 * console (PL011 through the unprotected IPA).  Line-buffered so that a
 * line goes out in one piece even when the host or another realm writes
 * to the same UART between two of this realm's runs.
 */
#include <console.h>
#include <stdio.h>

#include <rt/rt.h>

#define LINE_MAX_BYTES	256U

static char line[LINE_MAX_BYTES];
static unsigned int line_len;

void rt_console_flush(void)
{
	unsigned int i;

	for (i = 0U; i < line_len; i++) {
		console_putc(line[i]);
	}
	line_len = 0U;
}

static int rt_putc(char c, FILE *f)
{
	(void)f;
	line[line_len++] = c;
	if (c == '\n' || line_len == LINE_MAX_BYTES) {
		rt_console_flush();
	}
	return (unsigned char)c;
}

static int rt_flush(FILE *f)
{
	(void)f;
	rt_console_flush();
	return 0;
}

static FILE rt_stdio = FDEV_SETUP_STREAM(rt_putc, NULL, rt_flush, _FDEV_SETUP_WRITE);

FILE *const stdin = &rt_stdio;
FILE *const stdout = &rt_stdio;
FILE *const stderr = &rt_stdio;
