/* firmware/crypto internals. */
#ifndef CRYPTO_PRIVATE_H
#define CRYPTO_PRIVATE_H

#include <stddef.h>

void heap_init(void *base, size_t size);

/* The C library functions mbedTLS calls (no <stdlib.h> in these images). */
void *calloc(size_t n, size_t size);
void free(void *p);

#define crypto_panic(why) fw_crypto_panic(why)

#endif /* CRYPTO_PRIVATE_H */
