/*
 * picolibc's stdin/stdout/stderr for a realm: one write-only stream to the
 * console (PL011 through the unprotected IPA, which the host emulates).
 * common/src/console.c buffers each CPU's line and writes it whole, so a
 * line goes out in one piece even when another REC of the realm prints at
 * the same time; fflush() writes an unfinished line out.
 */
#include <console.h>
#include <stdio.h>

#include <rt/rt.h>

void rt_console_flush(void)
{
	console_flush();
}

static int rt_putc(char c, FILE *f)
{
	(void)f;
	console_putc(c);
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
