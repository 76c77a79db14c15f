/*
 * Building a realm from an embedded image through the RMI, and tearing it
 * down again until every granule it used is undelegated.  The host
 * predicts the RIM with the same measurement code as the RMM.  Images
 * carry the header of common/include/realm_image.h (docs/firmware.md,
 * "Realm images").
 */
#include "host.h"

#include <measurement.h>
#include <realm_image.h>
#include <s2tt.h>
#include <string.h>

static void print_rim(const char *prefix, unsigned int idx, const uint8_t *rim)
{
	fw_printf("[host] realm%u %s RIM=", idx, prefix);
	print_hex_bytes(rim, SHA256_DIGEST_SIZE);
	fw_printf("\n");
}

/* Level-3 RTTs for [REALM_IPA_BASE, top): one per 2 MB. */
static void create_l3_rtts(struct host_realm *r, uint64_t top)
{
	uint64_t ipa;

	r->nl3 = 0U;
	for (ipa = REALM_IPA_BASE; ipa < top; ipa += s2tt_map_size(2)) {
		if (r->nl3 == HOST_MAX_L3_RTTS) {
			host_fail("realm RAM needs more level-3 RTTs than the host has", top);
			host_exit(1);
		}
		r->rtt_l3[r->nl3] = alloc_delegated();
		RMI_MUST("RTT_CREATE L3", SMC_RMI_RTT_CREATE, r->rd, r->rtt_l3[r->nl3], ipa, 3, 0, NULL);
		r->nl3++;
	}
}

void realm_build(struct host_realm *r, unsigned int idx, const struct realm_image *img,
		 unsigned int nrecs, uint64_t arg)
{
	static struct rmi_realm_params params_copy;
	struct realm_image_info info;
	unsigned long image_pages;
	const char *why;
	struct rmi_realm_params *p;
	struct rmi_rec_params *rp;
	uint64_t params, rec_params, out[5], base;
	unsigned int i;

	/*
	 * The image header (common/include/realm_image.h) says what to load,
	 * measured, and how much zero-filled RAM to add; refuse a bad one
	 * before delegating anything.
	 */
	why = realm_image_check(img->start, (size_t)(img->end - img->start), REALM_IPA_BASE,
				HOST_MAX_REALM_PAGES * GRANULE_SIZE, &info);
	if (why != NULL) {
		fw_printf("[host] FAIL: realm%u image refused: %s\n", idx, why);
		host_count_failure();
		host_exit(1);
	}
	image_pages = info.load_size / GRANULE_SIZE;
	r->idx = idx;
	r->nrecs = nrecs;
	r->npages = (unsigned int)(info.mem_size / GRANULE_SIZE);
	if (nrecs == 0U || nrecs > HOST_MAX_RECS) {
		host_fail("REC count", nrecs);
		host_exit(1);
	}

	/* Realm descriptor and the level-1 root RTT (39-bit IPA). */
	r->rd = alloc_delegated();
	r->rtt_root = alloc_delegated();
	params = alloc_ns();
	p = (struct rmi_realm_params *)(uintptr_t)params;
	p->s2sz = REALM_S2SZ;
	p->hash_algo = RMI_HASH_SHA_256;
	p->num_bps = 1;		/* "number minus one": the minimum of two each */
	p->num_wps = 1;
	p->vmid = (uint16_t)(idx + 1U);
	p->rtt_base = r->rtt_root;
	p->rtt_level_start = 1;
	p->rtt_num_start = 1;
	memcpy(&params_copy, p, sizeof(params_copy));
	RMI_MUST("REALM_CREATE", SMC_RMI_REALM_CREATE, r->rd, params, 0, 0, 0, NULL);
	measurement_realm_init(&params_copy, r->expected_rim);

	/* Protected RAM: level-2 and level-3 tables, RIPAS RAM, content. */
	r->rtt_l2 = alloc_delegated();
	RMI_MUST("RTT_CREATE L2", SMC_RMI_RTT_CREATE, r->rd, r->rtt_l2, REALM_IPA_BASE, 2, 0, NULL);
	/* One page more than the image needs: RAM the realm touches first. */
	r->lazy_ipa = REALM_IPA_BASE + info.mem_size;
	create_l3_rtts(r, r->lazy_ipa + GRANULE_SIZE);
	/* RTT_INIT_RIPAS stops at the end of a leaf RTT: one call per RTT. */
	for (base = REALM_IPA_BASE; base < r->lazy_ipa + GRANULE_SIZE; base = out[1]) {
		RMI_MUST("RTT_INIT_RIPAS", SMC_RMI_RTT_INIT_RIPAS, r->rd, base,
			 r->lazy_ipa + GRANULE_SIZE, 0, 0, out);
		measurement_ripas_extend(r->expected_rim, base, out[1]);
	}
	/* Extra RAM the scenario asked for (e.g. a CSM window), unpopulated. */
	for (base = r->ram_extra_base; base < r->ram_extra_top; base = out[1]) {
		RMI_MUST("RTT_INIT_RIPAS (extra RAM)", SMC_RMI_RTT_INIT_RIPAS, r->rd, base,
			 r->ram_extra_top, 0, 0, out);
		measurement_ripas_extend(r->expected_rim, base, out[1]);
	}
	for (i = 0U; i < r->npages; i++) {
		uint64_t ipa = REALM_IPA_BASE + i * GRANULE_SIZE;

		r->data[i] = alloc_delegated();
		if (i < image_pages) {
			const uint8_t *src = img->start + i * GRANULE_SIZE;

			RMI_MUST("DATA_CREATE", SMC_RMI_DATA_CREATE, r->rd, r->data[i], ipa,
				 (uint64_t)(uintptr_t)src, RMI_MEASURE_CONTENT, NULL);
			measurement_data_extend(r->expected_rim, ipa, RMI_MEASURE_CONTENT, src);
			r->nmeasured++;
		} else {
			RMI_MUST("DATA_CREATE_UNKNOWN", SMC_RMI_DATA_CREATE_UNKNOWN, r->rd, r->data[i],
				 ipa, 0, 0, NULL);
		}
	}

	/*
	 * Unprotected IPA: tables for the 2 MB around the UART's address and
	 * nothing mapped in them.  The realm's console accesses there fault
	 * on UNASSIGNED_NS entries and the host emulates the UART
	 * (realm_console.c); a scenario may map NS granules next to it.
	 */
	r->rtt_l2u = alloc_delegated();
	RMI_MUST("RTT_CREATE L2 (unprotected)", SMC_RMI_RTT_CREATE, r->rd, r->rtt_l2u,
		 REALM_UNPROTECTED, 2, 0, NULL);
	r->rtt_l3u = alloc_delegated();
	RMI_MUST("RTT_CREATE L3 (unprotected)", SMC_RMI_RTT_CREATE, r->rd, r->rtt_l3u,
		 UART_IPA & ~(s2tt_map_size(2) - 1UL), 3, 0, NULL);
	memset(r->console, 0, sizeof(r->console));
	r->console_exits = r->console_calls = r->console_chars = r->console_lines = 0U;

	/*
	 * RECs: REC 0 (MPIDR 0) runnable at the image entry with x0 = realm
	 * index, x1 = arg; the others not runnable until the realm starts them.
	 */
	RMI_MUST("REC_AUX_COUNT", SMC_RMI_REC_AUX_COUNT, r->rd, 0, 0, 0, 0, out);
	if (out[1] > HOST_MAX_AUX) {
		host_fail("REC_AUX_COUNT larger than the host supports", out[1]);
		out[1] = HOST_MAX_AUX;
	}
	r->naux = (unsigned int)out[1];
	for (i = 0U; i < nrecs; i++) {
		unsigned int k;

		rec_params = alloc_ns();
		rp = (struct rmi_rec_params *)(uintptr_t)rec_params;
		/* The REC's auxiliary granules (its attestation token). */
		rp->num_aux = r->naux;
		for (k = 0U; k < r->naux; k++) {
			r->aux[i][k] = alloc_delegated();
			rp->aux[k] = r->aux[i][k];
		}
		rp->flags = (i == 0U) ? REC_PARAMS_FLAG_RUNNABLE : 0UL;
		rp->mpidr = i;
		rp->pc = (i == 0U) ? REALM_IPA_BASE : 0UL;
		rp->gprs[0] = (i == 0U && !r->x0_zero) ? idx : 0UL;
		rp->gprs[1] = (i == 0U) ? arg : 0UL;
		r->rec[i] = alloc_delegated();
		RMI_MUST("REC_CREATE", SMC_RMI_REC_CREATE, r->rd, r->rec[i], rec_params, 0, 0, NULL);
		measurement_rec_extend(r->expected_rim, rp);
		r->run[i] = alloc_ns();
		r->sched[i] = (i == 0U);
	}
	RMI_MUST("REALM_ACTIVATE", SMC_RMI_REALM_ACTIVATE, r->rd, 0, 0, 0, 0, NULL);

	RMI_MUST("RTT_READ_ENTRY", SMC_RMI_RTT_READ_ENTRY, r->rd, REALM_IPA_BASE, 3, 0, 0, out);
	fw_printf("[host] realm%u RTT_READ_ENTRY(0x%lx, 3): level %lu state %s desc 0x%lx ripas %s\n",
		  idx, REALM_IPA_BASE, out[1], (out[2] == RMI_ASSIGNED) ? "ASSIGNED" : "?", out[3],
		  (out[4] == RIPAS_RAM) ? "RAM" : "?");
	if (out[2] != RMI_ASSIGNED || out[3] != r->data[0] || out[4] != RIPAS_RAM) {
		host_fail("RTT_READ_ENTRY of the first realm page", out[2]);
	}
	/* The console's IPA must fault to the host: level 3, UNASSIGNED(_NS). */
	RMI_MUST("RTT_READ_ENTRY", SMC_RMI_RTT_READ_ENTRY, r->rd, UART_IPA, 3, 0, 0, out);
	if (out[1] != 3UL || out[2] != RMI_UNASSIGNED) {
		host_fail("RTT_READ_ENTRY of the console's unprotected IPA", out[2]);
	}
	fw_printf("[host] realm%u created: RD 0x%lx VMID %u, %u pages at IPA 0x%lx (%u measured), "
		  "console: emulated PL011 at IPA 0x%lx\n", idx, r->rd, idx + 1U, r->npages,
		  REALM_IPA_BASE, r->nmeasured, UART_IPA);
	print_rim("expected", idx, r->expected_rim);
}

void realm_teardown(struct host_realm *r)
{
	uint64_t out[5];
	unsigned int i;

	realm_console_flush(r);
	fw_printf("[host] realm%u console: %u line(s), %u characters; %u emulated UART accesses, "
		  "%u console host calls\n", r->idx, r->console_lines, r->console_chars,
		  r->console_exits, r->console_calls);
	for (i = 0U; i < r->nrecs; i++) {
		RMI_MUST("REC_DESTROY", SMC_RMI_REC_DESTROY, r->rec[i], 0, 0, 0, 0, NULL);
	}
	for (i = 0U; i < r->npages; i++) {
		RMI_MUST("DATA_DESTROY", SMC_RMI_DATA_DESTROY, r->rd,
			 REALM_IPA_BASE + i * GRANULE_SIZE, 0, 0, 0, out);
		if (out[1] != r->data[i]) {
			host_fail("DATA_DESTROY returned another PA", out[1]);
		}
	}
	if (r->lazy_data != 0UL) {
		RMI_MUST("DATA_DESTROY (on demand)", SMC_RMI_DATA_DESTROY, r->rd, r->lazy_ipa,
			 0, 0, 0, NULL);
		undelegate(r->lazy_data);
	}
	RMI_MUST("RTT_DESTROY L3u", SMC_RMI_RTT_DESTROY, r->rd, UART_IPA & ~(s2tt_map_size(2) - 1UL),
		 3, 0, 0, NULL);
	RMI_MUST("RTT_DESTROY L2u", SMC_RMI_RTT_DESTROY, r->rd, REALM_UNPROTECTED, 2, 0, 0, NULL);
	for (i = 0U; i < r->nl3; i++) {
		RMI_MUST("RTT_DESTROY L3", SMC_RMI_RTT_DESTROY, r->rd,
			 REALM_IPA_BASE + i * s2tt_map_size(2), 3, 0, 0, NULL);
	}
	RMI_MUST("RTT_DESTROY L2", SMC_RMI_RTT_DESTROY, r->rd, REALM_IPA_BASE, 2, 0, 0, NULL);
	RMI_MUST("REALM_DESTROY", SMC_RMI_REALM_DESTROY, r->rd, 0, 0, 0, 0, NULL);

	for (i = 0U; i < r->nrecs; i++) {
		unsigned int k;

		undelegate(r->rec[i]);
		for (k = 0U; k < r->naux; k++) {
			undelegate(r->aux[i][k]);
		}
	}
	for (i = 0U; i < r->npages; i++) {
		undelegate(r->data[i]);
	}
	undelegate(r->rtt_l3u);
	undelegate(r->rtt_l2u);
	for (i = 0U; i < r->nl3; i++) {
		undelegate(r->rtt_l3[i]);
	}
	undelegate(r->rtt_l2);
	undelegate(r->rtt_root);
	undelegate(r->rd);
	fw_printf("[host] realm%u destroyed and its granules undelegated\n", r->idx);
}
