/*
 * Application output: write(1 or 2) goes to the console one line at a
 * time, prefixed with the application's name, so that lines of different
 * applications (and the kernel's) never interleave.
 */
#include <stdio.h>

#include <rt/rt.h>

#include "kernel.h"

void console_flush_proc(struct proc *p)
{
	if (p->line_len > 0U) {
		printf("[%s] %.*s\n", p->name, (int)p->line_len, p->line);
		p->line_len = 0U;
	}
}

void console_write_user(struct proc *p, const char *buf, size_t n)
{
	size_t i;

	for (i = 0U; i < n; i++) {
		char c = buf[i];

		if (c == '\n') {
			if (p->line_len == 0U) {
				printf("[%s]\n", p->name);
			}
			console_flush_proc(p);
			continue;
		}
		if ((unsigned char)c < 0x20U && c != '\t') {
			c = '?';	/* no escape sequences from applications */
		}
		p->line[p->line_len++] = c;
		if (p->line_len == sizeof(p->line)) {
			console_flush_proc(p);
		}
	}
}
