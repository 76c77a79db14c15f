/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ID generator: a keyed 64-bit permutation of a counter (see csm/idgen.h).
 *
 * SipHash-2-4 is written from its description in Aumasson and Bernstein,
 * "SipHash: a fast short-input PRF" (2012): four 64-bit state words seeded
 * from the key and four constants, two SipRounds per 8-byte message word,
 * a final word carrying the message length in its top byte, then 0xff into
 * v2 and four finalisation SipRounds.
 */
#include <string.h>

#include <csm/idgen.h>

static inline uint64_t rotl64(uint64_t x, unsigned r)
{
	return (x << r) | (x >> (64u - r));
}

static uint64_t load_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8u * i);
	return v;
}

struct sip {
	uint64_t v0, v1, v2, v3;
};

static inline void sip_round(struct sip *s)
{
	s->v0 += s->v1;
	s->v1 = rotl64(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = rotl64(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = rotl64(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = rotl64(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = rotl64(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = rotl64(s->v2, 32);
}

static inline void sip_absorb(struct sip *s, uint64_t m)
{
	s->v3 ^= m;
	sip_round(s);
	sip_round(s);
	s->v0 ^= m;
}

static uint64_t sip_words(uint64_t k0, uint64_t k1, const uint8_t *in,
			  size_t len)
{
	struct sip s = {
		.v0 = k0 ^ 0x736f6d6570736575ull, /* "somepseu" */
		.v1 = k1 ^ 0x646f72616e646f6dull, /* "dorandom" */
		.v2 = k0 ^ 0x6c7967656e657261ull, /* "lygenera" */
		.v3 = k1 ^ 0x7465646279746573ull, /* "tedbytes" */
	};
	size_t full = len & ~(size_t)7;
	uint64_t last;

	for (size_t i = 0; i < full; i += 8)
		sip_absorb(&s, load_le64(in + i));

	/* Last word: the remaining 0..7 bytes, length mod 256 on top. */
	last = (uint64_t)(len & 0xffu) << 56;
	for (size_t i = 0; i < (len & 7u); i++)
		last |= (uint64_t)in[full + i] << (8u * i);
	sip_absorb(&s, last);

	s.v2 ^= 0xffu;
	for (int i = 0; i < 4; i++)
		sip_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

uint64_t csm_siphash24(const uint8_t key[CSM_IDGEN_KEY_LEN], const void *data,
		       size_t len)
{
	return sip_words(load_le64(key), load_le64(key + 8),
			 (const uint8_t *)data, len);
}

/* Round function of the Feistel network: a 32-bit PRF of (round, half). */
static uint32_t feistel_f(const struct csm_idgen *g, unsigned round,
			  uint32_t half)
{
	uint8_t msg[8];
	uint64_t w = ((uint64_t)round << 32) | half;

	for (unsigned i = 0; i < 8; i++)
		msg[i] = (uint8_t)(w >> (8u * i));
	return (uint32_t)sip_words(g->k0, g->k1, msg, sizeof(msg));
}

/* Four rounds: a strong pseudo-random permutation (Luby-Rackoff). */
#define FEISTEL_ROUNDS 4u

uint64_t csm_idgen_permute(const struct csm_idgen *g, uint64_t x)
{
	uint32_t l = (uint32_t)(x >> 32), r = (uint32_t)x;

	for (unsigned i = 0; i < FEISTEL_ROUNDS; i++) {
		uint32_t t = l ^ feistel_f(g, i, r);

		l = r;
		r = t;
	}
	return ((uint64_t)l << 32) | r;
}

uint64_t csm_idgen_unpermute(const struct csm_idgen *g, uint64_t y)
{
	uint32_t l = (uint32_t)(y >> 32), r = (uint32_t)y;

	for (unsigned i = FEISTEL_ROUNDS; i-- > 0;) {
		uint32_t t = r ^ feistel_f(g, i, l);

		r = l;
		l = t;
	}
	return ((uint64_t)l << 32) | r;
}

void csm_idgen_init(struct csm_idgen *g, const uint8_t key[CSM_IDGEN_KEY_LEN])
{
	g->k0 = load_le64(key);
	g->k1 = load_le64(key + 8);
	g->next = 0;
}

void csm_idgen_wipe(struct csm_idgen *g)
{
	/* A volatile store per word so the wipe is not optimised away. */
	volatile uint64_t *w = (volatile uint64_t *)g;

	for (size_t i = 0; i < sizeof(*g) / sizeof(uint64_t); i++)
		w[i] = 0;
}

uint64_t csm_idgen_next(struct csm_idgen *g)
{
	/*
	 * The counter runs 0 .. UINT64_MAX-1 (the last value is given up
	 * so that "next == UINT64_MAX" can mean exhausted).  At most two
	 * counter values map to the reserved outputs 0 and UINT64_MAX; they
	 * are skipped, so the loop runs at most three times.
	 */
	while (g->next != UINT64_MAX) {
		uint64_t id = csm_idgen_permute(g, g->next++);

		if (id != 0 && id != UINT64_MAX)
			return id;
	}
	return 0;
}
