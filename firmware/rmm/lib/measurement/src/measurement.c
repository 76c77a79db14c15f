/*
 * RIM extension with RMM v1.0 measurement descriptors (SHA-256 only).
 * The measured 4 KB parameter blocks are hashed as a stream of their few
 * kept fields and zeros, so nothing is built in a buffer shared by the
 * CPUs (two CPUs may create realms and RECs at the same time) and the
 * RMM stack stays small.
 */
#include <measurement.h>
#include <stddef.h>
#include <string.h>

static const uint8_t zeros[256];

/* Feed len zero bytes. */
static void sha256_zeros(struct sha256_ctx *ctx, size_t len)
{
	while (len > 0U) {
		size_t n = (len < sizeof(zeros)) ? len : sizeof(zeros);

		sha256_update(ctx, zeros, n);
		len -= n;
	}
}

void measurement_realm_init(const struct rmi_realm_params *p, uint8_t rim[SHA256_DIGEST_SIZE])
{
	/* RmiRealmParams with only 0x000..0x030 kept: flags .. hash_algo */
	struct {
		uint64_t flags, s2sz, sve_vl, num_bps, num_wps, pmu_num_ctrs;
		uint8_t hash_algo;
	} head;
	struct sha256_ctx ctx;

	memset(&head, 0, sizeof(head));
	head.flags = p->flags;
	head.s2sz = p->s2sz;
	head.sve_vl = p->sve_vl;
	head.num_bps = p->num_bps;
	head.num_wps = p->num_wps;
	head.pmu_num_ctrs = p->pmu_num_ctrs;
	head.hash_algo = p->hash_algo;
	sha256_init(&ctx);
	sha256_update(&ctx, &head, offsetof(struct rmi_realm_params, hash_algo) + 1U);
	sha256_zeros(&ctx, sizeof(*p) - offsetof(struct rmi_realm_params, hash_algo) - 1U);
	sha256_final(&ctx, rim);
}

void measurement_data_extend(uint8_t rim[SHA256_DIGEST_SIZE], uint64_t ipa,
			     uint64_t flags, const void *content)
{
	struct measure_desc_data d;

	memset(&d, 0, sizeof(d));
	d.desc_type = MEASURE_DESC_TYPE_DATA;
	d.len = sizeof(d);
	memcpy(d.rim, rim, SHA256_DIGEST_SIZE);
	d.ipa = ipa;
	d.flags = flags;
	if ((flags & RMI_MEASURE_CONTENT) != 0UL) {
		sha256(content, GRANULE_SIZE, d.content);
	}
	sha256(&d, sizeof(d), rim);
}

void measurement_rec_extend(uint8_t rim[SHA256_DIGEST_SIZE], const struct rmi_rec_params *p)
{
	struct measure_desc_rec d;
	struct sha256_ctx ctx;

	if ((p->flags & REC_PARAMS_FLAG_RUNNABLE) == 0UL) {
		return;
	}
	memset(&d, 0, sizeof(d));
	d.desc_type = MEASURE_DESC_TYPE_REC;
	d.len = sizeof(d);
	memcpy(d.rim, rim, SHA256_DIGEST_SIZE);
	/* RmiRecParams with only flags, pc and gprs kept */
	sha256_init(&ctx);
	sha256_update(&ctx, &p->flags, sizeof(p->flags));
	sha256_zeros(&ctx, offsetof(struct rmi_rec_params, pc) - sizeof(p->flags));
	sha256_update(&ctx, &p->pc, sizeof(p->pc));
	sha256_zeros(&ctx, offsetof(struct rmi_rec_params, gprs) -
			   offsetof(struct rmi_rec_params, pc) - sizeof(p->pc));
	sha256_update(&ctx, p->gprs, sizeof(p->gprs));
	sha256_zeros(&ctx, sizeof(*p) - offsetof(struct rmi_rec_params, gprs) - sizeof(p->gprs));
	sha256_final(&ctx, d.content);
	sha256(&d, sizeof(d), rim);
}

/* RimExtendRipasForEntry: one descriptor for the entry [base, top). */
static void ripas_extend_entry(uint8_t rim[SHA256_DIGEST_SIZE], uint64_t base, uint64_t top)
{
	struct measure_desc_ripas d;

	memset(&d, 0, sizeof(d));
	d.desc_type = MEASURE_DESC_TYPE_RIPAS;
	d.len = sizeof(d);
	memcpy(d.rim, rim, SHA256_DIGEST_SIZE);
	d.base = base;
	d.top = top;
	sha256(&d, sizeof(d), rim);
}

void measurement_ripas_extend_level(uint8_t rim[SHA256_DIGEST_SIZE], uint64_t base, uint64_t top,
				    unsigned long entry_size)
{
	uint64_t addr;

	for (addr = base; addr < top; addr += entry_size) {
		ripas_extend_entry(rim, addr, (addr + entry_size < top) ? addr + entry_size : top);
	}
}

void measurement_ripas_extend(uint8_t rim[SHA256_DIGEST_SIZE], uint64_t base, uint64_t top)
{
	measurement_ripas_extend_level(rim, base, top, GRANULE_SIZE);
}
