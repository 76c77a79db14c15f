/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Measurements (worker threads): the simulated RIM of a process, and the
 * content hash (with the copy, when needed) of a region being sealed.
 *
 * The RIM covers the code that speaks for the realm, not just the file it
 * was started from: every file the process has mapped executable when it
 * says HELLO -- the executable itself, the dynamic loader, every library,
 * whether it came from DT_NEEDED, LD_PRELOAD, LD_AUDIT or dlopen().  Its
 * definition (docs/sim-platform.md):
 *
 *   RIM = SHA-256("caec-sim-rim-2" NUL || H(executable) || n (u32, LE) ||
 *                 H(lib_1) || ... || H(lib_n))
 *
 * with H = SHA-256 of a file's content, the libraries' hashes in ascending
 * byte order (so load order does not matter, the executable's role does:
 * "ld.so prog" measures differently from "prog").  Executable memory that
 * is not a file (JIT or injected code) cannot be measured: such a process
 * is refused.  The process's mapped files are read twice, before and after
 * hashing, and the process must still be the one that connected: if its
 * image changed in between (an exec), the measurement is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "sha.h"
#include "simd.h"

#define HASH_BLOCK ((size_t)1 << 20)
#define CACHE_MAX 4096u
#define MAPS_MAX ((size_t)16 << 20)

static const unsigned char zeros[HASH_BLOCK];

/* ---- file hash cache -------------------------------------------------- */

struct cache_entry {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
	uint8_t hash[32];
};

struct simd_hash_cache {
	struct cache_entry e[CACHE_MAX];
	size_t n, next;
};

int simd_cache_init(struct simd *d)
{
	d->cache = calloc(1, sizeof(*d->cache));
	if (!d->cache)
		return -1;
	pthread_mutex_init(&d->cache_lock, NULL);
	return 0;
}

void simd_cache_fini(struct simd *d)
{
	if (!d->cache)
		return;
	free(d->cache);
	d->cache = NULL;
	pthread_mutex_destroy(&d->cache_lock);
}

static bool same_version(const struct cache_entry *e, const struct stat *st)
{
	return e->dev == st->st_dev && e->ino == st->st_ino && e->size == st->st_size &&
	       e->mtime.tv_sec == st->st_mtim.tv_sec && e->mtime.tv_nsec == st->st_mtim.tv_nsec &&
	       e->ctime.tv_sec == st->st_ctim.tv_sec && e->ctime.tv_nsec == st->st_ctim.tv_nsec;
}

static bool cache_get(struct simd *d, const struct stat *st, uint8_t out[32])
{
	bool hit = false;
	pthread_mutex_lock(&d->cache_lock);
	for (size_t i = 0; i < d->cache->n; i++)
		if (same_version(&d->cache->e[i], st)) {
			memcpy(out, d->cache->e[i].hash, 32);
			hit = true;
			break;
		}
	pthread_mutex_unlock(&d->cache_lock);
	return hit;
}

static void cache_put(struct simd *d, const struct stat *st, const uint8_t h[32])
{
	pthread_mutex_lock(&d->cache_lock);
	struct simd_hash_cache *c = d->cache;
	size_t i = c->n < CACHE_MAX ? c->n++ : c->next++ % CACHE_MAX;
	c->e[i] = (struct cache_entry){ .dev = st->st_dev, .ino = st->st_ino,
					.size = st->st_size, .mtime = st->st_mtim,
					.ctime = st->st_ctim };
	memcpy(c->e[i].hash, h, 32);
	pthread_mutex_unlock(&d->cache_lock);
}

/* ---- hashing ------------------------------------------------------- */

/*
 * Hash [off, off+len) of fd into ctx, skipping the reading of holes
 * (zeros are fed from memory).  Stops early if *cancel is set.
 * Returns 0, -ECANCELED, -EIO or -errno.
 */
static int hash_range(struct simd_sha *ctx, int fd, uint64_t off,
		      uint64_t len, const atomic_bool *cancel, unsigned char *buf)
{
	uint64_t end = off + len;
	while (off < end) {
		if (cancel && atomic_load(cancel))
			return -ECANCELED;
		/* Next data at or after off; a hole until then. */
		off_t data = lseek(fd, (off_t)off, SEEK_DATA);
		uint64_t hole_end = data < 0 ? end : (uint64_t)data;
		if (data < 0 && errno != ENXIO)
			hole_end = off; /* SEEK_DATA unsupported: read everything */
		if (hole_end > end)
			hole_end = end;
		if (hole_end > off) {
			size_t n = hole_end - off > HASH_BLOCK ? HASH_BLOCK : (size_t)(hole_end - off);
			if (simd_sha_update(ctx, zeros, n) != 0)
				return -EIO;
			off += n;
			continue;
		}
		size_t want = end - off > HASH_BLOCK ? HASH_BLOCK : (size_t)(end - off);
		ssize_t n = pread(fd, buf, want, (off_t)off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO; /* shorter than it said */
		if (simd_sha_update(ctx, buf, (size_t)n) != 0)
			return -EIO;
		off += (uint64_t)n;
	}
	return 0;
}

static int hash_file(struct simd *d, int fd, const atomic_bool *cancel,
		     uint64_t max_bytes, uint8_t out[32], char *why, size_t whylen)
{
	struct stat st, st2;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "a mapped file is not a regular file");
		return CAEC_E_DENIED;
	}
	if ((uint64_t)st.st_size > max_bytes) {
		snprintf(why, whylen, "a mapped file is %lld bytes, above --max-image-mib",
			 (long long)st.st_size);
		return CAEC_E_RANGE;
	}
	if (cache_get(d, &st, out))
		return 0;
	unsigned char *buf = malloc(HASH_BLOCK);
	if (!buf)
		return CAEC_E_NOMEM;
	struct simd_sha *ctx = simd_sha_new();
	int rc = !ctx ? -ENOMEM : hash_range(ctx, fd, 0, (uint64_t)st.st_size, cancel, buf);
	if (rc == 0 && simd_sha_final(ctx, out) != 0)
		rc = -EIO;
	simd_sha_free(ctx);
	free(buf);
	if (rc == -ECANCELED)
		return CAEC_E_PLATFORM;
	if (rc < 0) {
		snprintf(why, whylen, "reading a mapped file: %s", strerror(-rc));
		return CAEC_E_PLATFORM;
	}
	/* Changed while we read it: the hash describes nothing. */
	if (fstat(fd, &st2) < 0 || st2.st_size != st.st_size ||
	    st2.st_mtim.tv_sec != st.st_mtim.tv_sec || st2.st_mtim.tv_nsec != st.st_mtim.tv_nsec ||
	    st2.st_ctim.tv_sec != st.st_ctim.tv_sec || st2.st_ctim.tv_nsec != st.st_ctim.tv_nsec) {
		snprintf(why, whylen, "a mapped file changed while it was measured");
		return CAEC_E_DENIED;
	}
	cache_put(d, &st, out);
	return 0;
}

/* ---- the process --------------------------------------------------------- */

struct xmap {
	unsigned long start, end;
	dev_t dev;
	ino_t ino;
	char path[256];
	bool deleted;
};

struct snapshot {
	dev_t exe_dev;
	ino_t exe_ino;
	struct xmap *m;   /* executable file mappings */
	size_t n;
};

static void snapshot_free(struct snapshot *s)
{
	free(s->m);
	s->m = NULL;
	s->n = 0;
}

static int read_all_at(int dirfd, const char *name, char **out, size_t *len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t cap = 65536, n = 0;
	char *b = malloc(cap + 1);
	if (!b) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		if (n == cap) {
			if (cap >= MAPS_MAX) {
				free(b);
				close(fd);
				return -E2BIG;
			}
			char *nb = realloc(b, cap * 2 + 1);
			if (!nb) {
				free(b);
				close(fd);
				return -ENOMEM;
			}
			b = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, b + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = -errno;
			free(b);
			close(fd);
			return e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	b[n] = '\0';
	*out = b;
	*len = n;
	return 0;
}

static int cmp_xmap(const void *a, const void *b)
{
	const struct xmap *x = a, *y = b;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return 0;
}

/* The process's executable mappings, one entry per file (sorted). */
static int take_snapshot(int dirfd, struct snapshot *s, char *why, size_t whylen)
{
	struct stat st;
	char *maps;
	size_t len;
	int rc;

	memset(s, 0, sizeof(*s));
	if (fstatat(dirfd, "exe", &st, 0) < 0) {
		snprintf(why, whylen, "cannot read its executable: %s", strerror(errno));
		return CAEC_E_DENIED;
	}
	s->exe_dev = st.st_dev;
	s->exe_ino = st.st_ino;
	rc = read_all_at(dirfd, "maps", &maps, &len);
	if (rc < 0) {
		snprintf(why, whylen, "cannot read its mappings: %s", strerror(-rc));
		return CAEC_E_DENIED;
	}
	size_t cap = 0;
	for (char *line = maps, *nl; line && *line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		unsigned long start, end, offset, ino;
		unsigned maj, min;
		char perms[8];
		int pos = 0;
		if (sscanf(line, "%lx-%lx %7s %lx %x:%x %lu %n", &start, &end, perms,
			   &offset, &maj, &min, &ino, &pos) < 7)
			continue;
		if (strlen(perms) < 3 || perms[2] != 'x')
			continue;
		const char *path = pos > 0 ? line + pos : "";
		if (ino == 0) {
			if (strcmp(path, "[vdso]") == 0 || strcmp(path, "[vsyscall]") == 0)
				continue;
			snprintf(why, whylen, "executable memory that is not a file (%s): "
				 "unmeasurable code", *path ? path : "anonymous");
			free(maps);
			snapshot_free(s);
			return CAEC_E_DENIED;
		}
		struct xmap x = { .start = start, .end = end, .dev = makedev(maj, min),
				  .ino = (ino_t)ino };
		snprintf(x.path, sizeof(x.path), "%s", path);
		size_t pl = strlen(x.path);
		if (pl > 10 && strcmp(x.path + pl - 10, " (deleted)") == 0)
			x.deleted = true;
		bool dup = false;
		for (size_t i = 0; i < s->n; i++)
			if (s->m[i].dev == x.dev && s->m[i].ino == x.ino)
				dup = true;
		if (dup)
			continue;
		if (s->n == cap) {
			cap = cap ? cap * 2 : 32;
			struct xmap *nm = realloc(s->m, cap * sizeof(*nm));
			if (!nm) {
				free(maps);
				snapshot_free(s);
				return CAEC_E_NOMEM;
			}
			s->m = nm;
		}
		s->m[s->n++] = x;
	}
	free(maps);
	qsort(s->m, s->n, sizeof(*s->m), cmp_xmap);
	return 0;
}

static bool same_snapshot(const struct snapshot *a, const struct snapshot *b)
{
	if (a->exe_dev != b->exe_dev || a->exe_ino != b->exe_ino || a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (cmp_xmap(&a->m[i], &b->m[i]) != 0)
			return false;
	return true;
}

/* Open a mapped file: through map_files (exactly what is mapped; needs
 * CAP_SYS_ADMIN), else by its path, checked to be the same file. */
static int open_mapped(int dirfd, const struct xmap *x, char *why, size_t whylen)
{
	char name[64];
	snprintf(name, sizeof(name), "map_files/%lx-%lx", x->start, x->end);
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	if (x->deleted || x->path[0] != '/') {
		snprintf(why, whylen, "cannot open mapped file %s", x->path);
		return -1;
	}
	fd = open(x->path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_dev != x->dev || st.st_ino != x->ino) {
		if (fd >= 0)
			close(fd);
		snprintf(why, whylen, "cannot open mapped file %s as mapped", x->path);
		return -1;
	}
	return fd;
}

static int cmp_hash(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

static bool alive(int pidfd)
{
	return syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) == 0;
}

/* Read "Key:\t..." from /proc/<pid>/status. */
static void read_status(int dirfd, uint32_t *insecure, uid_t *euid, uid_t daemon_euid)
{
	char *st;
	size_t len;
	*euid = 0;
	if (read_all_at(dirfd, "status", &st, &len) < 0) {
		*insecure |= SIMD_INSECURE_UID; /* unknown: assume the worst */
		return;
	}
	unsigned long long capeff = ~0ull;
	unsigned ruid = 0, eu = 0, su = 0, fsu = 0;
	int tracer = 0;
	for (char *line = st, *nl; line && *line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		if (sscanf(line, "Uid: %u %u %u %u", &ruid, &eu, &su, &fsu) == 4)
			continue;
		if (sscanf(line, "CapEff: %llx", &capeff) == 1)
			continue;
		(void)sscanf(line, "TracerPid: %d", &tracer);
	}
	free(st);
	*euid = eu;
	if (eu == 0 || fsu == 0 || eu == daemon_euid || fsu == daemon_euid)
		*insecure |= SIMD_INSECURE_UID;
	/* CAP_DAC_OVERRIDE (1), CAP_FOWNER (3), CAP_SYS_PTRACE (19),
	 * CAP_SYS_ADMIN (21): each defeats file modes or process isolation. */
	if (capeff & ((1ull << 1) | (1ull << 3) | (1ull << 19) | (1ull << 21)))
		*insecure |= SIMD_INSECURE_CAPS;
	if (tracer != 0)
		*insecure |= SIMD_INSECURE_TRACED;
}

int simd_measure_process(struct simd *d, struct simd_job *j)
{
	char path[64];
	struct snapshot a, b;
	uint8_t exe_hash[32], *libs = NULL;
	size_t n_libs = 0;
	int rc;

	snprintf(path, sizeof(path), "/proc/%d", (int)j->pid);
	int dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* Checked after the open: /proc/<pid> is the process that connected
	 * (its pid cannot have been reused while it is alive). */
	if (dirfd < 0 || !alive(j->pidfd)) {
		if (dirfd >= 0)
			close(dirfd);
		snprintf(j->why, sizeof(j->why), "process %d is gone", (int)j->pid);
		return CAEC_E_DENIED;
	}
	read_status(dirfd, &j->insecure, &j->euid, d->euid);
	rc = take_snapshot(dirfd, &a, j->why, sizeof(j->why));
	if (rc < 0) {
		close(dirfd);
		return rc;
	}
	j->exe_dev = a.exe_dev;
	j->exe_ino = a.exe_ino;

	int fd = openat(dirfd, "exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(j->why, sizeof(j->why), "cannot open its executable: %s", strerror(errno));
		rc = CAEC_E_DENIED;
		goto out;
	}
	rc = hash_file(d, fd, &j->cancel, d->o.max_image_bytes, exe_hash, j->why, sizeof(j->why));
	close(fd);
	if (rc < 0)
		goto out;
	libs = malloc(a.n ? a.n * 32 : 1);
	if (!libs) {
		rc = CAEC_E_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < a.n; i++) {
		if (a.m[i].dev == a.exe_dev && a.m[i].ino == a.exe_ino)
			continue; /* the executable itself */
		fd = open_mapped(dirfd, &a.m[i], j->why, sizeof(j->why));
		if (fd < 0) {
			rc = CAEC_E_DENIED;
			goto out;
		}
		rc = hash_file(d, fd, &j->cancel, d->o.max_image_bytes, libs + 32 * n_libs,
			       j->why, sizeof(j->why));
		close(fd);
		if (rc < 0)
			goto out;
		n_libs++;
	}
	/* The same code before and after, from the same live process. */
	rc = take_snapshot(dirfd, &b, j->why, sizeof(j->why));
	if (rc < 0)
		goto out;
	bool same = same_snapshot(&a, &b);
	snapshot_free(&b);
	if (!same || !alive(j->pidfd)) {
		snprintf(j->why, sizeof(j->why), "its code changed while it was measured");
		rc = CAEC_E_DENIED;
		goto out;
	}
	qsort(libs, n_libs, 32, cmp_hash);
	uint8_t n_le[4] = { (uint8_t)n_libs, (uint8_t)(n_libs >> 8), (uint8_t)(n_libs >> 16),
			    (uint8_t)(n_libs >> 24) };
	struct simd_sha *ctx = simd_sha_new();
	if (!ctx || simd_sha_update(ctx, "caec-sim-rim-2", 15) != 0 ||
	    simd_sha_update(ctx, exe_hash, 32) != 0 ||
	    simd_sha_update(ctx, n_le, 4) != 0 ||
	    (n_libs && simd_sha_update(ctx, libs, 32 * n_libs) != 0) ||
	    simd_sha_final(ctx, j->rim) != 0)
		rc = CAEC_E_PLATFORM;
	simd_sha_free(ctx);
out:
	free(libs);
	snapshot_free(&a);
	close(dirfd);
	return rc;
}

/* ---- sealing -------------------------------------------------------- */

/* Copy at most budget bytes of data (holes stay holes). */
static int copy_step(struct simd_job *j, uint64_t budget, unsigned char *buf)
{
	uint64_t size = j->size, done = 0;
	int src = j->mem->fd;
	while (j->off < size && done < budget) {
		if (atomic_load(&j->cancel))
			return -ECANCELED;
		off_t data = lseek(src, (off_t)j->off, SEEK_DATA);
		if (data < 0) {
			if (errno == ENXIO) { /* only a hole left */
				j->off = size;
				break;
			}
			data = (off_t)j->off; /* no SEEK_DATA: copy everything */
		}
		off_t hole = lseek(src, data, SEEK_HOLE);
		if (hole < 0)
			hole = (off_t)size;
		uint64_t from = (uint64_t)data, to = (uint64_t)hole;
		if (to > size)
			to = size;
		if (to - from > HASH_BLOCK)
			to = from + HASH_BLOCK;
		ssize_t n = pread(src, buf, (size_t)(to - from), (off_t)from);
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		for (ssize_t w = 0; w < n;) {
			ssize_t k = pwrite(j->new_fd, buf + w, (size_t)(n - w), (off_t)from + w);
			if (k < 0) {
				if (errno == EINTR)
					continue;
				return -errno;
			}
			w += k;
		}
		j->off = from + (uint64_t)n;
		done += (uint64_t)n;
	}
	return 0;
}

int simd_seal_step(struct simd_job *j, uint64_t budget)
{
	unsigned char *buf = malloc(HASH_BLOCK);
	int rc = 0;
	if (!buf)
		return CAEC_E_NOMEM;
	if (j->copy && !j->copied) {
		if (j->new_fd < 0) {
			j->new_fd = memfd_create("caec-region-sealed", MFD_CLOEXEC | MFD_ALLOW_SEALING);
			if (j->new_fd < 0 || ftruncate(j->new_fd, (off_t)j->size) < 0 ||
			    fchmod(j->new_fd, 0600) < 0) {
				rc = CAEC_E_NOMEM;
				goto out;
			}
		}
		rc = copy_step(j, budget, buf);
		if (rc < 0) {
			rc = rc == -ENOMEM || rc == -ENOSPC ? CAEC_E_NOMEM : CAEC_E_PLATFORM;
			goto out;
		}
		if (j->off < j->size) {
			rc = 1;
			goto out;
		}
		/* Immutable from here on, for everyone, and nobody can add or
		 * remove a seal: the sealed copy is what consumers will map. */
		if (fcntl(j->new_fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
			  F_SEAL_WRITE | F_SEAL_SEAL) < 0) {
			rc = CAEC_E_PLATFORM;
			goto out;
		}
		j->copied = true;
		j->off = 0;
		j->src_fd = j->new_fd;
		rc = 1;
		goto out;
	}
	if (!j->sha) {
		j->sha = simd_sha_new();
		if (!j->sha) {
			rc = CAEC_E_NOMEM;
			goto out;
		}
	}
	uint64_t len = j->size - j->off < budget ? j->size - j->off : budget;
	int hr = hash_range(j->sha, j->src_fd, j->off, len, &j->cancel, buf);
	if (hr < 0) {
		rc = CAEC_E_PLATFORM;
		goto out;
	}
	j->off += len;
	if (j->off < j->size) {
		rc = 1;
		goto out;
	}
	rc = simd_sha_final(j->sha, j->hash) != 0 ? CAEC_E_PLATFORM : 0;
out:
	free(buf);
	return rc;
}
