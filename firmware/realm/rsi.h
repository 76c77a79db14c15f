/* RSI wrappers for the realm runtime (SMC from Realm EL1, trapped by the RMM). */
#ifndef REALM_RSI_H
#define REALM_RSI_H

#include <stdint.h>

struct rsi_ret {
	uint64_t x[9];
};

struct rsi_ret rsi_call(uint64_t fid, uint64_t a1, uint64_t a2);
struct rsi_ret rsi_call3(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

#endif /* REALM_RSI_H */
