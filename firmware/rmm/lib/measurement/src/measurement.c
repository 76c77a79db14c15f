/*
 * RIM extension with RMM v1.0 measurement descriptors (SHA-256 only).
 * Descriptors and parameter copies are built in static scratch buffers:
 * the RMM stack is small and RMI calls are serialised per CPU (one CPU).
 */
#include <measurement.h>
#include <string.h>

static union {
	struct rmi_realm_params realm;
	struct rmi_rec_params rec;
} scratch;

void measurement_realm_init(const struct rmi_realm_params *p, uint8_t rim[SHA256_DIGEST_SIZE])
{
	memset(&scratch, 0, sizeof(scratch));
	scratch.realm.flags = p->flags;
	scratch.realm.s2sz = p->s2sz;
	scratch.realm.sve_vl = p->sve_vl;
	scratch.realm.num_bps = p->num_bps;
	scratch.realm.num_wps = p->num_wps;
	scratch.realm.pmu_num_ctrs = p->pmu_num_ctrs;
	scratch.realm.hash_algo = p->hash_algo;
	sha256(&scratch.realm, sizeof(scratch.realm), rim);
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

	if ((p->flags & REC_PARAMS_FLAG_RUNNABLE) == 0UL) {
		return;
	}
	memset(&scratch, 0, sizeof(scratch));
	scratch.rec.flags = p->flags;
	scratch.rec.pc = p->pc;
	memcpy(scratch.rec.gprs, p->gprs, sizeof(scratch.rec.gprs));

	memset(&d, 0, sizeof(d));
	d.desc_type = MEASURE_DESC_TYPE_REC;
	d.len = sizeof(d);
	memcpy(d.rim, rim, SHA256_DIGEST_SIZE);
	sha256(&scratch.rec, sizeof(scratch.rec), d.content);
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
