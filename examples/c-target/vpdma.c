/* C. buffer locking, D. packet DMA (with the @executeDma and @deviceDma events), F. memory
 * mapping, and the driver's own @write / @read. Docs profile. */
#include <stdlib.h>
#include <string.h>

#include "vp.h"

enum { NO_ERROR = 0, ERROR_NOT_ENOUGH_MEMORY = 8, ERROR_INVALID_PARAMETER = 87 };
enum { DMA_INIT_ONLY = 3, SG_HEADER = 16, SG_ELEMENT = 24 }; /* x64 VP_SCATTER_GATHER_LIST */

static uint64_t min64(uint64_t a, uint64_t b) { return a < b ? a : b; }

/* ---- C. locking --------------------------------------------------------------------------- */
static mdl *lock(vp_t *s, uint64_t va, uint32_t len, uint32_t op)
{
    uint32_t n;
    uint64_t *keys;
    if (len == 0 || op > 2 || s->mdls.n >= OBJECTS_MAX || !(keys = mem_pin(s, va, len, &n)))
        return NULL;
    mdl *m = vec_insert(&s->mdls, new_handle(s));
    m->va = va;
    m->length = len;
    m->op = op;
    m->keys = keys;
    m->nkeys = n;
    return m;
}

void vp_lock_buffer(vp_t *s, call *c)
{
    mdl *m = lock(s, num(c, "baseAddress"), u32(c, "length"), u32(c, "operation"));
    ret_u(c, m ? m->handle : 0);
}

void vp_unlock_buffer(vp_t *s, call *c)
{
    mdl *m = vec_find(&s->mdls, num(c, "mdl"));
    if (!m) return;
    free(m->keys);
    vec_remove(&s->mdls, m);
}

/* Physically contiguous runs of pages, as scatter/gather elements (at most one per page). */
static sgel *coalesce(const uint64_t *keys, uint64_t nkeys, uint32_t off, uint32_t len,
                      uint32_t *n)
{
    sgel *el = malloc((nkeys ? nkeys : 1) * sizeof *el);
    if (!el) exit(1);
    *n = 0;
    for (uint64_t i = 0, done = 0; i < nkeys && done < len; i++) {
        uint32_t o = i == 0 ? off : 0;
        uint32_t take = (uint32_t)min64(PAGE - o, len - done);
        uint64_t address = keys[i] * PAGE + o;
        if (*n && el[*n - 1].address + el[*n - 1].length == address) el[*n - 1].length += take;
        else el[(*n)++] = (sgel){address, take};
        done += take;
    }
    return el;
}

static void put_le(uint8_t *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Docs: DmaInitOnly locks InputBuffer and reports its VP_SCATTER_GATHER_LIST in OutputBuffer;
 * other flags take no action. */
void vp_lock_pages(vp_t *s, call *c)
{
    const mp_node *vrp = arg(c, "pVrp");
    if (!vrp || vrp->type != MP_MAP || u32(c, "dmaFlags") != DMA_INIT_ONLY) { ret_b(c, 0); return; }
    mdl *m = lock(s, field(c, vrp, "inputBuffer"), (uint32_t)field(c, vrp, "inputBufferLength"), 2);
    if (!m) { ret_b(c, 0); return; }
    uint32_t n;
    sgel *el = coalesce(m->keys, m->nkeys, (uint32_t)(m->va & 0xfff), m->length, &n);
    uint64_t size = SG_HEADER + (uint64_t)n * SG_ELEMENT;
    uint64_t *pages = malloc(pages_for(size) * sizeof *pages);
    uint8_t *bytes = calloc(1, size);
    if (!pages || !bytes) exit(1);
    if (phys_scatter(s, pages_for(size), pages)) { /* the pages stay locked, as in the model */
        free(pages), free(bytes), free(el);
        { ret_b(c, 0); return; }
    }
    uint64_t va = add_block(s, size, R_LOCKEDLIST, pages);
    put_le(bytes, n, 4);
    for (uint32_t i = 0; i < n; i++) {
        put_le(bytes + SG_HEADER + i * SG_ELEMENT, el[i].address, 8);
        put_le(bytes + SG_HEADER + i * SG_ELEMENT + 8, el[i].length, 4);
    }
    mem_write(s, va, bytes, size);
    free(bytes), free(el);
    ret_b(c, 1);
    out_key(c, "pVrp");
    mpw_map(c->out, 6);
    static const char *const keep[] = {"ioControlCode", "statusBlock", "inputBuffer",
                                       "inputBufferLength"};
    for (int i = 0; i < 4; i++) mpw_str(c->out, keep[i]), mpw_uint(c->out, field(c, vrp, keep[i]));
    mpw_str(c->out, "outputBuffer"), mpw_uint(c->out, va);
    mpw_str(c->out, "outputBufferLength"), mpw_uint(c->out, size);
}

void vp_unlock_pages(vp_t *s, call *c) { (void)s, ret_b(c, 1); } /* docs: always TRUE */

/* ---- D. packet DMA ------------------------------------------------------------------------ */
static int by_first(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

/* The largest run of consecutive free map registers (the lowest of equal ones): a transfer
 * takes consecutive registers, so live lists never share a logical address. */
static void free_run(vp_t *s, const adapter *a, uint32_t *first, uint32_t *count)
{
    uint32_t (*used)[2] = malloc((s->xfers.n + 1) * sizeof *used);
    uint32_t n = 0, at = 0;
    if (!used) exit(1);
    for (size_t i = 0; i < s->xfers.n; i++) {
        xfer *t = vec_at(&s->xfers, i);
        if (t->adapter == a->handle) used[n][0] = t->first, used[n++][1] = t->regs;
    }
    qsort(used, n, sizeof *used, by_first);
    used[n][0] = a->regs, used[n][1] = 0;
    *first = *count = 0;
    for (uint32_t i = 0; i <= n; i++) {
        if (used[i][0] > at && used[i][0] - at > *count) *first = at, *count = used[i][0] - at;
        if (used[i][0] + used[i][1] > at) at = used[i][0] + used[i][1];
    }
    free(used);
}

void vp_start_dma(vp_t *s, call *c)
{
    adapter *a = vec_find(&s->adapters, num(c, "vpDmaAdapter"));
    mdl *m = vec_find(&s->mdls, num(c, "mdl"));
    uint32_t offset = u32(c, "offset"), requested = u32(c, "pLength"), first = 0, free_regs = 0;
    if (!a || !m) { ret_u(c, ERROR_NOT_ENOUGH_MEMORY); return; }
    uint64_t granted = 0, in_page = (m->va + offset) & 0xfff;
    if (offset < m->length && requested && s->xfers.n < OBJECTS_MAX) {
        free_run(s, a, &first, &free_regs);
        uint64_t by_regs = (uint64_t)free_regs * PAGE;
        granted = min64(min64(requested, m->length - offset), a->maxlen);
        granted = by_regs > in_page ? min64(granted, by_regs - in_page) : 0;
    }
    ret_u(c, granted ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY);
    out_u(c, "pLength", granted);
    if (!granted) return;
    uint64_t start = (m->va & 0xfff) + offset, page0 = start / PAGE;
    xfer t = {0};
    t.regs = (uint32_t)pages_for(in_page + granted);
    if (a->sg) {
        uint64_t pages = min64(pages_for(start % PAGE + granted), m->nkeys - page0);
        /* Without 64-bit addressing a page above 4 GiB is seen through the transfer's own map
         * register (its page of the logical window), as the model has it. */
        uint64_t *keys = malloc((pages ? pages : 1) * sizeof *keys);
        if (!keys) exit(1);
        for (uint64_t i = 0; i < pages; i++) {
            uint64_t k = m->keys[page0 + i];
            keys[i] = a->dma64 || k < 0x100000 ? k : a->window / PAGE + first + i;
        }
        t.el = coalesce(keys, pages, (uint32_t)(start % PAGE), (uint32_t)granted, &t.nel);
        free(keys);
    } else { /* the map registers present one contiguous logical window */
        if (!(t.el = malloc(sizeof *t.el))) exit(1);
        t.el[0] = (sgel){a->window + (uint64_t)first * PAGE + start % PAGE, (uint32_t)granted};
        t.nel = 1;
    }
    t.sglist = new_handle(s), t.adapter = a->handle, t.mdl = m->handle;
    t.seq = s->next_xfer_seq++;
    t.context = num(c, "context"), t.to_device = flag(arg(c, "writeToDevice"));
    t.offset = offset, t.length = (uint32_t)granted, t.first = first;
    a->used += t.regs;
    m->inflight++;
    *(xfer *)vec_insert(&s->xfers, t.sglist) = t;
}

void vp_complete_dma(vp_t *s, call *c)
{
    xfer *t = vec_find(&s->xfers, num(c, "vpScatterGather"));
    ret_u(c, NO_ERROR);
    if (!t || !t->delivered) return;
    adapter *a = vec_find(&s->adapters, t->adapter);
    mdl *m = vec_find(&s->mdls, t->mdl);
    if (a) a->used -= t->regs;
    if (m) m->inflight--;
    free(t->el);
    vec_remove(&s->xfers, t);
}

/* The port calls HwVidExecuteDma with the oldest pending list of the adapter: the earliest
 * started (seq), not the lowest handle, so a port that hands out a freed handle again keeps
 * the order. */
void vp_execute_dma(vp_t *s, call *c)
{
    uint64_t a = num(c, "vpDmaAdapter");
    xfer *t = NULL;
    for (size_t i = 0; i < s->xfers.n; i++) {
        xfer *x = vec_at(&s->xfers, i);
        if (x->adapter == a && !x->delivered && (!t || x->seq < t->seq)) t = x;
    }
    if (t) t->delivered = 1;
    out_u(c, "sgList", t ? t->sglist : 0);
    out_u(c, "context", t ? t->context : 0);
    out_key(c, "elements");
    mpw_arr(c->out, t ? t->nel : 0);
    for (uint32_t i = 0; t && i < t->nel; i++) {
        mpw_map(c->out, 2);
        mpw_str(c->out, "address"), mpw_uint(c->out, t->el[i].address);
        mpw_str(c->out, "length"), mpw_uint(c->out, t->el[i].length);
    }
}

static int in_aperture(vp_t *s, uint64_t bus, uint64_t len, int io)
{
    for (int i = 0; len && i < s->dev.nap; i++) {
        const aperture *ap = &s->dev.ap[i];
        if (ap->io == io && bus >= ap->base && len <= ap->length &&
            bus - ap->base <= ap->length - len)
            return 1;
    }
    return 0;
}

/* The device runs a delivered list: bytes move between the MDL's pages and the aperture. */
void vp_device_dma(vp_t *s, call *c)
{
    xfer *t = vec_find(&s->xfers, num(c, "sgList"));
    mdl *m = t && t->delivered ? vec_find(&s->mdls, t->mdl) : NULL;
    uint64_t dev = num(c, "deviceAddress");
    if (!m || !in_aperture(s, dev, t->length, 0)) { ret_u(c, 0); return; }
    uint8_t buf[PAGE];
    uint64_t byte = (m->va & 0xfff) + t->offset;
    for (uint64_t done = 0; done < t->length;) {
        uint64_t ram = m->keys[byte / PAGE], d = dev + done;
        uint32_t ram_off = (uint32_t)(byte % PAGE), dev_off = (uint32_t)(d & 0xfff);
        uint32_t n = (uint32_t)min64(min64(PAGE - ram_off, PAGE - dev_off), t->length - done);
        if (t->to_device) key_read(s, ram, ram_off, n, buf), key_write(s, d >> 12, dev_off, buf, n);
        else key_read(s, d >> 12, dev_off, n, buf), key_write(s, ram, ram_off, buf, n);
        done += n, byte += n;
    }
    ret_u(c, t->length);
}

/* ---- F. memory mapping -------------------------------------------------------------------- */
static view *map_view(vp_t *s, uint64_t bus, uint32_t len, int io, uint64_t process)
{
    if (!in_aperture(s, bus, len, io) || s->views.n >= OBJECTS_MAX) return NULL;
    uint64_t off = bus & 0xfff; /* a mapping keeps the byte offset within the page */
    range r = {0};
    r.va = va_take(process ? &s->next_uview : &s->next_view, off + len) + off;
    r.length = len, r.kind = process ? R_USERVIEW : R_VIEW;
    r.linear = 1, r.io = io, r.bus = bus;
    range_add(s, &r);
    view *v = vec_insert(&s->views, r.va);
    v->bus = bus, v->length = len, v->io = io, v->process = process;
    return v;
}

static void unmap_view(vp_t *s, view *v)
{
    range_remove(s, v->va);
    vec_remove(&s->views, v);
}

/* Docs: a kernel view; USER_MODE is not a GetDeviceBase flag. (P6CACHE aliasing is a driver
 * error vpdma diagnoses; it changes nothing here.) */
void vp_get_device_base(vp_t *s, call *c)
{
    view *v = map_view(s, num(c, "ioAddress"), u32(c, "numberOfUchars"), num(c, "inIoSpace") & 1, 0);
    ret_u(c, v ? v->va : 0);
}

void vp_free_device_base(vp_t *s, call *c)
{
    view *v = vec_find(&s->views, num(c, "mappedAddress"));
    if (v && v->process == 0) unmap_view(s, v);
}

/* *VirtualAddress: in, NULL or a process handle; out, the view. *Length: out, page-rounded
 * (unless that passes 32 bits). */
void vp_map_memory(vp_t *s, call *c)
{
    uint64_t flags = num(c, "inIoSpace"), handle = num(c, "virtualAddress");
    uint64_t bus = num(c, "physicalAddress"), off = bus & 0xfff;
    uint64_t process = handle ? handle : flags & 2 ? CURRENT_PROCESS : 0;
    uint32_t len = u32(c, "length");
    view *v = map_view(s, bus, len, flags & 1, process);
    if (!v) { ret_u(c, ERROR_INVALID_PARAMETER); return; }
    ret_u(c, NO_ERROR);
    out_u(c, "virtualAddress", v->va);
    /* *Length is a ULONG: rounded up only while that fits, as the model does. */
    uint64_t mapped = pages_for(off + len) * PAGE - off;
    out_u(c, "length", mapped > 0xffffffffu ? len : mapped);
}

/* An interior address releases the whole view; ProcessHandle is 0 (any view) or the map-time
 * one (a view mapped with USER_MODE and no handle is the current process's, -1). */
void vp_unmap_memory(vp_t *s, call *c)
{
    uint64_t va = num(c, "virtualAddress"), process = num(c, "processHandle");
    size_t i = vec_lower(&s->views, va == UINT64_MAX ? va : va + 1);
    view *v = i ? vec_at(&s->views, i - 1) : NULL;
    int owner = v && (!process || v->process == process);
    if (!owner || va - v->va >= v->length) { ret_u(c, ERROR_INVALID_PARAMETER); return; }
    unmap_view(s, v);
    ret_u(c, NO_ERROR);
}

/* ---- the driver's own memory accesses ----------------------------------------------------- */
void vp_write(vp_t *s, call *c)
{
    const mp_node *d = arg(c, "data");
    if (d && d->type == MP_BIN && d->n) mem_write(s, num(c, "va"), d->v.p, d->n);
}

void vp_read(vp_t *s, call *c)
{
    uint32_t len = u32(c, "length");
    /* Longer than a trace could record the answer: misuse, no bytes, as the model answers
       (a hostile or fuzzed read; it also keeps every answer well inside one frame). */
    if (len > TRACE_BYTES_MAX) {
        mpw_bin(c->ret, NULL, 0);
        c->has_ret = 1;
        return;
    }
    size_t mark = c->ret->n;
    uint8_t *p = mpw_bin_open(c->ret, len);
    if (mem_read(s, num(c, "va"), len, p)) c->ret->n = mark, mpw_bin(c->ret, NULL, 0);
    c->has_ret = 1;
}
