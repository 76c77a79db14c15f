/* SPDX-License-Identifier: Apache-2.0 */
/* Public ring API: thin wrappers over core/ring (allocation lives here). */
#include <stdlib.h>

#include <caec/ring.h>
#include <ring/ring.h>

struct caec_ring {
	struct ring r;
};

CAEC_EXPORT uint32_t caec_ring_capacity_for(size_t size)
{
	return ring_capacity_for(size);
}

CAEC_EXPORT int caec_ring_format(void *base, size_t size, uint32_t capacity,
				 uint32_t features)
{
	return ring_format(base, size, capacity, features);
}

CAEC_EXPORT int caec_ring_create(void *base, size_t size,
				 enum caec_ring_role role,
				 struct caec_ring **out)
{
	if (out == NULL)
		return CAEC_E_INVAL;
	struct caec_ring *r = calloc(1, sizeof(*r));
	if (r == NULL)
		return CAEC_E_NOMEM;
	int rc = ring_init(&r->r, base, size,
			   role == CAEC_RING_PRODUCER ? RING_PRODUCER
			   : role == CAEC_RING_CONSUMER ? RING_CONSUMER
							: (enum ring_role)0);
	if (rc < 0) {
		free(r);
		return rc;
	}
	*out = r;
	return 0;
}

CAEC_EXPORT void caec_ring_destroy(struct caec_ring *r)
{
	free(r);
}

CAEC_EXPORT size_t caec_ring_max_msg(const struct caec_ring *r)
{
	return r == NULL ? 0 : ring_max_msg(&r->r);
}

CAEC_EXPORT int caec_ring_reserve(struct caec_ring *r, size_t len,
				  void **payload)
{
	return r == NULL ? CAEC_E_INVAL : ring_reserve(&r->r, len, payload);
}

CAEC_EXPORT int caec_ring_commit(struct caec_ring *r, size_t len)
{
	return r == NULL ? CAEC_E_INVAL : ring_commit(&r->r, len);
}

CAEC_EXPORT int caec_ring_cancel(struct caec_ring *r)
{
	return r == NULL ? CAEC_E_INVAL : ring_cancel(&r->r);
}

CAEC_EXPORT int caec_ring_send(struct caec_ring *r, const void *buf,
			       size_t len)
{
	return r == NULL ? CAEC_E_INVAL : ring_send(&r->r, buf, len);
}

CAEC_EXPORT int caec_ring_peek(struct caec_ring *r, const void **payload,
			       size_t *len)
{
	return r == NULL ? CAEC_E_INVAL : ring_peek(&r->r, payload, len);
}

CAEC_EXPORT int caec_ring_release(struct caec_ring *r)
{
	return r == NULL ? CAEC_E_INVAL : ring_release(&r->r);
}

CAEC_EXPORT int caec_ring_recv(struct caec_ring *r, void *buf, size_t cap)
{
	return r == NULL ? CAEC_E_INVAL : ring_recv(&r->r, buf, cap);
}

CAEC_EXPORT int caec_ring_bells(struct caec_ring *r, uint32_t **data,
				uint32_t **space)
{
	if (r == NULL || r->r.ctl == NULL)
		return CAEC_E_INVAL;
	if (data != NULL)
		*data = ring_data_bell(&r->r);
	if (space != NULL)
		*space = ring_space_bell(&r->r);
	return 0;
}

CAEC_EXPORT int caec_ring_ready(struct caec_ring *r, size_t len)
{
	if (r == NULL)
		return CAEC_E_INVAL;
	return r->r.role == RING_PRODUCER ? ring_can_send(&r->r, len)
					  : ring_can_recv(&r->r);
}
