/*
 * mbedTLS in the EL3 monitor and the RMM (docs/firmware.md, "Attestation").
 *
 * Both images link Debian's own arm64 libmbedcrypto.a (libmbedtls-dev:arm64,
 * scripts/setup.sh), built for Linux: this directory gives it what it
 * expects from a C library (libc.c: the string functions and the glibc
 * hardening and threading symbols it references; heap.c: calloc/free over
 * a fixed arena), randomness from RNDR (rng.c), and the guard every use of
 * it must be inside (guard.c).
 *
 * Why the guard: the library uses FP/SIMD registers, and at EL3 and in the
 * RMM those hold another world's values (the host's or a realm's).  Our own
 * C is -mgeneral-regs-only; fw_crypto_begin() saves the whole FP/SIMD
 * register file of this CPU and fw_crypto_end() loads it back, so nothing
 * the library leaves in those registers (key-dependent values) reaches
 * another world, and nothing of theirs is lost.  The guard is also the one
 * lock of the heap: one CPU runs mbedTLS at a time.  tests/qemu/
 * test_fw_no_fp.sh checks that only the library and fp_regs.S use FP/SIMD
 * in these images, and that only the files listed there call the library.
 *
 * The library also needs the MMU on with Normal memory: it is built
 * without -mstrict-align, and unaligned accesses to Device memory (what
 * MMU-off memory is) fault.
 */
#ifndef FW_CRYPTO_H
#define FW_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The stack protector's canary (crypto/libc.c): set it from RNDR at boot. */
extern uintptr_t __stack_chk_guard;

/*
 * Provided by each image (the monitor, the RMM): print why, stop the
 * machine.  For broken invariants only, never for input.
 */
void fw_crypto_panic(const char *why) __attribute__((noreturn));

/* Once per image, before any other call: the heap arena (16-byte aligned). */
void fw_crypto_init(void *heap, size_t size);

/* Enter / leave a stretch of code that calls mbedTLS (not nestable). */
void fw_crypto_begin(void);
void fw_crypto_end(void);

/*
 * mbedTLS's f_rng: len bytes from RNDR (FEAT_RNG, whose output the
 * architecture requires to come from a DRBG seeded by a true entropy
 * source).  0, or -1 when the CPU has no RNDR or it keeps failing.
 */
int fw_crypto_rng(void *ctx, unsigned char *out, size_t len);

/* Bytes of the heap in use now, and at most since fw_crypto_init(). */
size_t fw_crypto_heap_used(void);
size_t fw_crypto_heap_peak(void);

#endif /* FW_CRYPTO_H */
