/*
 * Realm Initial Measurement (RIM), RMM v1.0 section "Realm measurements".
 * Only SHA-256 is implemented.  Each extension hashes a 0x100-byte
 * measurement descriptor that embeds the current RIM:
 *   RIM' = SHA-256(desc), desc = {type, len=0x100, RIM (64 bytes, zero
 *   padded), type-specific fields}
 */
#ifndef MEASUREMENT_H
#define MEASUREMENT_H

#include <fw_utils.h>
#include <rmi-structs.h>
#include <sha256.h>

#define MEASUREMENT_MAX_SIZE	64U
#define MEASURE_DESC_TYPE_DATA	0x0U
#define MEASURE_DESC_TYPE_REC	0x1U
#define MEASURE_DESC_TYPE_RIPAS	0x2U

struct measure_desc_data {
	uint8_t desc_type;		/* 0x00 */
	uint8_t _pad0[7];
	uint64_t len;			/* 0x08 */
	uint8_t rim[MEASUREMENT_MAX_SIZE];	/* 0x10 */
	uint64_t ipa;			/* 0x50 */
	uint64_t flags;			/* 0x58 */
	uint8_t content[MEASUREMENT_MAX_SIZE];	/* 0x60 */
	uint8_t _pad1[0x100 - 0xA0];
};

struct measure_desc_rec {
	uint8_t desc_type;		/* 0x00 */
	uint8_t _pad0[7];
	uint64_t len;			/* 0x08 */
	uint8_t rim[MEASUREMENT_MAX_SIZE];	/* 0x10 */
	uint8_t content[MEASUREMENT_MAX_SIZE];	/* 0x50 */
	uint8_t _pad1[0x100 - 0x90];
};

struct measure_desc_ripas {
	uint8_t desc_type;		/* 0x00 */
	uint8_t _pad0[7];
	uint64_t len;			/* 0x08 */
	uint8_t rim[MEASUREMENT_MAX_SIZE];	/* 0x10 */
	uint64_t base;			/* 0x50 */
	uint64_t top;			/* 0x58 */
	uint8_t _pad1[0x100 - 0x60];
};

COMPILER_ASSERT(sizeof(struct measure_desc_data) == 0x100, "data desc");
ASSERT_OFFSET(struct measure_desc_data, ipa, 0x50);
ASSERT_OFFSET(struct measure_desc_data, content, 0x60);
COMPILER_ASSERT(sizeof(struct measure_desc_rec) == 0x100, "rec desc");
ASSERT_OFFSET(struct measure_desc_rec, content, 0x50);
COMPILER_ASSERT(sizeof(struct measure_desc_ripas) == 0x100, "ripas desc");
ASSERT_OFFSET(struct measure_desc_ripas, top, 0x58);

/*
 * RIM initial value: SHA-256 of the 4 KB RmiRealmParams with every field
 * but the measured ones (flags, s2sz, sve_vl, num_bps, num_wps,
 * pmu_num_ctrs, hash_algo) zeroed.
 */
void measurement_realm_init(const struct rmi_realm_params *p, uint8_t rim[SHA256_DIGEST_SIZE]);
/* DATA_CREATE: content hash of the 4 KB granule iff RMI_MEASURE_CONTENT. */
void measurement_data_extend(uint8_t rim[SHA256_DIGEST_SIZE], uint64_t ipa,
			     uint64_t flags, const void *content);
/*
 * REC_CREATE: hash of RmiRecParams with flags, pc and gprs kept.  Only a
 * runnable REC extends the RIM (B4.3.12.4); for others this does nothing.
 */
void measurement_rec_extend(uint8_t rim[SHA256_DIGEST_SIZE], const struct rmi_rec_params *p);
/*
 * RTT_INIT_RIPAS over [base, top) made of entries of entry_size bytes:
 * one RIPAS descriptor (base, top) per entry, in address order
 * (RimExtendRipas, B3.46).
 */
void measurement_ripas_extend_level(uint8_t rim[SHA256_DIGEST_SIZE], uint64_t base, uint64_t top,
				    unsigned long entry_size);
/* The same for level-3 (4 KB) entries, as a host predicting the RIM uses. */
void measurement_ripas_extend(uint8_t rim[SHA256_DIGEST_SIZE], uint64_t base, uint64_t top);

#endif /* MEASUREMENT_H */
