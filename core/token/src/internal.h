/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/token internals: a strict CBOR reader and a fixed-buffer CBOR
 * writer (both self-contained), COSE Sig_structure hashing and ES384, and
 * the one function that translates mbedTLS failures into enum caec_err.
 *
 * Everything declared here is portable (token.h says which files are
 * host-only): no allocation, no OS calls, mbedTLS for the crypto.
 */
#ifndef TOKEN_SRC_INTERNAL_H
#define TOKEN_SRC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/ecp.h>

#include <token/token.h>

/* ---- error translation (err.c) ---------------------------------------- */

/* Where a foreign failure happened: decides what it means to our caller. */
enum token_err_site {
	TOKEN_SITE_CRYPTO,   /* signing, hashing, key generation */
	TOKEN_SITE_KEYPARSE, /* parsing a caller-supplied key */
	TOKEN_SITE_VERIFY,   /* an ECDSA verification */
	TOKEN_SITE_ENTROPY,  /* seeding the DRBG from the OS */
};
/* Translate an mbedTLS error code. */
int token_err(int foreign_rc, enum token_err_site site);

/* ---- strict CBOR reader (cbor_rd.c) ------------------------------------ */

/* A cursor over an untrusted buffer. */
struct crd {
	const uint8_t *p;
	size_t len;
	size_t off;
};

/* One decoded item head. */
struct chead {
	unsigned major;       /* 0..7 */
	uint64_t val;         /* argument: value, length, count, tag, 20/21 bool */
	const uint8_t *str;   /* major 2/3: the string bytes (val of them) */
};

static inline void crd_init(struct crd *r, const uint8_t *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->off = 0;
}

/*
 * Read one head.  Rejects (CAEC_E_TOKEN): truncation, reserved values,
 * indefinite lengths, break, non-shortest arguments, floats, null,
 * undefined and simple values other than false/true.
 */
int crd_head(struct crd *r, struct chead *h);
int crd_uint(struct crd *r, uint64_t *v);
/* An integer (major 0 or 1) that fits int64_t. */
int crd_int(struct crd *r, int64_t *v);
int crd_bstr(struct crd *r, const uint8_t **p, size_t *len);
int crd_tstr(struct crd *r, const uint8_t **p, size_t *len);
/* Text into a NUL-terminated buffer; no NUL bytes inside, fits cap. */
int crd_text(struct crd *r, char *buf, size_t cap);
/* A byte string of exactly `len` bytes, copied into buf. */
int crd_bytes_exact(struct crd *r, uint8_t *buf, size_t len);
/* A byte string of 1..cap bytes, copied; *len receives its length. */
int crd_bytes_max(struct crd *r, uint8_t *buf, size_t cap, uint32_t *len);
/* Array / map header with count <= max (and not more items than bytes). */
int crd_array(struct crd *r, uint64_t *n, uint64_t max);
int crd_map(struct crd *r, uint64_t *n, uint64_t max);
int crd_tag(struct crd *r, uint64_t want);
int crd_bool(struct crd *r, bool *v);
/* The whole buffer was consumed (no trailing bytes). */
int crd_end(const struct crd *r);

/* ---- CBOR writer (cbor_wr.c) ------------------------------------------- */

/* Largest item head: initial byte + 8-byte argument. */
#define CBOR_HEAD_MAX 9u

/* The shortest head of major type `major` with argument `val`; its length. */
size_t cbor_head(uint8_t out[CBOR_HEAD_MAX], unsigned major, uint64_t val);

/* A writer into the caller's buffer. */
struct cwr {
	uint8_t *buf;
	size_t len;
	size_t cap;
	int err;          /* sticky: first failure (CAEC_E_RANGE: no room) */
};

void cwr_init(struct cwr *w, uint8_t *buf, size_t cap);
void cwr_uint(struct cwr *w, uint64_t v);
void cwr_int(struct cwr *w, int64_t v);
void cwr_bstr(struct cwr *w, const void *p, size_t len);
/* Only the head of a byte string of len bytes (the bytes come later). */
void cwr_bstr_head(struct cwr *w, size_t len);
void cwr_tstr(struct cwr *w, const char *s);
void cwr_array(struct cwr *w, size_t n);
void cwr_map(struct cwr *w, size_t n);
void cwr_tag(struct cwr *w, uint64_t tag);
void cwr_bool(struct cwr *w, bool v);
/* Append raw (already encoded) bytes. */
void cwr_raw(struct cwr *w, const void *p, size_t len);

/* ---- COSE helpers (cose.c) --------------------------------------------- */

/* SHA-384 of Sig_structure ["Signature1", prot, h'', payload]. */
int cose_tbs_hash(const uint8_t *prot, size_t prot_len, const uint8_t *payload,
		  size_t payload_len, uint8_t hash[48]);
/* ES384 of the Sig_structure with the P-384 key pair's private scalar. */
int cose_sign(mbedtls_ecp_keypair *key,
	      int (*f_rng)(void *, unsigned char *, size_t), void *p_rng,
	      const uint8_t *prot, size_t prot_len, const uint8_t *payload,
	      size_t payload_len, uint8_t sig[TOKEN_ES384_SIG_SIZE]);
/* Verify r||s over the Sig_structure with public point q on P-384. */
int cose_verify(mbedtls_ecp_group *grp, const mbedtls_ecp_point *q,
		const struct token_cose_view *cv);
/* Digest size of a hash algorithm name ("sha-256" 32, "sha-384" 48,
 * "sha-512" 64), or 0 if unknown; *type receives the mbedtls_md_type_t. */
size_t token_hash_size(const char *name, int *md_type);

#endif /* TOKEN_SRC_INTERNAL_H */
