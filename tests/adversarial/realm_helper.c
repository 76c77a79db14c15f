/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-test-realm: a realm the attack tests start as a separate program
 * (with LD_PRELOAD, through ld.so, padded to a huge size, ...), driven by
 * lines on stdin, answering lines on stdout.
 *
 *   caec-test-realm rim       open a context; print "RIM <hex>" and
 *                             "ID <hex>"; then for each "attach <hex>"
 *                             line, attach that grant and print
 *                             "ATTACH <caec_err name>"; "quit" ends.
 *   caec-test-realm raw PATH  connect to caec-simd at PATH without
 *                             libcaec; once accepted, print "ready"; on
 *                             "go", send HELLO, print "sent", and print
 *                             "HELLO <status>" when it is answered; then
 *                             wait for end of input.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <caec/attest.h>
#include <caec/caec.h>

#include "proto.h"
#include "sockmsg.h"
#include "adv_util.h"

static int rim_mode(void)
{
	static uint8_t tok[CAEC_TOKEN_MAX_SIZE];
	static struct caec_token_claims cl;
	struct caec_ctx *ctx = NULL;
	uint8_t ch[CAEC_CHALLENGE_SIZE] = { 0 };
	uint64_t id;
	char line[256];

	int rc = caec_open(&ctx, NULL);
	if (rc < 0) {
		printf("OPEN %s\n", caec_errname(rc));
		return 1;
	}
	int n = caec_attest_token(ctx, ch, tok, sizeof(tok));
	cl.size = sizeof(cl);
	if (n < 0 || caec_token_parse(tok, (size_t)n, &cl) < 0 ||
	    caec_self_id(ctx, &id) < 0) {
		printf("TOKEN %s\n", caec_errname(n));
		return 1;
	}
	printf("RIM ");
	for (uint32_t i = 0; i < cl.rim_len; i++)
		printf("%02x", cl.rim[i]);
	printf("\nID %016" PRIx64 "\n", id);
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		uint64_t grant;
		if (sscanf(line, "attach %" SCNx64, &grant) == 1) {
			struct caec_region *r = NULL;
			rc = caec_attach(ctx, grant, NULL, &r);
			printf("ATTACH %s\n", caec_errname(rc));
			fflush(stdout);
			if (rc == 0)
				rc = caec_detach(r);
		} else if (strncmp(line, "quit", 4) == 0) {
			break;
		}
	}
	caec_close(ctx);
	return 0;
}

static int raw_mode(const char *path)
{
	char line[64];
	int fd = raw_connect_to(path);
	if (fd < 0) {
		printf("CONNECT failed\n");
		return 1;
	}
	/* Answered (CAEC_E_STATE) once the daemon has accepted us. */
	struct simd_grant_list_req gq = { .index = 0 };
	if (raw_request(fd, SIMD_OP_GRANT_LIST, &gq, sizeof(gq), NULL, 0, NULL) !=
	    CAEC_E_STATE) {
		printf("PRE-HELLO unexpected\n");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin) || strncmp(line, "go", 2) != 0)
		return 1;
	unsigned char buf[128];
	struct simd_hello_req rq;
	memset(&rq, 0, sizeof(rq));
	struct simd_hdr h = {
		.magic = SIMD_MAGIC, .version = SIMD_PROTO_VERSION, .op = SIMD_OP_HELLO,
		.seq = 1, .len = (uint32_t)(sizeof(h) + sizeof(rq)),
	};
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), &rq, sizeof(rq));
	if (sockmsg_send_creds(fd, buf, h.len) != (ssize_t)h.len)
		return 1;
	printf("sent\n");
	fflush(stdout);
	unsigned char in[SIMD_MSG_MAX];
	int efd = -1;
	ssize_t n = sockmsg_recv(fd, in, sizeof(in), &efd, 0);
	if (n >= (ssize_t)sizeof(h)) {
		memcpy(&h, in, sizeof(h));
		printf("HELLO %s\n", caec_errname(h.status));
	} else {
		printf("HELLO closed\n");
	}
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin))
		;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "rim") == 0)
		return rim_mode();
	if (argc == 3 && strcmp(argv[1], "raw") == 0)
		return raw_mode(argv[2]);
	fprintf(stderr, "usage: caec-test-realm rim | raw PATH\n");
	return 2;
}
