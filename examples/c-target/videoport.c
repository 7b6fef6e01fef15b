/* The VideoPort DMA surface, docs profile (spec sections A-H and the four @ events). On a
 * path the docs leave undefined (vpdma calls it misuse) this answers sanely and keeps going. */
#include <stdlib.h>
#include <string.h>

#include "vp.h"

enum { NO_ERROR = 0, ERROR_NOT_ENOUGH_MEMORY = 8, ERROR_INVALID_PARAMETER = 87 };
enum { WAIT_TIMEOUT = 258, DMA_INIT_ONLY = 3, SG_HEADER = 16, SG_ELEMENT = 24 };

/* ---- arguments and replies ---------------------------------------------------------------- */
const mp_node *arg(call *c, const char *name) { return mp_get(c->doc, c->args, name); }

uint64_t num(call *c, const char *name) /* absent or mistyped: 0, as the model reads it */
{
    uint64_t v = 0;
    return mp_int(arg(c, name), &v) ? v : 0;
}

uint32_t u32(call *c, const char *name) { return (uint32_t)num(c, name); }
int flag(const mp_node *n) { return n && n->type == MP_BOOL && n->v.u; }

uint64_t field(call *c, const mp_node *map, const char *name)
{
    uint64_t v = 0;
    return mp_int(mp_get(c->doc, map, name), &v) ? v : 0;
}

void ret_u(call *c, uint64_t v) { mpw_uint(c->ret, v), c->has_ret = 1; }
void ret_b(call *c, int v) { mpw_bool(c->ret, v), c->has_ret = 1; }
void out_key(call *c, const char *name) { mpw_str(c->out, name), c->nout++; }
void out_u(call *c, const char *name, uint64_t v) { out_key(c, name), mpw_uint(c->out, v); }

uint64_t new_handle(vp_t *s)
{
    uint64_t h = s->next_handle;
    s->next_handle += HANDLE_STRIDE;
    return h;
}

/* A RAM-backed range at a fresh kernel VA over `pages` (taken over); returns the VA. */
uint64_t map_ram(vp_t *s, uint64_t len, int kind, uint64_t *pages)
{
    range r = {0};
    r.va = va_take(&s->next_kva, len);
    r.length = len;
    r.kind = kind;
    r.pages = pages;
    r.npages = (uint32_t)pages_for(len);
    range_add(s, &r);
    return r.va;
}

/* ---- A. adapters -------------------------------------------------------------------------- */
static void get_dma_adapter(vp_t *s, call *c)
{
    const mp_node *d = arg(c, "vpDeviceDescription");
    if (!d || d->type != MP_MAP || s->adapters.n >= OBJECTS_MAX) { ret_u(c, 0); return; }
    uint32_t want = (uint32_t)field(c, d, "maximumLength");
    adapter *a = vec_insert(&s->adapters, new_handle(s));
    a->sg = flag(mp_get(c->doc, d, "scatterGather")) && s->dev.sg;
    a->dma64 = flag(mp_get(c->doc, d, "dma64BitAddresses")) && s->dev.dma64;
    a->maxlen = want < s->dev.maxlen ? want : s->dev.maxlen;
    /* Enough map registers for the largest transfer, plus one for a page-straddling start. */
    uint64_t regs = pages_for(a->maxlen) + 1;
    a->regs = (uint32_t)(regs < s->dev.regs ? regs : s->dev.regs);
    a->window = MAP_WINDOW_BASE + s->windows++ * 0x1000000ULL;
    ret_u(c, a->handle);
}

static void put_dma_adapter(vp_t *s, call *c)
{
    adapter *a = vec_find(&s->adapters, num(c, "vpDmaAdapter"));
    if (a) vec_remove(&s->adapters, a);
}

/* ---- B. common buffers and contiguous memory ---------------------------------------------- */
static cbuf *alloc_common(vp_t *s, uint32_t len, uint64_t highest, uint64_t adapter_handle,
                          int cache, int from_get)
{
    if (len == 0 || len > ALLOC_MAX || s->cbufs.n >= OBJECTS_MAX) return NULL;
    uint64_t n = pages_for(len);
    int64_t first = phys_contig(s, n, highest);
    if (first < 0) return NULL;
    uint64_t *pages = malloc(n * sizeof *pages);
    if (!pages) exit(1);
    for (uint64_t i = 0; i < n; i++) pages[i] = (uint64_t)first + i;
    cbuf *b = vec_insert(&s->cbufs, map_ram(s, len, R_COMMON, pages));
    b->logical = (uint64_t)first * PAGE;
    b->length = len;
    b->cache = cache;
    b->from_get = from_get;
    b->adapter = adapter_handle;
    return b;
}

static void allocate_common_buffer(vp_t *s, call *c)
{
    adapter *a = vec_find(&s->adapters, num(c, "vpDmaAdapter"));
    if (!a) { ret_u(c, 0); return; }
    cbuf *b = alloc_common(s, u32(c, "desiredLength"), a->dma64 ? UINT64_MAX : 0xffffffffULL,
                           a->handle, flag(arg(c, "cacheEnabled")), 0);
    ret_u(c, b ? b->va : 0);
    if (b) out_u(c, "logicalAddress", b->logical);
}

/* Release and Free take exactly the allocation's arguments; anything else frees nothing. */
static void free_common(vp_t *s, call *c, uint64_t adapter_handle, int from_get)
{
    cbuf *b = vec_find(&s->cbufs, num(c, "virtualAddress"));
    if (!b || b->from_get != from_get || b->adapter != adapter_handle ||
        b->length != u32(c, "length") || b->logical != num(c, "logicalAddress") ||
        b->cache != flag(arg(c, "cacheEnabled")))
        return;
    range_remove(s, b->va);
    vec_remove(&s->cbufs, b);
}

static void release_common_buffer(vp_t *s, call *c) { free_common(s, c, num(c, "vpDmaAdapter"), 0); }
static void free_common_buffer(vp_t *s, call *c) { free_common(s, c, 0, 1); }

static void get_common_buffer(vp_t *s, call *c)
{
    /* Docs: no adapter involved (the implicit legacy one), 32-bit logical addresses. */
    cbuf *b = alloc_common(s, u32(c, "desiredLength"), 0xffffffffULL, 0,
                           flag(arg(c, "cacheEnabled")), 1);
    ret_u(c, b ? b->va : 0);
    if (b) out_u(c, "logicalAddress", b->logical);
    out_u(c, "pActualLength", b ? b->length : 0);
}

uint64_t add_block(vp_t *s, uint64_t len, int kind, uint64_t *pages)
{
    block *b = vec_insert(&s->blocks, map_ram(s, len, kind, pages));
    b->length = len;
    b->kind = kind;
    return b->va;
}

static void allocate_contiguous_memory(vp_t *s, call *c)
{
    uint32_t len = u32(c, "numberOfBytes");
    if (len == 0 || len > ALLOC_MAX || s->blocks.n >= OBJECTS_MAX) { ret_u(c, 0); return; }
    uint64_t n = pages_for(len);
    int64_t first = phys_contig(s, n, num(c, "highestAcceptableAddress"));
    if (first < 0) { ret_u(c, 0); return; }
    uint64_t *pages = malloc(n * sizeof *pages);
    if (!pages) exit(1);
    for (uint64_t i = 0; i < n; i++) pages[i] = (uint64_t)first + i;
    ret_u(c, add_block(s, len, R_CONTIG, pages));
}

/* ---- G. pool ------------------------------------------------------------------------------ */
static uint64_t alloc_block(vp_t *s, uint64_t len, int kind)
{
    if (len == 0 || len > ALLOC_MAX || s->blocks.n >= OBJECTS_MAX) return 0;
    uint64_t *pages = malloc(pages_for(len) * sizeof *pages);
    if (!pages) exit(1);
    if (phys_scatter(s, pages_for(len), pages)) return free(pages), 0;
    return add_block(s, len, kind, pages);
}

static void free_block(vp_t *s, uint64_t va, int kind)
{
    block *b = vec_find(&s->blocks, va);
    if (!b || b->kind != kind) return;
    range_remove(s, va);
    vec_remove(&s->blocks, b);
}

static void allocate_pool(vp_t *s, call *c)
{
    uint64_t type = num(c, "poolType");
    if (type != 0 && type != 1 && type != 4 && type != 5) { ret_u(c, 0); return; }
    ret_u(c, alloc_block(s, num(c, "numberOfBytes"), R_POOL));
}

static void free_pool(vp_t *s, call *c) { free_block(s, num(c, "ptr"), R_POOL); }

static void allocate_buffer(vp_t *s, call *c)
{
    uint64_t va = alloc_block(s, u32(c, "size"), R_BUFFER);
    ret_u(c, va ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY);
    if (va) out_u(c, "buffer", va); /* docs promise nothing about *Buffer on failure */
}

static void release_buffer(vp_t *s, call *c) { free_block(s, num(c, "buffer"), R_BUFFER); }

/* ---- H. events ---------------------------------------------------------------------------- */
static event *find_event(vp_t *s, call *c, const char *name)
{
    return vec_find(&s->events, num(c, name));
}

static void create_event(vp_t *s, call *c)
{
    if (s->events.n >= OBJECTS_MAX) { ret_u(c, ERROR_NOT_ENOUGH_MEMORY); return; }
    uint64_t flags = num(c, "eventFlag");
    event *e = vec_insert(&s->events, new_handle(s));
    e->notification = flags & 1;
    e->signaled = (flags & 2) != 0;
    ret_u(c, NO_ERROR);
    out_u(c, "ppEvent", e->handle);
}

static void delete_event(vp_t *s, call *c)
{
    event *e = find_event(s, c, "pEvent");
    if (e) vec_remove(&s->events, e);
    ret_u(c, e ? NO_ERROR : ERROR_INVALID_PARAMETER);
}

static void set_event(vp_t *s, call *c)
{
    event *e = find_event(s, c, "pEvent");
    ret_u(c, e && e->signaled);
    if (e) e->signaled = 1;
}

static void clear_event(vp_t *s, call *c)
{
    event *e = find_event(s, c, "pEvent");
    if (e) e->signaled = 0;
}

static void read_state_event(vp_t *s, call *c)
{
    event *e = find_event(s, c, "pEvent");
    ret_u(c, e && e->signaled);
}

/* Single-threaded: nobody can signal during a wait, so an unsignaled wait times out (an
 * infinite one would deadlock; vpdma calls that misuse, this answers WAIT_TIMEOUT). */
static void wait_for_single_object(vp_t *s, call *c)
{
    event *e = find_event(s, c, "object");
    if (!e) { ret_u(c, ERROR_INVALID_PARAMETER); return; }
    if (!e->signaled) { ret_u(c, WAIT_TIMEOUT); return; }
    if (!e->notification) e->signaled = 0;
    ret_u(c, NO_ERROR);
}

/* ---- E. the legacy PDMA family: inert ----------------------------------------------------- */
static void ret_null(vp_t *s, call *c) { (void)s, ret_u(c, 0); }
static void ret_false(vp_t *s, call *c) { (void)s, ret_b(c, 0); }
static void no_op(vp_t *s, call *c) { (void)s, (void)c; }
static void get_mdl(vp_t *s, call *c) { (void)s, ret_u(c, num(c, "pDma")); }

/* Test switch: flip the first byte of the first common buffer (with none, of the first live
 * range), reported by touched or not. */
static void corrupt_first_byte(vp_t *s)
{
    range *r = s->cbufs.n ? vec_find(&s->ranges, ((cbuf *)vec_at(&s->cbufs, 0))->va)
                          : s->ranges.n ? vec_at(&s->ranges, 0) : NULL;
    uint8_t b;
    s->untracked = s->fault_corrupt_silently;
    if (r && !mem_read(s, r->va, 1, &b)) b ^= 0x5a, mem_write(s, r->va, &b, 1);
    s->untracked = 0;
}

/* Planted bug behind a condition only this code tells apart (VPDMA_C_FAULT=corrupt-on-mapdma-
 * run): the RUN_BUG-th VideoPortMapDmaMemory in a row with the same VirtualAddress and Length
 * corrupts memory. Every step of the run is a branch of its own, nested as libFuzzer's "FUZZ"
 * example is, so a case one step further along reaches code no case reached before. */
#define RUN_BUG 8
static volatile unsigned run_steps[RUN_BUG + 1];
static void mapdma_run(vp_t *s, call *c)
{
    uint64_t va = num(c, "virtualAddress");
    uint32_t len = u32(c, "length");
    if (s->run_n > 0 && va == s->run_va && len == s->run_len) s->run_n++;
    else s->run_va = va, s->run_len = len, s->run_n = 1;
    if (s->run_n >= 2) {
        run_steps[2]++;
        if (s->run_n >= 3) {
            run_steps[3]++;
            if (s->run_n >= 4) {
                run_steps[4]++;
                if (s->run_n >= 5) {
                    run_steps[5]++;
                    if (s->run_n >= 6) {
                        run_steps[6]++;
                        if (s->run_n >= 7) {
                            run_steps[7]++;
                            if (s->run_n >= RUN_BUG) run_steps[8]++, corrupt_first_byte(s);
                        }
                    }
                }
            }
        }
    }
}

static void map_dma_memory(vp_t *s, call *c)
{
    if (s->fault_corrupt_mapdma || s->fault_corrupt_silently) corrupt_first_byte(s);
    if (s->fault_mapdma_run) mapdma_run(s, c);
    ret_u(c, s->fault_mapdma_nonnull ? 0xffffd0000000beefULL : 0);
}

/* ---- dispatch ----------------------------------------------------------------------------- */
static const struct {
    const char *fn;
    vp_handler *h;
} TABLE[] = {
    {"VideoPortGetDmaAdapter", get_dma_adapter},
    {"VideoPortPutDmaAdapter", put_dma_adapter},
    {"VideoPortAllocateCommonBuffer", allocate_common_buffer},
    {"VideoPortReleaseCommonBuffer", release_common_buffer},
    {"VideoPortGetCommonBuffer", get_common_buffer},
    {"VideoPortFreeCommonBuffer", free_common_buffer},
    {"VideoPortAllocateContiguousMemory", allocate_contiguous_memory},
    {"VideoPortLockBuffer", vp_lock_buffer},
    {"VideoPortUnlockBuffer", vp_unlock_buffer},
    {"VideoPortLockPages", vp_lock_pages},
    {"VideoPortUnlockPages", vp_unlock_pages},
    {"VideoPortStartDma", vp_start_dma},
    {"VideoPortCompleteDma", vp_complete_dma},
    {"VideoPortDoDma", ret_null},
    {"VideoPortGetDmaContext", ret_null},
    {"VideoPortSetDmaContext", no_op},
    {"VideoPortSignalDmaComplete", ret_false},
    {"VideoPortAssociateEventsWithDmaHandle", ret_null},
    {"VideoPortGetBytesUsed", ret_null},
    {"VideoPortSetBytesUsed", no_op},
    {"VideoPortGetMdl", get_mdl},
    {"VideoPortMapDmaMemory", map_dma_memory},
    {"VideoPortUnmapDmaMemory", ret_false},
    {"VideoPortGetDeviceBase", vp_get_device_base},
    {"VideoPortFreeDeviceBase", vp_free_device_base},
    {"VideoPortMapMemory", vp_map_memory},
    {"VideoPortUnmapMemory", vp_unmap_memory},
    {"VideoPortMapBankedMemory", vp_map_memory}, /* docs: as MapMemory */
    {"VideoPortAllocatePool", allocate_pool},
    {"VideoPortFreePool", free_pool},
    {"VideoPortAllocateBuffer", allocate_buffer},
    {"VideoPortReleaseBuffer", release_buffer},
    {"VideoPortCreateEvent", create_event},
    {"VideoPortDeleteEvent", delete_event},
    {"VideoPortSetEvent", set_event},
    {"VideoPortClearEvent", clear_event},
    {"VideoPortReadStateEvent", read_state_event},
    {"VideoPortWaitForSingleObject", wait_for_single_object},
    {"@write", vp_write},
    {"@read", vp_read},
    {"@executeDma", vp_execute_dma},
    {"@deviceDma", vp_device_dma},
};

int vp_call(vp_t *s, const char *fn, size_t fnlen, call *c)
{
    for (size_t i = 0; i < sizeof TABLE / sizeof *TABLE; i++) {
        if (strlen(TABLE[i].fn) != fnlen || memcmp(TABLE[i].fn, fn, fnlen) != 0) continue;
        TABLE[i].h(s, c);
        return 0;
    }
    return -1;
}

/* ---- reset and state ---------------------------------------------------------------------- */
int vp_reset(vp_t *s)
{
    for (size_t i = 0; i < s->mdls.n; i++) free(((mdl *)vec_at(&s->mdls, i))->keys);
    for (size_t i = 0; i < s->xfers.n; i++) free(((xfer *)vec_at(&s->xfers, i))->el);
    vec_init(&s->adapters, sizeof(adapter));
    vec_init(&s->cbufs, sizeof(cbuf));
    vec_init(&s->mdls, sizeof(mdl));
    vec_init(&s->xfers, sizeof(xfer));
    vec_init(&s->views, sizeof(view));
    vec_init(&s->events, sizeof(event));
    vec_init(&s->blocks, sizeof(block));
    s->next_handle = HANDLE_BASE;
    s->next_xfer_seq = 0;
    s->next_kva = KERNEL_VA_BASE;
    s->next_view = VIEW_VA_BASE;
    s->next_uview = USER_VIEW_VA_BASE;
    s->windows = 0;
    s->run_va = 0, s->run_len = 0, s->run_n = 0;
    return vp_mem_reset(s);
}

static void kv(mp_w *w, const char *key, uint64_t v) { mpw_str(w, key), mpw_uint(w, v); }
static void kb(mp_w *w, const char *key, int v) { mpw_str(w, key), mpw_bool(w, v); }
static void ks(mp_w *w, const char *key, const char *v) { mpw_str(w, key), mpw_str(w, v); }

static const char *KIND[] = {"commonBuffer", "contiguous", "pool", "buffer", "lockedList"};

/* Every live object, each list sorted by its key (the vectors are kept sorted). */
void vp_state(vp_t *s, mp_w *w)
{
    mpw_map(w, 7);
    mpw_str(w, "adapters"), mpw_arr(w, (uint32_t)s->adapters.n);
    for (size_t i = 0; i < s->adapters.n; i++) {
        adapter *a = vec_at(&s->adapters, i);
        mpw_map(w, 3), kv(w, "handle", a->handle), kv(w, "mapRegisters", a->regs);
        kv(w, "mapRegistersUsed", a->used);
    }
    mpw_str(w, "commonBuffers"), mpw_arr(w, (uint32_t)s->cbufs.n);
    for (size_t i = 0; i < s->cbufs.n; i++) {
        cbuf *b = vec_at(&s->cbufs, i);
        mpw_map(w, 4), kv(w, "va", b->va), kv(w, "logical", b->logical);
        kv(w, "length", b->length), kb(w, "cacheEnabled", b->cache);
    }
    mpw_str(w, "mdls"), mpw_arr(w, (uint32_t)s->mdls.n);
    for (size_t i = 0; i < s->mdls.n; i++) {
        mdl *m = vec_at(&s->mdls, i);
        mpw_map(w, 4), kv(w, "handle", m->handle), kv(w, "va", m->va);
        kv(w, "length", m->length), kv(w, "inFlight", m->inflight);
    }
    mpw_str(w, "transfers"), mpw_arr(w, (uint32_t)s->xfers.n);
    for (size_t i = 0; i < s->xfers.n; i++) {
        xfer *t = vec_at(&s->xfers, i);
        mpw_map(w, 10), kv(w, "sgList", t->sglist), kv(w, "adapter", t->adapter);
        kv(w, "mdl", t->mdl), kv(w, "offset", t->offset), kv(w, "length", t->length);
        kb(w, "writeToDevice", t->to_device), kv(w, "mapRegisters", t->regs);
        kv(w, "firstRegister", t->first);
        mpw_str(w, "elements"), mpw_arr(w, t->nel);
        for (uint32_t j = 0; j < t->nel; j++)
            mpw_map(w, 2), kv(w, "logical", t->el[j].address), kv(w, "length", t->el[j].length);
        ks(w, "state", t->delivered ? "delivered" : "pending");
    }
    mpw_str(w, "views"), mpw_arr(w, (uint32_t)s->views.n);
    for (size_t i = 0; i < s->views.n; i++) {
        view *v = vec_at(&s->views, i);
        mpw_map(w, 5), kv(w, "va", v->va), kv(w, "length", v->length), kv(w, "bus", v->bus);
        ks(w, "space", v->io ? "io" : "memory"), kv(w, "process", v->process);
    }
    mpw_str(w, "events"), mpw_arr(w, (uint32_t)s->events.n);
    for (size_t i = 0; i < s->events.n; i++) {
        event *e = vec_at(&s->events, i);
        mpw_map(w, 2), kv(w, "handle", e->handle), kb(w, "signaled", e->signaled);
    }
    mpw_str(w, "blocks"), mpw_arr(w, (uint32_t)s->blocks.n);
    for (size_t i = 0; i < s->blocks.n; i++) {
        block *b = vec_at(&s->blocks, i);
        mpw_map(w, 3), kv(w, "va", b->va), kv(w, "length", b->length);
        ks(w, "kind", KIND[b->kind]);
    }
}
