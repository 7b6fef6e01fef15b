/* Coverage of this target's own code, for vpdma's `coverage` request (docs/target-protocol.md):
 * the videoport sources are compiled with GCC's -fsanitize-coverage=trace-pc, which calls
 * __sanitizer_cov_trace_pc at every basic block. Each call site is recorded as its offset
 * from the start of the executable, stable from run to run although the kernel loads the
 * program at a random address (ASLR), in a set emptied by each `coverage` answer and by
 * `hello`. Only what runs while a `call` request is served counts (vpcov_on), so the edges
 * are a function of the calls since hello, not of the reads and state requests vpdma makes
 * around them. This file itself is not instrumented. */
#include <stdint.h>
#include <string.h>

#include "vpcov.h"

extern char __executable_start;

#define SLOTS (1u << 16) /* a power of two, well above the instrumented code's blocks */

int vpcov_on;
static uint32_t key[SLOTS], stamp[SLOTS]; /* slot live when stamp == gen */
static uint32_t gen = 1, hit[SLOTS], nhit;

__attribute__((no_sanitize_coverage)) void __sanitizer_cov_trace_pc(void)
{
    if (!vpcov_on) return;
    uint32_t id = (uint32_t)((uintptr_t)__builtin_return_address(0) - (uintptr_t)&__executable_start);
    for (uint32_t i = (id * 2654435761u) >> 16, n = 0; n < SLOTS; i = (i + 1) & (SLOTS - 1), n++) {
        if (stamp[i] != gen) {
            if (nhit == SLOTS - 1) return; /* never: far fewer blocks than slots */
            stamp[i] = gen, key[i] = id, hit[nhit++] = id;
            return;
        }
        if (key[i] == id) return;
    }
}

__attribute__((no_sanitize_coverage)) void vpcov_reset(void)
{
    nhit = 0;
    if (++gen == 0) memset(stamp, 0, sizeof stamp), gen = 1;
}

__attribute__((no_sanitize_coverage)) const uint32_t *vpcov_take(uint32_t *n)
{
    *n = nhit;
    vpcov_reset(); /* the ids stay in hit[] until the next call records one */
    return hit;
}
