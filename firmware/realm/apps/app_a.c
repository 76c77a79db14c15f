/*
 * Realm kernel test application A: the CSM driver through /dev/caec.
 *  - the size-prefix rules of every ioctl argument, and bad arguments for
 *    each call, refused before anything reaches the RMM;
 *  - well-formed calls that need the RMM's CSM calls (the host answers
 *    their CSM_META and CSM_POPULATE exits): the realm ID, a 64 KB region
 *    shared, mapped, written and read (kept until close, which unshares
 *    it), a 4 MB region (2 MB-aligned IPA) shared and unshared, an empty
 *    grant list, ATTACH of a grant nobody made (EACCES), ATTEST: a CCA
 *    token (tag 399) that carries the challenge given, and PLATFORM_KEY:
 *    the host's copy of the platform key (a P-384 key, DER);
 *  - getrandom(2): RNDR's bytes, bad flags and pointers refused;
 *  - a blocking event wait with a timeout (application B runs meanwhile);
 *  - the fault -> revocation path against the RMM's real SEA: a range
 *    the host never populated (RIPAS EMPTY), mapped by the test kernel's
 *    hook as if attached, read from EL0: SIGBUS to the handler (which
 *    leaves with longjmp), a REVOKED event with the address, ECANCELED
 *    for a doorbell wait on it; and a doorbell wait whose word the kernel
 *    itself finds revoked.
 */
#include <setjmp.h>
#include <string.h>

#include <caec/abi/csm.h>
#include <caec/abi/driver.h>

#include "check.h"

struct ktest_map_empty {
	uint32_t size;
	uint32_t flags;
	uint64_t length;
	uint64_t id;
	uint64_t mmap_offset;
};
#define KTEST_IOC_MAP_EMPTY CAEC_DRV_IOC(CAEC_DRV_IOC_READ | CAEC_DRV_IOC_WRITE, 0xF0, 32)

static jmp_buf fault_env;
static volatile int got_sig, got_code, sigbus_count;
static volatile uint64_t got_addr;

static void on_sigbus(int sig, struct rsiginfo *info, void *ctx)
{
	(void)ctx;
	got_sig = sig;
	got_code = info->si_code;
	got_addr = info->si_addr;
	sigbus_count++;
	longjmp(fault_env, 1);
}

static double ms_since(uint64_t t0)
{
	return (double)(user_ticks() - t0) * 1000.0 / (double)user_ticks_per_s();
}

static void size_prefix_rules(int fd)
{
	struct {
		struct caec_drv_version v;
		uint8_t tail[8];
	} big;
	struct caec_drv_version v;

	memset(&v, 0, sizeof(v));
	v.size = 8;
	expect("VERSION with size 8 (< V1)", sys_ioctl(fd, CAEC_IOC_VERSION, &v), -RERR_EINVAL);
	memset(&big, 0, sizeof(big));
	big.v.size = sizeof(big);
	expect("VERSION with size 40, zero tail", sys_ioctl(fd, CAEC_IOC_VERSION, &big), 0);
	expect_true("VERSION wrote abi_major 1", big.v.abi_major == CAEC_DRV_ABI_MAJOR);
	big.tail[5] = 1;
	expect("VERSION with size 40, non-zero tail", sys_ioctl(fd, CAEC_IOC_VERSION, &big), -RERR_E2BIG);
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	v.flags = 1;
	expect("VERSION with unknown flags", sys_ioctl(fd, CAEC_IOC_VERSION, &v), -RERR_EINVAL);
	expect("VERSION with a NULL argument", sys_ioctl(fd, CAEC_IOC_VERSION, NULL), -RERR_EFAULT);
	expect("VERSION with a kernel address as argument",
	       sys_ioctl(fd, CAEC_IOC_VERSION, (const void *)0x40001000), -RERR_EFAULT);
	expect("unknown ioctl number", sys_ioctl(fd, CAEC_DRV_IOC(3, 0x55, 16), &v), -RERR_ENOTTY);
}

static void calls_refused_by_the_driver(int fd)
{
	struct caec_drv_share sh = { .size = sizeof(sh) };
	struct caec_drv_grant g = { .size = sizeof(g), .region_id = 1, .consumer_id = 2, .perm = 2 };
	struct caec_drv_revoke rv = { .size = sizeof(rv), .region_id = 77 };
	struct caec_drv_unshare us = { .size = sizeof(us), .region_id = 77 };
	struct caec_drv_seal se = { .size = sizeof(se), .region_id = 77 };
	struct caec_drv_grant_list gl = { .size = sizeof(gl), .capacity = 4 };
	struct caec_drv_attach at = { .size = sizeof(at) };
	struct caec_drv_detach de = { .size = sizeof(de), .grant_id = 77 };
	struct caec_drv_notify no = { .size = sizeof(no), .grant_id = 77 };
	struct caec_drv_wait wa = { .size = sizeof(wa), .id = 77 };

	expect("SHARE of 0 bytes", sys_ioctl(fd, CAEC_IOC_SHARE, &sh), -RERR_EINVAL);
	sh.length = 4097;
	expect("SHARE of 4097 bytes", sys_ioctl(fd, CAEC_IOC_SHARE, &sh), -RERR_EINVAL);
	sh.length = 2ULL << 30;
	expect("SHARE of 2 GB", sys_ioctl(fd, CAEC_IOC_SHARE, &sh), -RERR_ENOMEM);
	expect("GRANT with permission 2", sys_ioctl(fd, CAEC_IOC_GRANT, &g), -RERR_EINVAL);
	g.perm = CAEC_CSM_PERM_RO;
	g.rim_len = 32;
	g.hash_algo = CAEC_CSM_HASH_SHA512;
	expect("GRANT with a 32-byte SHA-512 RIM", sys_ioctl(fd, CAEC_IOC_GRANT, &g), -RERR_EINVAL);
	g.hash_algo = CAEC_CSM_HASH_SHA256;
	expect("GRANT of a region this file did not share", sys_ioctl(fd, CAEC_IOC_GRANT, &g),
	       -RERR_ENOENT);
	expect("REVOKE on an unknown region", sys_ioctl(fd, CAEC_IOC_REVOKE, &rv), -RERR_ENOENT);
	expect("UNSHARE of an unknown region", sys_ioctl(fd, CAEC_IOC_UNSHARE, &us), -RERR_ENOENT);
	expect("SEAL of an unknown region", sys_ioctl(fd, CAEC_IOC_SEAL, &se), -RERR_ENOENT);
	expect("GRANT_LIST into a NULL array", sys_ioctl(fd, CAEC_IOC_GRANT_LIST, &gl), -RERR_EFAULT);
	expect("ATTACH of grant 0", sys_ioctl(fd, CAEC_IOC_ATTACH, &at), -RERR_EINVAL);
	at.grant_id = 5;
	at.hash_len = 7;
	expect("ATTACH with a 7-byte hash", sys_ioctl(fd, CAEC_IOC_ATTACH, &at), -RERR_EINVAL);
	expect("DETACH of an unknown grant", sys_ioctl(fd, CAEC_IOC_DETACH, &de), -RERR_ENOENT);
	expect("NOTIFY on an unknown grant", sys_ioctl(fd, CAEC_IOC_NOTIFY, &no), -RERR_ENOENT);
	expect("WAIT on an unknown region", sys_ioctl(fd, CAEC_IOC_WAIT, &wa), -RERR_ENOENT);
	expect("mmap of an unknown offset", sys_mmap(4096, RPROT_READ, RMAP_SHARED, fd, 3ULL << 32),
	       -RERR_EINVAL);
	expect("mmap of the console", sys_mmap(4096, RPROT_READ, RMAP_SHARED, 1, 0), -RERR_ENODEV);
	expect("private mmap", sys_mmap(4096, RPROT_READ, 2, fd, 0), -RERR_EINVAL);
}

/*
 * Well-formed: each reaches the RMM's CSM.  The 64 KB region stays shared
 * until close(): its IPA range stays allocated, so the test hook's ranges
 * below come from IPA the realm never shared (still RIPAS EMPTY).
 */
/* needle[0..n) somewhere in hay[0..len)? */
static int holds(const uint8_t *hay, uint32_t len, const uint8_t *needle, uint32_t n)
{
	uint32_t i;

	for (i = 0U; i + n <= len; i++) {
		if (memcmp(hay + i, needle, n) == 0) {
			return 1;
		}
	}
	return 0;
}

static void calls_that_need_the_rmm(int fd)
{
	struct caec_drv_realm_id id = { .size = sizeof(id) };
	struct caec_drv_share sh = { .size = sizeof(sh), .length = 64 * 1024 };
	struct caec_drv_unshare us = { .size = sizeof(us) };
	struct caec_drv_grant_list gl = { .size = sizeof(gl) };
	struct caec_drv_attach at = { .size = sizeof(at), .grant_id = 0x1234 };
	struct caec_drv_attest as = { .size = sizeof(as) };
	struct caec_drv_platform_key pk = { .size = sizeof(pk) };
	/* SEQUENCE { SEQUENCE { id-ecPublicKey, secp384r1 }, BIT STRING (97 bytes) } */
	static const uint8_t p384_spki_head[] = { 0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86,
						  0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b,
						  0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00, 0x04 };
	static uint8_t token[4096];
	volatile uint32_t *w;
	long va;

	expect("REALM_ID", sys_ioctl(fd, CAEC_IOC_REALM_ID, &id), 0);
	printf("realm ID 0x%lx\n", (unsigned long)id.realm_id);
	expect_true("the realm ID is not 0", id.realm_id != 0U);
	expect("SHARE of 64 KB", sys_ioctl(fd, CAEC_IOC_SHARE, &sh), 0);
	va = sys_mmap(sh.length, RPROT_READ | RPROT_WRITE, RMAP_SHARED, fd, sh.mmap_offset);
	expect("mmap of the shared region", va > 0 ? 0 : va, 0);
	if (va > 0) {
		w = (volatile uint32_t *)(uintptr_t)va;
		expect_true("the shared region starts zeroed", w[0] == 0U && w[16383] == 0U);
		w[0] = 0xCAEC0001U;
		w[16383] = 0xCAEC0002U;
		expect_true("the shared region holds what was written",
			    w[0] == 0xCAEC0001U && w[16383] == 0xCAEC0002U);
	}
	sh.length = 4ULL << 20;
	expect("SHARE of 4 MB", sys_ioctl(fd, CAEC_IOC_SHARE, &sh), 0);
	us.region_id = sh.region_id;
	expect("UNSHARE of the 4 MB region", sys_ioctl(fd, CAEC_IOC_UNSHARE, &us), 0);
	expect("UNSHARE of it again", sys_ioctl(fd, CAEC_IOC_UNSHARE, &us), -RERR_ENOENT);
	expect("GRANT_LIST", sys_ioctl(fd, CAEC_IOC_GRANT_LIST, &gl), 0);
	expect_true("no grant made to this realm", gl.count == 0U);
	expect("ATTACH of grant 0x1234 (never made)", sys_ioctl(fd, CAEC_IOC_ATTACH, &at), -RERR_EACCES);
	as.token = (uint64_t)(uintptr_t)token;
	as.token_cap = sizeof(token);
	memcpy(as.challenge, "caec realm kernel challenge", 27);
	expect("ATTEST", sys_ioctl(fd, CAEC_IOC_ATTEST, &as), 0);
	printf("attestation token: %u bytes\n", as.token_len);
	expect_true("the token is a CCA token (CBOR tag 399)",
		    as.token_len > 3U && as.token_len <= sizeof(token) && token[0] == 0xD9 &&
		    token[1] == 0x01 && token[2] == 0x8F);
	expect_true("the token carries the challenge", holds(token, as.token_len, as.challenge,
							     sizeof(as.challenge)));
	pk.key = (uint64_t)(uintptr_t)token;
	pk.key_cap = 16;
	expect("PLATFORM_KEY into 16 bytes", sys_ioctl(fd, CAEC_IOC_PLATFORM_KEY, &pk), -RERR_ENOSPC);
	expect_true("ENOSPC says the size needed (120)", pk.key_len == 120U);
	pk.key_cap = sizeof(token);
	pk.key_len = 0;
	expect("PLATFORM_KEY", sys_ioctl(fd, CAEC_IOC_PLATFORM_KEY, &pk), 0);
	expect_true("the host's platform key is a P-384 SubjectPublicKeyInfo (DER, 120 bytes)",
		    pk.key_len == 120U && memcmp(token, p384_spki_head, sizeof(p384_spki_head)) == 0);
	pk.key = 0x40000000U;
	expect("PLATFORM_KEY into kernel memory", sys_ioctl(fd, CAEC_IOC_PLATFORM_KEY, &pk),
	       -RERR_EFAULT);
}

/* getrandom(2): RNDR's bytes, the flags checked, the buffer the caller's. */
static void random_bytes(void)
{
	uint8_t a[64], b[64], zero[64] = { 0 };

	expect("getrandom of 64 bytes", sys_call6(RSYS_getrandom, (long)(uintptr_t)a, 64, 0, 0, 0, 0),
	       64);
	expect("getrandom again (GRND_NONBLOCK)",
	       sys_call6(RSYS_getrandom, (long)(uintptr_t)b, 64, RGRND_NONBLOCK, 0, 0, 0), 64);
	expect_true("two draws differ, neither all zero",
		    memcmp(a, b, 64) != 0 && memcmp(a, zero, 64) != 0 && memcmp(b, zero, 64) != 0);
	expect("getrandom with unknown flags", sys_call6(RSYS_getrandom, (long)(uintptr_t)a, 64,
							 0x10, 0, 0, 0), -RERR_EINVAL);
	expect("getrandom into kernel memory", sys_call6(RSYS_getrandom, 0x40000000L, 64, 0, 0, 0, 0),
	       -RERR_EFAULT);
}

static void revoked_region(int fd)
{
	struct ktest_map_empty m = { .size = sizeof(m), .length = 64 * 1024 };
	struct caec_drv_event_wait ew = { .size = sizeof(ew), .timeout_ns = 0 };
	struct caec_drv_wait wa = { .size = sizeof(wa) };
	long va;

	expect("test hook: map 64 KB of never-populated IPA", sys_ioctl(fd, KTEST_IOC_MAP_EMPTY, &m), 0);
	va = sys_mmap(m.length, RPROT_READ | RPROT_WRITE, RMAP_SHARED, fd, m.mmap_offset);
	expect("mmap of it", va > 0 ? 0 : va, 0);
	expect("mmap of it a second time", sys_mmap(m.length, RPROT_READ, RMAP_SHARED, fd, m.mmap_offset),
	       -RERR_EBUSY);
	wa.id = m.id;
	wa.offset = 3;
	expect("WAIT at an unaligned offset", sys_ioctl(fd, CAEC_IOC_WAIT, &wa), -RERR_EINVAL);
	wa.offset = m.length;
	expect("WAIT past the region", sys_ioctl(fd, CAEC_IOC_WAIT, &wa), -RERR_EINVAL);
	expect("SIGBUS handler installed", user_sigaction(RSIGBUS, on_sigbus), 0);

	if (setjmp(fault_env) == 0) {
		uint32_t v = *(volatile uint32_t *)(uintptr_t)(va + 0x100);

		printf("FAIL: read of a revoked range returned 0x%x\n", v);
		check_failures++;
	}
	printf("read at 0x%lx -> SIGBUS (signal %d, si_code %d, si_addr 0x%lx); left the handler "
	       "with longjmp\n", (unsigned long)(va + 0x100), got_sig, got_code, (unsigned long)got_addr);
	expect_true("SIGBUS with BUS_ADRERR at the address read",
		    got_sig == RSIGBUS && got_code == RBUS_ADRERR && got_addr == (uint64_t)va + 0x100);
	expect("EVENT after the fault", sys_ioctl(fd, CAEC_IOC_EVENT, &ew), 0);
	printf("event: type %u id 0x%lx addr 0x%lx flags %u\n", ew.event.type,
	       (unsigned long)ew.event.id, (unsigned long)ew.event.addr, ew.event.flags);
	expect_true("REVOKED event with the region and the address",
		    ew.event.type == CAEC_DRV_EV_REVOKED && ew.event.id == m.id &&
		    ew.event.addr == (uint64_t)va + 0x100);
	expect("EVENT again (one event per revocation)", sys_ioctl(fd, CAEC_IOC_EVENT, &ew), -RERR_ETIMEDOUT);
	wa.offset = 0;
	expect("WAIT on the revoked region", sys_ioctl(fd, CAEC_IOC_WAIT, &wa), -RERR_ECANCELED);
	if (setjmp(fault_env) == 0) {
		*(volatile uint32_t *)(uintptr_t)va = 1;
	}
	expect_true("a write after the revocation: SIGBUS again", sigbus_count == 2 && got_addr == (uint64_t)va);
	expect("munmap of it", sys_munmap((uint64_t)va, m.length), 0);
	expect("munmap again", sys_munmap((uint64_t)va, m.length), -RERR_EINVAL);

	/* A second one: the kernel itself meets the SEA when it checks the doorbell word. */
	m.length = 4096;
	expect("test hook: map 4 KB more", sys_ioctl(fd, KTEST_IOC_MAP_EMPTY, &m), 0);
	va = sys_mmap(m.length, RPROT_READ | RPROT_WRITE, RMAP_SHARED, fd, m.mmap_offset);
	expect("mmap of it", va > 0 ? 0 : va, 0);
	wa.id = m.id;
	wa.offset = 8;
	wa.expected = 0;
	wa.timeout_ns = 50000000;
	expect("WAIT on its word (the kernel's read takes the SEA)", sys_ioctl(fd, CAEC_IOC_WAIT, &wa),
	       -RERR_ECANCELED);
	expect("EVENT", sys_ioctl(fd, CAEC_IOC_EVENT, &ew), 0);
	expect_true("REVOKED event for the second region",
		    ew.event.type == CAEC_DRV_EV_REVOKED && ew.event.id == m.id &&
		    ew.event.addr == (uint64_t)va + 8);
}

int main(int argc, char **argv)
{
	struct caec_drv_version v = { .size = sizeof(v) };
	struct caec_drv_event_wait ew = { .size = sizeof(ew), .timeout_ns = 30000000 };
	long fd, pid = sys_getpid();
	uint64_t t0;

	printf("hello from EL0: pid %ld, argc %d, argv[0] %s\n", pid, argc, argv[0]);
	fd = sys_openat(RAT_FDCWD, CAEC_DRV_DEVICE, RO_RDWR | RO_CLOEXEC);
	expect("open " CAEC_DRV_DEVICE, fd >= 3 ? 0 : fd, 0);
	expect("ioctl VERSION", sys_ioctl((int)fd, CAEC_IOC_VERSION, &v), 0);
	printf("driver ABI %u.%u, RMM CSM versions %u..%u (0: none), features 0x%lx\n", v.abi_major,
	       v.abi_minor, v.csm_lowest, v.csm_highest, (unsigned long)v.csm_features);

	size_prefix_rules((int)fd);
	calls_refused_by_the_driver((int)fd);
	calls_that_need_the_rmm((int)fd);
	random_bytes();

	t0 = user_ticks();
	expect("EVENT with a 30 ms timeout", sys_ioctl((int)fd, CAEC_IOC_EVENT, &ew), -RERR_ETIMEDOUT);
	printf("event wait returned after %.1f ms (blocked; app_b ran meanwhile)\n", ms_since(t0));
	expect_true("waited at least 30 ms", ms_since(t0) >= 30.0);

	revoked_region((int)fd);
	expect("close", sys_close((int)fd), 0);
	expect("close again", sys_close((int)fd), -RERR_EBADF);
	printf("%s (%d failures)\n", check_failures == 0 ? "PASS" : "FAIL", check_failures);
	return check_failures == 0 ? 0 : 1;
}
