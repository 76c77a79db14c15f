/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writes the seed corpus of fuzz_ring_consumer: valid rings (SPSC, MPSC,
 * each capacity) holding traffic in interesting states -- empty, a few
 * messages, a wrapped ring with a padding record, a full ring -- each
 * followed by an operation stream.  Usage: fuzz_ring_seed DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ring/ring.h>

static int write_seed(const char *dir, const char *name, uint8_t flags,
		      const uint8_t *img, size_t len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		return -1;
	/* ops: recv, peek+release, send, recv, scribble tail, recv, recv */
	static const uint8_t ops[] = {0, 1, 2 | (10 << 2), 0, 3, 64, 0,
				      8, 0, 0, 0, 0, 1, 0};
	fputc(flags, f);
	fwrite(img, 1, len, f);
	fwrite(ops, 1, sizeof(ops), f);
	return fclose(f);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	int rc = 0;
	for (unsigned mp = 0; mp < 2; mp++) {
		for (unsigned c = 0; c < 4; c++) {
			uint32_t cap = 256u << c;
			size_t sz = CAEC_RING_BYTES(cap);
			uint8_t *mem = aligned_alloc(64, sz);
			struct ring p, q;
			uint8_t buf[1024];
			memset(buf, 'm', sizeof(buf));
			for (unsigned state = 0; state < 4; state++) {
				ring_format(mem, sz, cap, mp ? CAEC_RING_FEAT_MPSC : 0);
				ring_init(&p, mem, sz, RING_PRODUCER);
				ring_init(&q, mem, sz, RING_CONSUMER);
				if (state >= 1)
					for (int i = 0; i < 3; i++)
						(void)ring_send(&p, buf, 5 + i * 13);
				if (state == 2) { /* wrap: consume, refill */
					for (int i = 0; i < 3; i++)
						(void)ring_recv(&q, buf, sizeof(buf));
					for (int i = 0; i < 40; i++) {
						if (ring_send(&p, buf, 40) != 0)
							(void)ring_recv(&q, buf, sizeof(buf));
					}
				}
				if (state == 3) /* full */
					while (ring_send(&p, buf, 24) == 0)
						;
				char name[64];
				snprintf(name, sizeof(name), "%s-cap%u-state%u",
					 mp ? "mpsc" : "spsc", cap, state);
				uint8_t flags = (uint8_t)((mp << 1) | (c << 2));
				rc |= write_seed(argv[1], name, flags, mem, sz);
			}
			free(mem);
		}
	}
	return rc ? 1 : 0;
}
