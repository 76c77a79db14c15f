/*
 * The CSM driver: /dev/caec files, regions and their IPA ranges, mmap,
 * faults on revoked regions, the event queue and blocked waits.  The
 * ioctl calls themselves are in csm_ioctl.c, the RSI calls in csm_rsi.c.
 *
 * IPA window: [2^(w-3), 2^(w-2)) of the protected half for a w-bit IPA
 * space (64-128 GB for w = 39), above the realm's RAM.  The host never
 * declares RIPAS RAM there, so only the RMM's CSM calls make it
 * accessible; until then every access is an SEA (RIPAS EMPTY).
 */
#include <stdio.h>
#include <string.h>

#include <rt/rt.h>

#include "csm.h"

#define ESR_FSC(esr)	((esr) & 0x3FU)
#define FSC_SEA		0x10U
/* What the kernel's own LDTR of a doorbell word takes on a revoked range. */
#define ESR_KERNEL_SEA	((0x25UL << 26) | FSC_SEA)

struct caec_region csm_regions[CSM_MAX_REGIONS];
static struct caec_file files[CSM_MAX_FILES];
static struct range_alloc ipa_window;
static uint64_t next_cookie = 1U;

void csm_init(void)
{
	unsigned int w = rt_ipa_width();
	struct csm_version v;

	if (!range_alloc_init(&ipa_window, 1UL << (w - 3U), 1UL << (w - 2U))) {
		printf("[kernel] csm: no IPA window for a %u-bit IPA space\n", w);
	}
	csm_rsi_version(&v);
	printf("[kernel] csm: driver ABI %u.%u on %s; IPA window 0x%lx-0x%lx; RMM CSM %s\n",
	       CAEC_DRV_ABI_MAJOR, CAEC_DRV_ABI_MINOR, CAEC_DRV_DEVICE,
	       (unsigned long)ipa_window.base, (unsigned long)ipa_window.top,
	       v.present ? "present" : "not implemented (CSM_VERSION answered SMC_UNKNOWN)");
}

struct caec_file *csm_open(struct proc *p)
{
	unsigned int i;

	for (i = 0U; i < CSM_MAX_FILES; i++) {
		if (!files[i].used) {
			memset(&files[i], 0, sizeof(files[i]));
			files[i].used = true;
			files[i].owner = p;
			return &files[i];
		}
	}
	return NULL;
}

struct caec_region *csm_region_new(struct caec_file *f, enum region_kind kind, uint64_t size)
{
	unsigned int i;

	for (i = 0U; i < CSM_MAX_REGIONS; i++) {
		struct caec_region *r = &csm_regions[i];

		if (!r->used) {
			memset(r, 0, sizeof(*r));
			r->used = true;
			r->kind = kind;
			r->file = f;
			r->size = size;
			/* A page-aligned offset no other region of any file has. */
			r->mmap_offset = (next_cookie++) << 32;
			return r;
		}
	}
	return NULL;
}

/* Gives r an IPA range of `size` bytes (2 MB aligned from 2 MB up). */
int csm_region_ipa(struct caec_region *r, uint64_t size)
{
	uint64_t align = (size >= RT_BLOCK_SIZE) ? RT_BLOCK_SIZE : RT_PAGE_SIZE;

	if (range_alloc(&ipa_window, size, align, &r->ipa) != 0) {
		return -RERR_ENOMEM;
	}
	r->size = size;
	if (csm_log_level >= 1U) {
		printf("[kernel] csm: IPA 0x%lx-0x%lx allocated (%lu KB)\n", (unsigned long)r->ipa,
		       (unsigned long)(r->ipa + size), (unsigned long)(size >> 10));
	}
	return 0;
}

void csm_unmap(struct caec_region *r)
{
	struct proc *p = r->map_proc;

	if (p == NULL) {
		return;
	}
	if (p->pt.root != NULL) {
		(void)rt_pt_unmap(&p->pt, r->map_va, r->size);
		(void)range_free(&p->mmap_va, r->map_va, r->size);
	}
	r->map_proc = NULL;
	r->map_va = 0U;
}

void csm_region_free(struct caec_region *r)
{
	csm_unmap(r);
	if (r->ipa != 0U) {
		if (range_free(&ipa_window, r->ipa, r->size) == 0 && csm_log_level >= 1U) {
			printf("[kernel] csm: IPA 0x%lx-0x%lx released\n", (unsigned long)r->ipa,
			       (unsigned long)(r->ipa + r->size));
		}
	}
	memset(r, 0, sizeof(*r));
}

struct caec_region *csm_region_by_id(struct caec_file *f, uint64_t id, enum region_kind kind)
{
	unsigned int i;

	for (i = 0U; i < CSM_MAX_REGIONS; i++) {
		struct caec_region *r = &csm_regions[i];

		if (r->used && r->file == f && r->id == id && r->kind == kind) {
			return r;
		}
	}
	return NULL;
}

/* close(), exit(): undo every region of the file with the RMM, then free it. */
void csm_release(struct caec_file *f)
{
	unsigned int i;

	for (i = 0U; i < CSM_MAX_REGIONS; i++) {
		struct caec_region *r = &csm_regions[i];

		if (!r->used || r->file != f) {
			continue;
		}
		csm_unmap(r);
		if (r->kind == R_PROVIDED && !r->revoked) {
			(void)csm_rsi(CAEC_RSI_CSM_UNSHARE, r->id, 0, 0, 0, NULL);
		} else if (r->kind == R_ATTACHED) {
			(void)csm_rsi(CAEC_RSI_CSM_DETACH, r->id, 0, 0, 0, NULL);
		}
		csm_region_free(r);
	}
	f->used = false;
}

void csm_post_event(struct caec_file *f, uint32_t type, uint64_t id, uint64_t addr)
{
	struct caec_drv_event *e;

	if (f->ev_count == CSM_EVENTS) {
		f->ev_lost = true;
		return;
	}
	e = &f->ev[(f->ev_head + f->ev_count) % CSM_EVENTS];
	e->type = type;
	e->flags = f->ev_lost ? CAEC_DRV_EV_F_LOST : 0U;
	e->id = id;
	e->addr = addr;
	f->ev_lost = false;
	f->ev_count++;
}

bool csm_pop_event(struct caec_file *f, struct caec_drv_event *out)
{
	if (f->ev_count == 0U) {
		return false;
	}
	*out = f->ev[f->ev_head];
	f->ev_head = (f->ev_head + 1U) % CSM_EVENTS;
	f->ev_count--;
	return true;
}

int64_t csm_mmap(struct proc *p, struct caec_file *f, uint64_t len, uint64_t prot, uint64_t off)
{
	unsigned int i;
	uint64_t va;

	for (i = 0U; i < CSM_MAX_REGIONS; i++) {
		struct caec_region *r = &csm_regions[i];
		uint64_t align;
		bool rw;

		if (!r->used || r->file != f || r->mmap_offset != off) {
			continue;
		}
		if (len != r->size || (prot & ~(uint64_t)(RPROT_READ | RPROT_WRITE)) != 0U ||
		    (prot & RPROT_READ) == 0U) {
			return -RERR_EINVAL;	/* the whole region, no PROT_EXEC */
		}
		rw = (prot & RPROT_WRITE) != 0U;
		if (rw && (r->perm != CAEC_CSM_PERM_RW || r->sealed)) {
			return -RERR_EACCES;
		}
		if (r->map_proc != NULL || r->revoked) {
			return r->revoked ? -RERR_ECANCELED : -RERR_EBUSY;
		}
		align = (r->size >= RT_BLOCK_SIZE) ? RT_BLOCK_SIZE : RT_PAGE_SIZE;
		if (range_alloc(&p->mmap_va, r->size, align, &va) != 0) {
			return -RERR_ENOMEM;
		}
		if (rt_pt_map(&p->pt, va, r->ipa, r->size, rw ? RT_MAP_USER_RW : RT_MAP_USER_RO) != 0) {
			(void)range_free(&p->mmap_va, va, r->size);
			return -RERR_ENOMEM;
		}
		r->map_proc = p;
		r->map_va = va;
		r->map_rw = rw;
		if (csm_log_level >= 1U) {
			printf("[kernel] csm: region 0x%lx mapped at VA 0x%lx -> IPA 0x%lx, %s\n",
			       (unsigned long)r->id, (unsigned long)va, (unsigned long)r->ipa,
			       rw ? "EL0 RW" : "EL0 RO");
		}
		return (int64_t)va;
	}
	return -RERR_EINVAL;
}

int64_t csm_munmap(struct proc *p, uint64_t va, uint64_t len)
{
	unsigned int i;

	if ((va & (RT_PAGE_SIZE - 1U)) != 0U || len == 0U) {
		return -RERR_EINVAL;
	}
	for (i = 0U; i < CSM_MAX_REGIONS; i++) {
		struct caec_region *r = &csm_regions[i];

		if (r->used && r->map_proc == p && r->map_va == va) {
			if (len != r->size) {
				return -RERR_EINVAL;	/* the whole mapping only */
			}
			csm_unmap(r);
			return 0;
		}
	}
	return -RERR_EINVAL;
}

static struct caec_region *region_at(const struct proc *p, uint64_t va)
{
	unsigned int i;

	for (i = 0U; i < CSM_MAX_REGIONS; i++) {
		struct caec_region *r = &csm_regions[i];

		if (r->used && r->map_proc == p && va >= r->map_va && va - r->map_va < r->size) {
			return r;
		}
	}
	return NULL;
}

/*
 * An abort at EL0 inside a CSM mapping.  The RMM answers an access to a
 * revoked or destroyed range with an SEA: the region is gone for this
 * realm.  The kernel unmaps it at stage 1 (later accesses take a
 * translation fault, still inside the reserved range, still SIGBUS),
 * queues CAEC_DRV_EV_REVOKED once and lets trap.c send SIGBUS.
 */
bool csm_fault(struct proc *p, uint64_t far, uint64_t esr)
{
	return csm_fault_why(p, far, esr, ((esr >> 26) & 0x3FU) == 0x25U ?
				"the kernel's read of the doorbell word" : "the application's access");
}

bool csm_fault_why(struct proc *p, uint64_t far, uint64_t esr, const char *who)
{
	struct caec_region *r = region_at(p, far);

	if (r == NULL) {
		return false;
	}
	if (!r->revoked && ESR_FSC(esr) != FSC_SEA) {
		return false;	/* e.g. a store to a read-only mapping: SIGSEGV */
	}
	if (!r->revoked) {
		r->revoked = true;
		(void)rt_pt_unmap(&p->pt, r->map_va, r->size);
		csm_post_event(r->file, CAEC_DRV_EV_REVOKED, r->id, far);
		if (csm_log_level >= 1U) {
			printf("[kernel] csm: %s (%s) at VA 0x%lx (IPA 0x%lx) in region 0x%lx: "
			       "revoked, stage-1 mapping removed, REVOKED event queued\n",
			       rt_fault_status_name(esr), who, (unsigned long)far,
			       (unsigned long)(r->ipa + (far - r->map_va)), (unsigned long)r->id);
		}
	}
	return true;
}

/*
 * The RMM tells no consumer that a grant went away (revoke, unshare, the
 * provider's death): it unmaps the consumer's stage 2, and the next access
 * is an SEA.  So before the driver answers "no event", it reads one word
 * of each attached region the caller maps, through the caller's own
 * mapping (LDTR, as a doorbell wait does): a live region costs one load,
 * a revoked one takes the SEA here and queues its REVOKED event, instead
 * of in the middle of the application's next access.
 */
void csm_probe_revoked(struct proc *p, struct caec_file *f)
{
	unsigned int i;
	uint32_t word;

	for (i = 0U; i < CSM_MAX_REGIONS; i++) {
		struct caec_region *r = &csm_regions[i];

		if (r->used && r->file == f && r->kind == R_ATTACHED && !r->revoked &&
		    r->map_proc == p && read_user_u32(r->map_va, &word) != 0) {
			(void)csm_fault_why(p, r->map_va, ESR_KERNEL_SEA, "the driver's revocation probe");
		}
	}
}

/* Does p map a region it attached (one the RMM can take away unannounced)? */
bool csm_has_attached(const struct proc *p)
{
	unsigned int i;

	for (i = 0U; i < CSM_MAX_REGIONS; i++) {
		const struct caec_region *r = &csm_regions[i];

		if (r->used && r->kind == R_ATTACHED && !r->revoked && r->map_proc == p) {
			return true;
		}
	}
	return false;
}

/*
 * Remaps r's stage-1 mapping (if it has one) read-only or read-write, at
 * the same address.  After CSM_SEAL the provider's own mapping must be
 * read-only here too: its store then takes a stage-1 permission fault
 * (SIGSEGV), not the RMM's SEA, which the driver reads as a revocation.
 */
int csm_protect(struct caec_region *r, bool rw)
{
	struct proc *p = r->map_proc;

	if (p == NULL || r->revoked || p->pt.root == NULL) {
		return 0;
	}
	if (rt_pt_unmap(&p->pt, r->map_va, r->size) != 0 ||
	    rt_pt_map(&p->pt, r->map_va, r->ipa, r->size, rw ? RT_MAP_USER_RW : RT_MAP_USER_RO) != 0) {
		/* Nothing left mapped: accesses fault inside the reserved range. */
		printf("[kernel] csm: region 0x%lx could not be remapped\n", (unsigned long)r->id);
		return -RERR_ENOMEM;
	}
	r->map_rw = rw;
	return 0;
}

/* mprotect(2) of a whole /dev/caec mapping: read-only, or read-write if allowed. */
int64_t csm_mprotect(struct proc *p, uint64_t va, uint64_t len, uint64_t prot)
{
	unsigned int i;

	for (i = 0U; i < CSM_MAX_REGIONS; i++) {
		struct caec_region *r = &csm_regions[i];

		if (!r->used || r->map_proc != p || r->map_va != va) {
			continue;
		}
		if (len != r->size || (prot & ~(uint64_t)(RPROT_READ | RPROT_WRITE)) != 0U ||
		    (prot & RPROT_READ) == 0U) {
			return -RERR_EINVAL;
		}
		if ((prot & RPROT_WRITE) != 0U && (r->perm != CAEC_CSM_PERM_RW || r->sealed)) {
			return -RERR_EACCES;	/* a read-only grant or a sealed region */
		}
		if (r->revoked) {
			return -RERR_ECANCELED;
		}
		return csm_protect(r, (prot & RPROT_WRITE) != 0U);
	}
	return -RERR_EINVAL;	/* only /dev/caec mappings */
}

/*
 * A blocked CAEC_IOC_WAIT (futex-style word in a region) or CAEC_IOC_EVENT.
 * Runs in the waiter's address space, so the word is read through the
 * waiter's own mapping (LDTR): a fault means the region was revoked.
 */
bool csm_wait_poll(struct proc *p, uint64_t now)
{
	bool expired = p->deadline != 0U && now >= p->deadline;

	if (p->wait == W_EVENT) {
		struct caec_file *f = (struct caec_file *)(uintptr_t)p->wait_arg[0];
		struct caec_drv_event ev;

		csm_probe_revoked(p, f);
		if (csm_pop_event(f, &ev)) {
			p->ctx.x[0] = (copy_to_user(p->wait_arg[1], &ev, sizeof(ev)) == 0) ?
				      0U : (uint64_t)-RERR_EFAULT;
			return true;
		}
	} else {
		struct caec_region *r = p->wait_region;
		uint32_t word;

		if (r == NULL || !r->used || r->revoked || r->map_proc != p) {
			p->ctx.x[0] = (uint64_t)-RERR_ECANCELED;
			return true;
		}
		if (read_user_u32(r->map_va + p->wait_arg[0], &word) != 0) {
			(void)csm_fault(p, r->map_va + p->wait_arg[0], ESR_KERNEL_SEA);
			p->ctx.x[0] = (uint64_t)-RERR_ECANCELED;
			return true;
		}
		if (word != (uint32_t)p->wait_arg[1]) {
			p->ctx.x[0] = 0U;
			return true;
		}
	}
	if (expired) {
		p->ctx.x[0] = (uint64_t)-RERR_ETIMEDOUT;
		return true;
	}
	return false;
}

int64_t csm_ioctl(struct proc *p, struct caec_file *f, uint32_t cmd, uint64_t arg)
{
	return csm_ioctl_dispatch(p, f, cmd, arg);
}
