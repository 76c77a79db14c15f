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
 *
 * Both jobs run in steps of bounded work (simd_measure_step(),
 * simd_seal_step()), so that the workers serve users in turn: how many
 * and how big the files a process maps is its own choice.
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

/* ---- the process --------------------------------------------------------- */

/* Most distinct files a realm may map executable.  Each is hashed, and
 * the list is kept until the measurement ends. */
#define MEASURE_FILES_MAX 1024u
/* Most executable mappings read from /proc/<pid>/maps (before merging
 * those of one file). */
#define MEASURE_MAPS_MAX 262144u
/* What a file costs a step at least, however small: an open, a stat and
 * a hash each. */
#define MEASURE_FILE_COST ((uint64_t)64 << 10)

struct xmap {
	unsigned long start, end;
	dev_t dev;
	ino_t ino;
	char *path;          /* as /proc/<pid>/maps shows it (owned) */
	bool deleted;
};

struct snapshot {
	dev_t exe_dev;
	ino_t exe_ino;
	struct xmap *m;   /* executable file mappings, one per file, sorted */
	size_t n;
};

/* A measurement in progress (one per HELLO job), resumed step by step. */
struct simd_measure {
	int dirfd;               /* /proc/<pid> */
	struct snapshot a;       /* what is hashed; compared with the end's */
	bool exe_done;           /* the executable is hashed */
	size_t next;             /* next entry of a.m to hash */
	uint8_t exe_hash[32];
	uint8_t *libs;           /* 32 bytes per library hashed */
	size_t n_libs;
	/* The file being hashed (fd >= 0). */
	int fd;
	struct stat st;
	uint64_t off;
	struct simd_sha *sha;
	unsigned char *buf;      /* HASH_BLOCK bytes, during a step only */
};

static void snapshot_free(struct snapshot *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->m[i].path);
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

/*
 * The process's executable mappings, one entry per file, sorted.  Sorting
 * first and merging neighbours keeps this O(n log n) in the number of
 * mappings, which the process chooses.
 */
static int take_snapshot(int dirfd, struct snapshot *s, char *why, size_t whylen)
{
	struct stat st;
	char *maps;
	size_t len, cap = 0, n = 0;
	struct xmap *m = NULL;
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
			rc = CAEC_E_DENIED;
			goto out;
		}
		if (n == cap) {
			if (cap >= MEASURE_MAPS_MAX) {
				snprintf(why, whylen, "more than %u executable mappings",
					 MEASURE_MAPS_MAX);
				rc = CAEC_E_RANGE;
				goto out;
			}
			cap = cap ? cap * 2 : 64;
			struct xmap *nm = realloc(m, cap * sizeof(*nm));
			if (!nm) {
				rc = CAEC_E_NOMEM;
				goto out;
			}
			m = nm;
		}
		/* path points into maps for now; kept entries get a copy. */
		m[n++] = (struct xmap){ .start = start, .end = end, .dev = makedev(maj, min),
					.ino = (ino_t)ino, .path = (char *)path };
	}
	qsort(m, n, sizeof(*m), cmp_xmap);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (u == 0 || cmp_xmap(&m[u - 1], &m[i]) != 0)
			m[u++] = m[i];
	if (u > MEASURE_FILES_MAX) {
		snprintf(why, whylen, "%zu files mapped executable, more than the %u measured",
			 u, MEASURE_FILES_MAX);
		rc = CAEC_E_RANGE;
		goto out;
	}
	s->m = m;
	m = NULL;
	for (size_t i = 0; i < u; i++) {
		const char *p = s->m[i].path;
		size_t pl = strlen(p);
		s->m[i].deleted = pl > 10 && strcmp(p + pl - 10, " (deleted)") == 0;
		s->m[i].path = strdup(p);
		s->n = i + 1;
		if (!s->m[i].path) {
			rc = CAEC_E_NOMEM;
			goto out;
		}
	}
	rc = 0;
out:
	free(m);
	free(maps);
	if (rc < 0)
		snapshot_free(s);
	return rc;
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
		snprintf(why, whylen, "cannot open mapped file %.100s", x->path);
		return -1;
	}
	fd = open(x->path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_dev != x->dev || st.st_ino != x->ino) {
		if (fd >= 0)
			close(fd);
		snprintf(why, whylen, "cannot open mapped file %.100s as mapped", x->path);
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

void simd_measure_free(struct simd_job *j)
{
	struct simd_measure *ms = j->ms;
	if (!ms)
		return;
	if (ms->dirfd >= 0)
		close(ms->dirfd);
	if (ms->fd >= 0)
		close(ms->fd);
	snapshot_free(&ms->a);
	simd_sha_free(ms->sha);
	free(ms->libs);
	free(ms->buf);
	free(ms);
	j->ms = NULL;
}

/* First step: who the process is, and which files it maps executable. */
static int measure_begin(struct simd *d, struct simd_job *j)
{
	char path[64];
	struct simd_measure *ms = calloc(1, sizeof(*ms));
	if (!ms)
		return CAEC_E_NOMEM;
	ms->dirfd = ms->fd = -1;
	j->ms = ms;
	snprintf(path, sizeof(path), "/proc/%d", (int)j->pid);
	ms->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* Checked after the open: /proc/<pid> is the process that connected
	 * (its pid cannot have been reused while it is alive). */
	if (ms->dirfd < 0 || !alive(j->pidfd)) {
		snprintf(j->why, sizeof(j->why), "process %d is gone", (int)j->pid);
		return CAEC_E_DENIED;
	}
	read_status(ms->dirfd, &j->insecure, &j->euid, d->euid);
	/* Only the connecting process may speak for the realm, and the PID
	 * in SCM_CREDENTIALS is how the daemon knows who speaks.  In a PID
	 * namespace whose user namespace it controls, any process may put
	 * another's PID there: only ours is one where that takes root. */
	struct stat ns, own;
	if (fstatat(ms->dirfd, "ns/pid", &ns, 0) < 0 || stat("/proc/self/ns/pid", &own) < 0 ||
	    ns.st_dev != own.st_dev || ns.st_ino != own.st_ino)
		j->insecure |= SIMD_INSECURE_PIDNS;
	int rc = take_snapshot(ms->dirfd, &ms->a, j->why, sizeof(j->why));
	if (rc < 0)
		return rc;
	j->exe_dev = ms->a.exe_dev;
	j->exe_ino = ms->a.exe_ino;
	ms->libs = malloc(ms->a.n ? ms->a.n * 32 : 1);
	if (!ms->libs)
		return CAEC_E_NOMEM;
	return 0;
}

/* Where the current file's hash goes, and move on to the next file. */
static uint8_t *current_out(struct simd_measure *ms)
{
	return ms->exe_done ? ms->libs + 32 * ms->n_libs : ms->exe_hash;
}

static void file_done(struct simd_measure *ms)
{
	if (!ms->exe_done) {
		ms->exe_done = true;
	} else {
		ms->n_libs++;
		ms->next++;
	}
}

/*
 * Open the next file to hash (ms->fd), or take its hash from the cache.
 * 1: a file was taken on; 0: none is left; or a negative caec_err.
 */
static int open_next(struct simd *d, struct simd_job *j, struct simd_measure *ms)
{
	int fd;
	if (!ms->exe_done) {
		fd = openat(ms->dirfd, "exe", O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			snprintf(j->why, sizeof(j->why), "cannot open its executable: %s",
				 strerror(errno));
			return CAEC_E_DENIED;
		}
	} else {
		/* The executable's own mappings are not a library. */
		while (ms->next < ms->a.n && ms->a.m[ms->next].dev == ms->a.exe_dev &&
		       ms->a.m[ms->next].ino == ms->a.exe_ino)
			ms->next++;
		if (ms->next == ms->a.n)
			return 0;
		fd = open_mapped(ms->dirfd, &ms->a.m[ms->next], j->why, sizeof(j->why));
		if (fd < 0)
			return CAEC_E_DENIED;
	}
	if (fstat(fd, &ms->st) < 0 || !S_ISREG(ms->st.st_mode)) {
		close(fd);
		snprintf(j->why, sizeof(j->why), "a mapped file is not a regular file");
		return CAEC_E_DENIED;
	}
	/* Code another user can change after it is measured: whoever may
	 * write the file can rewrite the pages the realm runs, under a RIM
	 * that names the genuine content.  The realm's own user is not
	 * counted: it can change its realm's code anyway (it could write
	 * its memory before HELLO; docs/sim-platform.md). */
	uid_t o = ms->st.st_uid;
	if ((o != 0 && o != d->euid && o != j->euid) || (ms->st.st_mode & (S_IWGRP | S_IWOTH)))
		j->insecure |= SIMD_INSECURE_IMAGE;
	if ((uint64_t)ms->st.st_size > d->o.max_image_bytes) {
		close(fd);
		snprintf(j->why, sizeof(j->why), "a mapped file is %lld bytes, above --max-image-mib",
			 (long long)ms->st.st_size);
		return CAEC_E_RANGE;
	}
	if (cache_get(d, &ms->st, current_out(ms))) {
		close(fd);
		file_done(ms);
		return 1;
	}
	ms->sha = simd_sha_new();
	if (!ms->sha) {
		close(fd);
		return CAEC_E_NOMEM;
	}
	ms->fd = fd;
	ms->off = 0;
	return 1;
}

/* Hash at most budget bytes more of the current file. */
static int hash_some(struct simd *d, struct simd_job *j, struct simd_measure *ms,
		     uint64_t budget, uint64_t *spent)
{
	uint64_t left = (uint64_t)ms->st.st_size - ms->off;
	uint64_t n = left < budget ? left : budget;
	int rc = hash_range(ms->sha, ms->fd, ms->off, n, &j->cancel, ms->buf);
	if (rc == -ECANCELED)
		return CAEC_E_PLATFORM;
	if (rc < 0) {
		snprintf(j->why, sizeof(j->why), "reading a mapped file: %s", strerror(-rc));
		return CAEC_E_PLATFORM;
	}
	ms->off += n;
	*spent += n;
	if (ms->off < (uint64_t)ms->st.st_size)
		return 0;
	uint8_t *out = current_out(ms);
	rc = simd_sha_final(ms->sha, out);
	simd_sha_free(ms->sha);
	ms->sha = NULL;
	/* Changed while we read it: the hash describes nothing. */
	struct stat st2;
	const struct stat *st = &ms->st;
	bool changed = fstat(ms->fd, &st2) < 0 || st2.st_size != st->st_size ||
		       st2.st_mtim.tv_sec != st->st_mtim.tv_sec ||
		       st2.st_mtim.tv_nsec != st->st_mtim.tv_nsec ||
		       st2.st_ctim.tv_sec != st->st_ctim.tv_sec ||
		       st2.st_ctim.tv_nsec != st->st_ctim.tv_nsec;
	close(ms->fd);
	ms->fd = -1;
	if (rc != 0)
		return CAEC_E_PLATFORM;
	if (changed) {
		snprintf(j->why, sizeof(j->why), "a mapped file changed while it was measured");
		return CAEC_E_DENIED;
	}
	cache_put(d, st, out);
	file_done(ms);
	return 0;
}

/* Last step: the same code as at the start, from the same live process. */
static int measure_finish(struct simd_job *j, struct simd_measure *ms)
{
	struct snapshot b;
	int rc = take_snapshot(ms->dirfd, &b, j->why, sizeof(j->why));
	if (rc < 0)
		return rc;
	bool same = same_snapshot(&ms->a, &b);
	snapshot_free(&b);
	if (!same || !alive(j->pidfd)) {
		snprintf(j->why, sizeof(j->why), "its code changed while it was measured");
		return CAEC_E_DENIED;
	}
	qsort(ms->libs, ms->n_libs, 32, cmp_hash);
	size_t nl = ms->n_libs;
	uint8_t n_le[4] = { (uint8_t)nl, (uint8_t)(nl >> 8), (uint8_t)(nl >> 16),
			    (uint8_t)(nl >> 24) };
	struct simd_sha *ctx = simd_sha_new();
	rc = 0;
	if (!ctx || simd_sha_update(ctx, "caec-sim-rim-2", 15) != 0 ||
	    simd_sha_update(ctx, ms->exe_hash, 32) != 0 ||
	    simd_sha_update(ctx, n_le, 4) != 0 ||
	    (nl && simd_sha_update(ctx, ms->libs, 32 * nl) != 0) ||
	    simd_sha_final(ctx, j->rim) != 0)
		rc = CAEC_E_PLATFORM;
	simd_sha_free(ctx);
	return rc;
}

/* Steps of a measurement: 1 more, 0 done, or a negative caec_err. */
static int measure_steps(struct simd *d, struct simd_job *j, uint64_t budget)
{
	struct simd_measure *ms = j->ms;
	uint64_t spent = 0;
	int rc;
	while (spent < budget) {
		if (atomic_load(&j->cancel))
			return CAEC_E_PLATFORM;
		if (ms->fd < 0) {
			rc = open_next(d, j, ms);
			if (rc < 0)
				return rc;
			if (rc == 0)
				return measure_finish(j, ms);
			spent += MEASURE_FILE_COST;
			continue;
		}
		rc = hash_some(d, j, ms, budget - spent, &spent);
		if (rc < 0)
			return rc;
	}
	return 1;
}

int simd_measure_step(struct simd *d, struct simd_job *j, uint64_t budget)
{
	int rc;
	if (!j->ms && (rc = measure_begin(d, j)) < 0)
		return rc;
	/* The read buffer only for this step: many measurements may be
	 * waiting for their turn. */
	j->ms->buf = malloc(HASH_BLOCK);
	if (!j->ms->buf)
		return CAEC_E_NOMEM;
	rc = measure_steps(d, j, budget);
	free(j->ms->buf);
	j->ms->buf = NULL;
	if (rc <= 0)
		simd_measure_free(j);
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
	if (!j->copy && !j->frozen) {
		/* In place: freeze it first.  EBUSY: someone maps it writable
		 * or keeps its pages pinned (the kernel waited for them). */
		if (fcntl(j->src_fd, F_ADD_SEALS, F_SEAL_WRITE) < 0) {
			rc = errno == EBUSY ? CAEC_E_STATE : CAEC_E_PLATFORM;
			goto out;
		}
		j->frozen = true;
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
