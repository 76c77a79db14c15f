/* SPDX-License-Identifier: Apache-2.0 */
/* Measurements: the simulated RIM and sealed-region content hashes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <mbedtls/sha256.h>

#include "simd.h"

static int hash_fd_range(int fd, uint64_t limit, bool bounded, uint8_t out[32])
{
	static unsigned char buf[1 << 16];
	mbedtls_sha256_context ctx;
	uint64_t off = 0;
	int rc = 0;

	mbedtls_sha256_init(&ctx);
	if (mbedtls_sha256_starts_ret(&ctx, 0) != 0) {
		rc = -EIO;
		goto out;
	}
	for (;;) {
		size_t want = sizeof(buf);
		if (bounded) {
			if (off >= limit)
				break;
			if (limit - off < want)
				want = (size_t)(limit - off);
		}
		ssize_t n = pread(fd, buf, want, (off_t)off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			goto out;
		}
		if (n == 0) {
			if (bounded)
				rc = -EIO; /* memfd shorter than the region: cannot happen (sealed size) */
			break;
		}
		if (mbedtls_sha256_update_ret(&ctx, buf, (size_t)n) != 0) {
			rc = -EIO;
			goto out;
		}
		off += (uint64_t)n;
	}
	if (rc == 0 && mbedtls_sha256_finish_ret(&ctx, out) != 0)
		rc = -EIO;
out:
	mbedtls_sha256_free(&ctx);
	return rc;
}

int simd_measure_pid(pid_t pid, uint8_t out[32])
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int rc = hash_fd_range(fd, 0, false, out);
	close(fd);
	return rc;
}

int simd_hash_fd(int fd, uint64_t size, uint8_t out[32])
{
	return hash_fd_range(fd, size, true, out);
}
