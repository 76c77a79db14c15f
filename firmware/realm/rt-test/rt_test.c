/*
 * Realm program that exercises the realm C runtime under QEMU
 * (tests/qemu/test_fw_realm_rt.sh asserts on its console lines):
 * picolibc printf with %f, libm, malloc/free stress, the SIMD string
 * functions at every alignment and up to a page edge, stage-1 permissions
 * (each violation caught by a probe and reported with ESR/FAR/ELR), FP
 * registers across an exception, stack overflow into the guard page, and
 * finally an unhandled fault that the runtime reports before it ends the
 * realm cleanly.  Every line starts with "[rt-test]"; a check that fails
 * prints "FAIL".
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rt/early.h>
#include <rt/layout.h>
#include <rt/rsi.h>
#include <rt/rt.h>

static int failures;

static void check(int ok, const char *what)
{
	if (!ok) {
		printf("[rt-test] FAIL: %s\n", what);
		failures++;
	}
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rng(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x;
}

static void test_printf_fp(void)
{
	char buf[64];
	volatile double pi = 3.14159265358979;
	volatile double two = 2.0;
	double r = sqrt(two);

	snprintf(buf, sizeof(buf), "%f %.3f %e %g", pi, r, 6.02214076e23, 0.5);
	printf("[rt-test] printf: \"%s\"\n", buf);
	check(strcmp(buf, "3.141593 1.414 6.022141e+23 0.5") == 0, "printf %f/%e/%g formatting");
	printf("[rt-test] float math: sqrt(2)=%.9f sin(pi/6)=%.6f exp(1)=%.6f\n", r, sin(pi / 6.0),
	       exp(1.0));
	check(fabs(r * r - 2.0) < 1e-12 && fabs(sin(pi / 6.0) - 0.5) < 1e-9, "libm results");
}

/*
 * Values in FP/SIMD registers must survive a fault taken and fixed up.  A
 * hook that itself uses FP/SIMD (vector memset, printf with %f, another
 * rounding mode) runs in the exception path, so only the vectors' save
 * and restore keep the interrupted code's registers intact.
 */
unsigned int fp_regs_survive_fault(const volatile void *bad);

static volatile double hook_result;

static bool fp_clobber_hook(struct rt_frame *f, unsigned int kind)
{
	static char buf[256];
	double x = 0.1;
	unsigned int i;

	(void)f;
	(void)kind;
	__asm__ volatile("msr fpcr, %0" : : "r"(1UL << 22));	/* round towards +inf */
	memset(buf, 0x5A, sizeof(buf));
	for (i = 0; i < 32U; i++) {
		x = x * 1.5 + (double)buf[i];
	}
	snprintf(buf, sizeof(buf), "%f", x);
	hook_result = x;
	return false;	/* not handled here: the probe's fixup still applies */
}

static void test_fp_across_exception(void)
{
	unsigned int changed;

	rt_set_exception_hook(fp_clobber_hook);
	changed = fp_regs_survive_fault((const void *)0x1000);
	rt_set_exception_hook(NULL);
	printf("[rt-test] FP/SIMD registers across an exception: %u of 24 registers and FPCR "
	       "changed%s\n", changed & 1023U, changed >= 1024U ? " (but NO fault was taken)" : "");
	check(changed == 0U && hook_result != 0.0, "FP/SIMD state survives an exception");
}

#define SLOTS 256U
#define ROUNDS 20000U

static void fill(uint8_t *p, size_t n, uint64_t tag)
{
	size_t i;

	for (i = 0; i < n; i++) {
		p[i] = (uint8_t)(tag + i * 131U);
	}
}

static int verify(const uint8_t *p, size_t n, uint64_t tag)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] != (uint8_t)(tag + i * 131U)) {
			return 0;
		}
	}
	return 1;
}

static void test_malloc(void)
{
	static uint8_t *ptr[SLOTS];
	static size_t len[SLOTS];
	static uint64_t tag[SLOTS];
	size_t used, size, peak = 0, live = 0;
	unsigned int i, bad = 0, nalloc = 0, nfree = 0;
	void *huge;
	uint8_t *z, *rp;

	for (i = 0; i < ROUNDS; i++) {
		unsigned int s = (unsigned int)(rng() % SLOTS);

		if (ptr[s] != NULL) {
			bad += !verify(ptr[s], len[s], tag[s]);
			free(ptr[s]);
			live -= len[s];
			ptr[s] = NULL;
			nfree++;
			continue;
		}
		len[s] = 1U + (size_t)(rng() % ((rng() & 7U) == 0U ? 32768U : 512U));
		tag[s] = rng();
		ptr[s] = malloc(len[s]);
		if (ptr[s] == NULL) {
			bad++;
			continue;
		}
		nalloc++;
		fill(ptr[s], len[s], tag[s]);
		live += len[s];
		peak = live > peak ? live : peak;
	}
	for (i = 0; i < SLOTS; i++) {
		if (ptr[i] != NULL) {
			bad += !verify(ptr[i], len[i], tag[i]);
			free(ptr[i]);
			nfree++;
		}
	}
	z = calloc(1000, 8);
	for (i = 0; z != NULL && i < 8000U; i++) {
		bad += z[i] != 0U;
	}
	rp = malloc(100);
	if (rp != NULL) {
		fill(rp, 100, 42);
		rp = realloc(rp, 100000);
		bad += rp == NULL || !verify(rp, 100, 42);
	}
	free(rp);
	free(z);
	rt_heap_usage(&used, &size);
	errno = 0;
	huge = malloc(size + 4096U);
	printf("[rt-test] malloc/free stress: %u allocations, %u frees, peak %lu KB live, %u bad; "
	       "heap %lu of %lu KB used\n", nalloc, nfree, (unsigned long)(peak >> 10), bad,
	       (unsigned long)(used >> 10), (unsigned long)(size >> 10));
	printf("[rt-test] malloc beyond the heap: %s (errno %s)\n", huge == NULL ? "NULL" : "a pointer",
	       errno == ENOMEM ? "ENOMEM" : "not ENOMEM");
	check(bad == 0U && nalloc > 1000U, "malloc/free stress");
	check(huge == NULL && errno == ENOMEM, "malloc beyond the heap fails with ENOMEM");
	free(huge);
}

static void test_strings(void)
{
	static uint8_t src[8192 + 64], dst[8192 + 64], ref[8192 + 64];
	static const size_t lens[] = { 0, 1, 2, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127,
				       128, 129, 255, 256, 257, 1000, 4095, 4096, 4097, 8192 };
	unsigned int so, d, li, bad = 0, checked = 0;
	size_t i;
	char *edge;

	for (i = 0; i < sizeof(src); i++) {
		src[i] = (uint8_t)rng();
	}
	for (so = 0; so < 16U; so++) {
		for (d = 0; d < 16U; d++) {
			for (li = 0; li < sizeof(lens) / sizeof(lens[0]); li++) {
				size_t n = lens[li];

				memset(dst, 0xA5, sizeof(dst));
				memcpy(dst + d, src + so, n);
				for (i = 0; i < sizeof(ref); i++) {
					ref[i] = (i >= d && i < d + n) ? src[so + i - d] : 0xA5;
				}
				bad += memcmp(dst, ref, sizeof(dst)) != 0;
				memset(dst + d, (int)so, n);
				for (i = 0; i < n; i++) {
					bad += dst[d + i] != (uint8_t)so;
				}
				bad += dst[d + n] != 0xA5 || (d > 0 && dst[d - 1] != 0xA5);
				memmove(dst + d, dst + d + 3, n);
				checked++;
			}
		}
	}
	printf("[rt-test] memcpy/memset/memcmp: %u alignment/length cases, %u bad\n", checked, bad);
	check(bad == 0, "memcpy/memset at every alignment");

	bad = 0;
	checked = 0;
	for (so = 0; so < 16U; so++) {
		for (li = 0; li < sizeof(lens) / sizeof(lens[0]); li++) {
			char *s = (char *)dst + so;
			size_t n = lens[li];

			memset(dst, 'x', sizeof(dst));
			s[n] = '\0';
			bad += strlen(s) != n;
			bad += memchr(s, '\0', n + 1) != s + n;
			bad += strchr(s, '\0') != s + n;
			checked++;
		}
	}
	/*
	 * A string whose terminator is the heap's last byte: the next page is
	 * the unmapped stack guard, so a vector strlen that reads past the
	 * page would fault here.
	 */
	rt_heap_usage(&i, NULL);
	check(i + RT_PAGE_SIZE <= (size_t)(__heap_end - __heap_start), "heap's last page unused");
	for (so = 1; so <= 64U; so++) {
		edge = __heap_end - so;
		memset(edge, 'y', so - 1U);
		edge[so - 1U] = '\0';
		bad += strlen(edge) != so - 1U;
		bad += strcmp(edge, edge) != 0;
		checked++;
	}
	printf("[rt-test] strlen/memchr/strchr: %u cases (64 ending on the last byte before an "
	       "unmapped page), %u bad\n", checked, bad);
	check(bad == 0, "strlen at every alignment and at a page edge");
}

static void report_probe(const char *what, int faulted, const struct rt_fault *f, uint64_t want_ec)
{
	uint64_t ec = (f->esr >> 26) & 0x3FU;

	if (!faulted) {
		printf("[rt-test] %s: no fault\n", what);
		check(0, what);
		return;
	}
	printf("[rt-test] %s: %s, %s; ESR_EL1=0x%lx FAR_EL1=0x%lx ELR_EL1=0x%lx; realm continues\n",
	       what, rt_esr_class_name(f->esr), rt_fault_status_name(f->esr),
	       (unsigned long)f->esr, (unsigned long)f->far, (unsigned long)f->elr);
	check(ec == want_ec, what);
}

static void ret_insn(void)
{
}

static void test_permissions(void)
{
	static uint32_t code_in_data[4] = { 0xD65F03C0U };	/* ret */
	uint32_t *heap_code = malloc(64);
	struct rt_fault f;
	uint64_t v;
	unsigned int level;
	uint64_t d;
	int r;

	r = rt_probe_write64((void *)(uintptr_t)ret_insn, 0, &f);
	report_probe("write to .text", r != 0, &f, 0x25);
	check((f.esr & 0x3CU) == 0x0CU, "write to .text is a permission fault");
	r = rt_probe_write64((void *)(uintptr_t)"constant", 0, &f);
	report_probe("write to .rodata", r != 0, &f, 0x25);
	r = rt_probe_exec(code_in_data, &f);
	report_probe("execute from .data", r != 0, &f, 0x21);
	if (heap_code != NULL) {
		heap_code[0] = 0xD65F03C0U;
		r = rt_probe_exec(heap_code, &f);
		report_probe("execute from the heap", r != 0, &f, 0x21);
	}
	r = rt_probe_read64(__rt_stack_guard, &v, &f);
	report_probe("read of the stack guard page", r != 0, &f, 0x25);
	check((f.esr & 0x3CU) == 0x04U, "guard page is a translation fault");
	r = rt_probe_exec((const void *)(uintptr_t)ret_insn, &f);
	check(r == 0, "executing .text works");
	free(heap_code);

	d = rt_pt_lookup(&rt_kernel_pt, (uint64_t)(uintptr_t)__rt_image_start, &level);
	printf("[rt-test] stage 1: text at 0x%lx mapped at level %u (4 KB page)\n",
	       (unsigned long)(uintptr_t)__rt_image_start, level);
	check(d != 0 && level == 3U, "text mapped with 4 KB pages");
	v = ((uint64_t)(uintptr_t)__heap_start + RT_BLOCK_SIZE - 1U) & ~(RT_BLOCK_SIZE - 1U);
	d = rt_pt_lookup(&rt_kernel_pt, v, &level);
	printf("[rt-test] stage 1: heap at 0x%lx mapped at level %u (%s)\n", (unsigned long)v, level,
	       level == 2U ? "2 MB block" : "4 KB page");
	check(d != 0 && (v + RT_BLOCK_SIZE > (uint64_t)(uintptr_t)__heap_end || level == 2U),
	      "aligned 2 MB of heap mapped with one block");
}

static jmp_buf overflow_env;
static volatile unsigned int depth;
static struct rt_frame overflow_frame;

static void overflow_resume(void)
{
	longjmp(overflow_env, 1);
}

/* Catches the one fault expected in the guard page and resumes at longjmp. */
static bool overflow_hook(struct rt_frame *f, unsigned int kind)
{
	uint64_t guard = (uint64_t)(uintptr_t)__rt_stack_guard;

	if (kind != RT_VEC_CUR_SP0_SYNC || f->far < guard || f->far >= guard + RT_PAGE_SIZE) {
		return false;
	}
	overflow_frame = *f;
	/* Dead frames of the recursion are free stack: run longjmp there. */
	f->sp = (uint64_t)(uintptr_t)__rt_stack_bottom + 0x4000U;
	f->elr = (uint64_t)(uintptr_t)overflow_resume;
	return true;
}

static unsigned int recurse(unsigned int n)
{
	volatile uint8_t pad[512];

	pad[0] = (uint8_t)n;
	depth = n;
	if (n > 1000000U) {	/* never: the 64 KB stack ends long before */
		return 0;
	}
	return recurse(n + 1U) + pad[0];
}

static void test_stack_overflow(void)
{
	rt_set_exception_hook(overflow_hook);
	if (setjmp(overflow_env) == 0) {
		(void)recurse(0);
	}
	rt_set_exception_hook(NULL);
	printf("[rt-test] stack overflow after %u frames: %s at FAR_EL1=0x%lx (guard page "
	       "0x%lx), ESR_EL1=0x%lx; recovered with longjmp\n", depth,
	       rt_esr_class_name(overflow_frame.esr), (unsigned long)overflow_frame.far,
	       (unsigned long)(uintptr_t)__rt_stack_guard, (unsigned long)overflow_frame.esr);
	check(((overflow_frame.esr >> 26) & 0x3FU) == 0x25U && depth > 50U, "stack overflow caught");
}

int main(void)
{
	volatile uint64_t *volatile unmapped = (volatile uint64_t *)0x10;
	uint64_t lo = 0, hi = 0;
	uint8_t rim[64];
	unsigned int i;

	printf("[rt-test] hello from a picolibc realm program (host argument %lu)\n",
	       (unsigned long)rt_host_arg());
	rt_describe();
	printf("[rt-test] RSI_VERSION status %lu, version %lu.%lu\n",
	       (unsigned long)rsi_version(RSI_ABI_VERSION, &lo, &hi), (unsigned long)(lo >> 16),
	       (unsigned long)(lo & 0xFFFFU));
	if (rsi_measurement_read(0, rim) == RSI_SUCCESS) {
		printf("[rt-test] RIM=");
		for (i = 0; i < 32U; i++) {
			printf("%02x", rim[i]);
		}
		printf("\n");
	}
	test_printf_fp();
	test_fp_across_exception();
	test_malloc();
	test_strings();
	test_permissions();
	test_stack_overflow();
	printf("[rt-test] %s (%d failures); now an unhandled write to VA 0x10 (nothing mapped "
	       "there): the runtime reports it and ends the realm\n", failures == 0 ? "PASS" : "FAIL",
	       failures);
	fflush(stdout);
	*unmapped = 0xDEAD;
	printf("[rt-test] FAIL: still running after the unhandled fault\n");
	return 1;
}
