/* vpdma-c-target: the process side of docs/target-protocol.md. Frames are a 4-byte
 * little-endian length and one MessagePack map; requests and answers strictly alternate.
 *
 * Environment (for tests of the harness):
 *   VPDMA_C_FAULT=mapdma-nonnull     VideoPortMapDmaMemory returns a non-NULL pointer
 *   VPDMA_C_FAULT=corrupt-on-mapdma  VideoPortMapDmaMemory flips a byte of a common buffer
 *                                    (with none, of the first live range)
 *   VPDMA_C_FAULT=corrupt-silently-on-mapdma   the same, left out of the touched answer
 *   VPDMA_C_FAULT=corrupt-on-mapdma-run   the same flip, only at the 8th MapDmaMemory in a
 *                                    row with one VirtualAddress and Length (videoport.c)
 *   VPDMA_C_FAULT=crash-after:N      abort() on call request N+1 (counted over the process)
 *   VPDMA_C_FAULT=hang-after:N       stop answering at call request N+1
 *   VPDMA_C_FAULT=garbage-after:N    answer call request N+1 with a malformed frame
 *   VPDMA_C_FAULT=grow-after:N       at call request N+1, allocate and touch 48 MiB it never
 *                                    frees, then wait 500 ms before answering as usual (a
 *                                    leak for --rss-limit-mb to catch while the call is in flight)
 *   VPDMA_C_NOOP=1                   answer every request at once without doing any work
 *                                    (a benchmark baseline: the cost of the protocol alone)
 *   VPDMA_C_NO_TOUCHED=1             do not offer the touched feature (vpdma then re-reads
 *                                    all live memory around every obsolete call)
 *   VPDMA_C_NO_TOUCHED_IN_CALL=1     offer touched only as its own request, not inside call
 *                                    answers (one more round trip per call)
 *
 * Built with -DVPDMA_COV and vpcov.c (make vpdma-c-target-cov), it also offers the coverage
 * feature: the edges of the instrumented sources that calls hit (vpcov.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vp.h"
#ifdef VPDMA_COV
#include "vpcov.h"
#define COV_FEATURE 1u
#else
#define COV_FEATURE 0u
static int vpcov_on;
#endif

#define FRAME_MAX (16u << 20)
#define MEMORY_MAX (64ULL << 30)

static vp_t S;
static mp_doc doc;
static mp_w reply, retw, outw;
static int ready, noop, touched_on = 1, in_call_on = 1;
/* This trace's call answers carry `touched` (the hello accepted touched-in-call). */
static int in_call;
static enum { F_NONE, F_CRASH, F_HANG, F_GARBAGE, F_GROW } fault;
static unsigned long long fault_after, calls;

static int read_full(uint8_t *p, size_t n) /* 1: got n bytes; 0: clean EOF; -1: cut short */
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(0, p + got, n - got);
        if (r <= 0) return got == 0 && r == 0 ? 0 : -1;
        got += (size_t)r;
    }
    return 1;
}

static void write_full(const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t r = write(1, p, n);
        if (r <= 0) exit(1);
        p += r, n -= (size_t)r;
    }
}

static void send_reply(void)
{
    uint32_t n = (uint32_t)(reply.n - 4);
    for (int i = 0; i < 4; i++) reply.b[i] = (uint8_t)(n >> (8 * i));
    write_full(reply.b, reply.n);
}

static void begin_reply(void) { reply.n = 0, mpw_raw(&reply, "\0\0\0\0", 4); }

static void send_error(const char *text)
{
    begin_reply();
    mpw_map(&reply, 1), mpw_str(&reply, "error"), mpw_str(&reply, text);
    send_reply();
}

static uint64_t get_int(const mp_node *map, const char *key, uint64_t fallback)
{
    uint64_t v;
    return mp_int(mp_get(&doc, map, key), &v) ? v : fallback;
}

static int get_bool(const mp_node *map, const char *key, int fallback)
{
    const mp_node *n = mp_get(&doc, map, key);
    return n && n->type == MP_BOOL ? (int)n->v.u : fallback;
}

/* Whether the hello's `accepts` list names this extension. */
static int accepts(const mp_node *msg, const char *what)
{
    const mp_node *list = mp_get(&doc, msg, "accepts");
    if (!list || list->type != MP_ARR) return 0;
    for (const mp_node *a = mp_child(&doc, list); a; a = mp_next(&doc, a))
        if (mp_is_str(a, what)) return 1;
    return 0;
}

/* Absent fields take the trace format's defaults (DESIGN.md), though vpdma sends them all. */
static const char *hello(const mp_node *msg)
{
    if (get_int(msg, "version", 0) != 1) return "unsupported protocol version (this is 1)";
    const mp_node *dev = mp_get(&doc, msg, "device"), *aps = mp_get(&doc, dev, "apertures");
    const mp_node *dma = mp_get(&doc, dev, "dma");
    device d = {{{0xe0000000, 16 << 20, 0}, {0xf0000000, 65536, 0}, {0x3c0, 32, 1}}, 3,
                268435456, 1, 1, 0, 1048576, 64};
    if (aps && aps->type == MP_ARR) {
        if (aps->n > APERTURES_MAX) return "too many apertures";
        d.nap = 0;
        for (const mp_node *a = mp_child(&doc, aps); a; a = mp_next(&doc, a)) {
            aperture *ap = &d.ap[d.nap++];
            ap->base = get_int(a, "base", 0);
            ap->length = get_int(a, "length", 0);
            ap->io = mp_is_str(mp_get(&doc, a, "space"), "io");
        }
    }
    d.memory_bytes = get_int(dev, "systemMemoryBytes", d.memory_bytes);
    if (d.memory_bytes > MEMORY_MAX) return "systemMemoryBytes above 64 GiB";
    d.sg = get_bool(dma, "scatterGather", d.sg);
    d.dma32 = get_bool(dma, "dma32BitAddresses", d.dma32);
    d.dma64 = get_bool(dma, "dma64BitAddresses", d.dma64);
    d.maxlen = (uint32_t)get_int(dma, "maximumLength", d.maxlen);
    d.regs = (uint32_t)get_int(dma, "mapRegisters", d.regs);
    if (mp_is_str(mp_get(&doc, msg, "profile"), "reactos"))
        fprintf(stderr, "vpdma-c-target: profile reactos requested; answering with docs semantics\n");
    S.dev = d;
    S.tracking = touched_on && !noop;
    if (vp_reset(&S)) return "cannot allocate the physical page map";
    ready = 1;
#ifdef VPDMA_COV
    vpcov_reset();
#endif
    in_call = touched_on && in_call_on && accepts(msg, "touched-in-call");
    begin_reply();
    mpw_map(&reply, 3);
    mpw_str(&reply, "version"), mpw_uint(&reply, 1);
    mpw_str(&reply, "name"), mpw_str(&reply, noop ? "vpdma-c-target (no-op)" : "vpdma-c-target");
    mpw_str(&reply, "features"), mpw_arr(&reply, 1u + touched_on + in_call + COV_FEATURE);
    mpw_str(&reply, "state");
    if (touched_on) mpw_str(&reply, "touched");
    if (in_call) mpw_str(&reply, "touched-in-call");
    if (COV_FEATURE) mpw_str(&reply, "coverage");
    send_reply();
    return NULL;
}

/* Kept forever: what a leaking implementation holds. */
static unsigned char *volatile grown;

static void injected_fault(void)
{
    if (fault == F_NONE || fault == F_GARBAGE || calls < fault_after) return;
    if (fault == F_GROW) {
        if (calls != fault_after) return;
        size_t n = (size_t)48 << 20;
        if (!(grown = malloc(n))) abort();
        memset(grown, 0xa5, n); /* touched: resident, not only reserved */
        struct timespec wait = {0, 500 * 1000 * 1000};
        nanosleep(&wait, NULL);
        return;
    }
    if (fault == F_CRASH) abort();
    for (;;) pause(); /* F_HANG */
}

static const char *do_call(const mp_node *msg)
{
    const mp_node *fn = mp_get(&doc, msg, "fn"), *args = mp_get(&doc, msg, "args");
    if (!fn || fn->type != MP_STR) return "call without a string fn";
    if (args && args->type != MP_MAP) return "call args is not a map";
    injected_fault();
    if (fault == F_GARBAGE && calls >= fault_after) {
        write_full((const uint8_t *)"\x05\0\0\0\xc1\xc1\xc1\xc1\xc1", 9);
        calls++;
        return NULL;
    }
    calls++;
    begin_reply();
    if (noop) {
        mpw_map(&reply, (uint32_t)in_call);
        if (in_call) mpw_str(&reply, "touched"), mpw_arr(&reply, 0);
        return send_reply(), NULL;
    }
    call c = {&doc, args, &retw, &outw, 0, 0, NULL};
    retw.n = outw.n = 0;
    vpcov_on = 1;
    int unknown = vp_call(&S, (const char *)fn->v.p, fn->n, &c);
    vpcov_on = 0;
    if (unknown) return "unknown function";
    if (c.error) return c.error;
    mpw_map(&reply, (uint32_t)(c.has_ret + (c.nout > 0) + in_call));
    if (c.has_ret) mpw_str(&reply, "ret"), mpw_raw(&reply, retw.b, retw.n);
    if (c.nout) mpw_str(&reply, "out"), mpw_map(&reply, c.nout), mpw_raw(&reply, outw.b, outw.n);
    if (in_call) mpw_str(&reply, "touched"), vp_touched_list(&S, &reply);
    send_reply();
    return NULL;
}

static const char *do_read(const mp_node *msg)
{
    uint64_t address = get_int(msg, "address", 0), length = get_int(msg, "length", 0);
    if (length > READ_MAX) return "read longer than one frame can carry";
    begin_reply();
    mpw_map(&reply, 1), mpw_str(&reply, "data");
    uint8_t *p = mpw_bin_open(&reply, (size_t)length);
    if (noop) memset(p, 0, (size_t)length);
    else if (mem_read(&S, address, length, p)) return "read of unmapped memory";
    send_reply();
    return NULL;
}

static const char *handle(const uint8_t *buf, size_t len)
{
    if (mp_parse(&doc, buf, len)) return doc.err;
    const mp_node *msg = mp_root(&doc), *op = mp_get(&doc, msg, "op");
    if (!msg || msg->type != MP_MAP) return "request is not a map";
    if (mp_is_str(op, "hello")) return hello(msg);
    if (mp_is_str(op, "close")) {
        begin_reply(), mpw_map(&reply, 0), send_reply();
        exit(0);
    }
    if (!ready) return "no hello yet";
    if (mp_is_str(op, "call")) return do_call(msg);
    if (mp_is_str(op, "read")) return do_read(msg);
    if (mp_is_str(op, "touched")) {
        if (!touched_on) return "touched is off (VPDMA_C_NO_TOUCHED)";
        begin_reply();
        if (noop) mpw_map(&reply, 1), mpw_str(&reply, "ranges"), mpw_arr(&reply, 0);
        else vp_touched(&S, &reply);
        send_reply();
        return NULL;
    }
#ifdef VPDMA_COV
    if (mp_is_str(op, "coverage")) { /* {edges: bin}, little-endian u32 ids */
        uint32_t n;
        const uint32_t *ids = vpcov_take(&n);
        begin_reply();
        mpw_map(&reply, 1), mpw_str(&reply, "edges");
        uint8_t *p = mpw_bin_open(&reply, (size_t)n * 4);
        for (uint32_t i = 0; i < n; i++)
            for (int k = 0; k < 4; k++) p[4 * i + k] = (uint8_t)(ids[i] >> (8 * k));
        send_reply();
        return NULL;
    }
#endif
    if (!mp_is_str(op, "state")) return "unknown op";
    begin_reply();
    mpw_map(&reply, 1), mpw_str(&reply, "state");
    if (noop) mpw_map(&reply, 0);
    else vp_state(&S, &reply);
    send_reply();
    return NULL;
}

static void parse_env(void)
{
    const char *f = getenv("VPDMA_C_FAULT"), *n = getenv("VPDMA_C_NOOP");
    const char *t = getenv("VPDMA_C_NO_TOUCHED"), *ic = getenv("VPDMA_C_NO_TOUCHED_IN_CALL");
    noop = n && *n && strcmp(n, "0") != 0;
    touched_on = !(t && *t && strcmp(t, "0") != 0);
    in_call_on = !(ic && *ic && strcmp(ic, "0") != 0);
    if (!f || !*f) return;
    static const char *const after[] = {"crash-after:", "hang-after:", "garbage-after:",
                                        "grow-after:"};
    char *end = NULL;
    if (strcmp(f, "mapdma-nonnull") == 0) S.fault_mapdma_nonnull = 1;
    else if (strcmp(f, "corrupt-on-mapdma") == 0) S.fault_corrupt_mapdma = 1;
    else if (strcmp(f, "corrupt-silently-on-mapdma") == 0) S.fault_corrupt_silently = 1;
    else if (strcmp(f, "corrupt-on-mapdma-run") == 0) S.fault_mapdma_run = 1;
    for (int i = 0; i < 4; i++) {
        size_t k = strlen(after[i]);
        if (strncmp(f, after[i], k) != 0) continue;
        fault_after = strtoull(f + k, &end, 10);
        if (end == f + k || *end) break;
        fault = i == 0 ? F_CRASH : i == 1 ? F_HANG : i == 2 ? F_GARBAGE : F_GROW;
    }
    if (!fault && !S.fault_mapdma_nonnull && !S.fault_corrupt_mapdma && !S.fault_corrupt_silently &&
        !S.fault_mapdma_run) {
        fprintf(stderr, "vpdma-c-target: unknown VPDMA_C_FAULT '%s'\n", f);
        exit(2);
    }
}

int main(void)
{
    uint8_t header[4], *buf = NULL;
    size_t cap = 0;
    parse_env();
    for (;;) {
        int r = read_full(header, 4);
        if (r == 0) return 0; /* vpdma closed our input between frames */
        uint32_t len = (uint32_t)header[0] | (uint32_t)header[1] << 8 |
                       (uint32_t)header[2] << 16 | (uint32_t)header[3] << 24;
        if (r < 0 || len > FRAME_MAX) {
            fprintf(stderr, "vpdma-c-target: %s\n", r < 0 ? "input cut mid-frame" : "frame too long");
            return 1;
        }
        if (len > cap && !(buf = realloc(buf, cap = len))) return 1;
        if (read_full(buf, len) != 1) {
            fprintf(stderr, "vpdma-c-target: input cut mid-frame\n");
            return 1;
        }
        const char *err = handle(buf, len);
        if (err) send_error(err);
    }
}
