/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux pieces of caec_region_export_fd() (src/os/os.h): which file a
 * descriptor and a mapping are, and making every mapping of a file in
 * this process inaccessible.
 *
 * The library cannot know where third-party code mapped an exported
 * descriptor, so it asks the kernel: /proc/self/maps names the file
 * (device and inode) of every mapping.  Each mapping of a file in the list
 * is replaced by inaccessible anonymous memory, the range kept reserved,
 * exactly as the backends treat the library's own mapping on revocation.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <caec/error.h>

#include "../os.h"

/* The whole of /proc/self/maps, NUL-terminated (malloc'd), or NULL. */
static char *read_maps(void)
{
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	size_t cap = 16384, n = 0;
	char *buf = NULL;

	if (fd < 0)
		return NULL;
	for (;;) {
		if (!buf || n + 4096 > cap) {
			if (buf)
				cap *= 2;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				close(fd);
				return NULL;
			}
			buf = nb;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			close(fd);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = 0;
	return buf;
}

/* One line: "start-end perms offset major:minor inode [path]". */
static bool parse_line(const char *l, uintptr_t *lo, uintptr_t *hi,
		       struct caec_os_file *f)
{
	unsigned long long a, b, off, inode;
	unsigned maj, mn;
	char perms[8];

	if (sscanf(l, "%llx-%llx %7s %llx %x:%x %llu", &a, &b, perms, &off, &maj,
		   &mn, &inode) != 7 || b <= a)
		return false;
	*lo = (uintptr_t)a;
	*hi = (uintptr_t)b;
	f->dev = (uint64_t)makedev(maj, mn);
	f->ino = inode;
	return true;
}

/* Call fn(arg, lo, hi, file) for every mapping of this process; -1 if
 * /proc/self/maps cannot be read. */
static int each_mapping(void (*fn)(void *, uintptr_t, uintptr_t,
				   const struct caec_os_file *),
			void *arg)
{
	char *maps = read_maps();

	if (!maps)
		return -1;
	/* The whole file is read first: fn may change the mappings. */
	for (char *l = maps; *l;) {
		char *nl = strchr(l, '\n');
		uintptr_t lo, hi;
		struct caec_os_file f;
		if (nl)
			*nl = 0;
		if (parse_line(l, &lo, &hi, &f))
			fn(arg, lo, hi, &f);
		if (!nl)
			break;
		l = nl + 1;
	}
	free(maps);
	return 0;
}

struct find {
	uintptr_t addr;
	struct caec_os_file f;
	bool found;
};

static void find_one(void *arg, uintptr_t lo, uintptr_t hi,
		     const struct caec_os_file *f)
{
	struct find *x = arg;

	if (x->addr >= lo && x->addr < hi && f->ino) {
		x->f = *f;
		x->found = true;
	}
}

int caec_os_export_check(int fd, size_t size, const void *addr,
			 struct caec_os_file *f)
{
	struct stat st;
	int acc = fcntl(fd, F_GETFL);
	struct find x = { .addr = (uintptr_t)addr };

	if (acc < 0 || (acc & O_ACCMODE) != O_RDONLY || fstat(fd, &st) < 0 ||
	    !S_ISREG(st.st_mode) || st.st_size < 0 || (uint64_t)st.st_size != size)
		return CAEC_E_PROTO;
	if (each_mapping(find_one, &x) < 0 || !x.found)
		return CAEC_E_PLATFORM;
	if (x.f.dev != (uint64_t)st.st_dev || x.f.ino != (uint64_t)st.st_ino)
		return CAEC_E_STATE;
	*f = x.f;
	return 0;
}

struct cut {
	const struct caec_os_file *files;
	unsigned n;
};

static void cut_one(void *arg, uintptr_t lo, uintptr_t hi,
		    const struct caec_os_file *f)
{
	const struct cut *c = arg;

	for (unsigned i = 0; i < c->n; i++)
		if (c->files[i].dev == f->dev && c->files[i].ino == f->ino) {
			/* keep the range reserved: stale pointers fault instead
			 * of reading what lands there next */
			(void)mmap((void *)lo, hi - lo, PROT_NONE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
				   -1, 0);
			return;
		}
}

void caec_os_unmap_files(const struct caec_os_file *files, unsigned n)
{
	struct cut c = { files, n };

	if (n)
		(void)each_mapping(cut_one, &c); /* readable: export checked it */
}
