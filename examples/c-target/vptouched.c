/* The touched operation (docs/target-protocol.md): the CPU ranges whose bytes changed since
 * the last request. Writes are recorded where bytes really change, per physical page key
 * (key_write and page_clear in vpmem.c), so every way of writing is covered: the driver's
 * @write, a device transfer in either direction, zeroing fresh allocations, the SG list
 * LockPages fills in. A request translates the page keys into every CPU mapping that shows
 * them: the RAM range or user page owning a RAM page, and each view whose bus range covers an
 * aperture (or I/O) page, so a byte a to-device transfer wrote into the aperture is reported
 * through every view of it. */
#include <stdlib.h>
#include <string.h>

#include "vp.h"

/* Beyond this many slots the map is freed rather than cleared after a request. */
#define TOUCH_SLOTS_KEEP 65536u
/* Lengths are u32 on the wire: a longer span (only user memory can be) goes out in pieces. */
#define PIECE 0xfffff000ULL

void touched_mark(vp_t *s, uint64_t key, uint32_t lo, uint32_t hi)
{
    if (!s->tracking || s->untracked || lo >= hi) return;
    touch_set *t = &s->touched;
    uint64_t i;
    if (map_get(&t->at, key, &i)) {
        touch *e = &t->e[i];
        if (lo < e->lo) e->lo = lo;
        if (hi > e->hi) e->hi = hi;
        return;
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        touch *e = realloc(t->e, cap * sizeof *e);
        if (!e) exit(1);
        t->e = e, t->cap = cap;
    }
    t->e[t->n] = (touch){key, lo, hi};
    map_put(&t->at, key, t->n++);
}

/* Forgets every recorded write (the map's slots are emptied, or the map freed if it grew). */
void touched_reset(vp_t *s)
{
    touch_set *t = &s->touched;
    if (t->at.cap > TOUCH_SLOTS_KEEP) map_free(&t->at, 0);
    else if (t->at.used) memset(t->at.keys, 0xff, t->at.cap * sizeof *t->at.keys), t->at.used = 0;
    t->n = 0;
}

/* Forgets the recorded writes and the room they took, at hello (vp_mem_reset): kept room
 * would make the growth branches of touched_mark and map_put depend on the traces an earlier
 * hello served, and a trace's coverage (vpcov.c) must be a function of its own calls. */
__attribute__((no_sanitize_coverage)) void touched_free(vp_t *s)
{
    touch_set *t = &s->touched;
    map_free(&t->at, 0);
    free(t->e);
    t->e = NULL, t->n = 0, t->cap = 0;
}

/* A CPU range to report, and the mapping it lies in (reports never cross mappings: a read
 * of the joined range would fail on both sides and check nothing). */
typedef struct {
    uint64_t lo, hi, mlo, mhi;
} span;

typedef struct {
    span *e;
    size_t n, cap;
} spans;

static void push(spans *o, uint64_t lo, uint64_t hi, uint64_t mlo, uint64_t mhi)
{
    if (lo >= hi) return;
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 64;
        span *e = realloc(o->e, cap * sizeof *e);
        if (!e) exit(1);
        o->e = e, o->cap = cap;
    }
    o->e[o->n++] = (span){lo, hi, mlo, mhi};
}

static int by_key(const void *x, const void *y)
{
    uint64_t a = ((const touch *)x)->key, b = ((const touch *)y)->key;
    return (a > b) - (a < b);
}

static int by_lo(const void *x, const void *y)
{
    uint64_t a = ((const span *)x)->lo, b = ((const span *)y)->lo;
    return (a > b) - (a < b);
}

/* Sorts, then joins overlapping or adjacent spans of the same mapping. */
static void merge(spans *o)
{
    if (o->n < 2) return;
    qsort(o->e, o->n, sizeof *o->e, by_lo);
    size_t k = 0;
    for (size_t i = 1; i < o->n; i++) {
        span *last = &o->e[k], *x = &o->e[i];
        if (x->mlo == last->mlo && x->mhi == last->mhi && x->lo <= last->hi) {
            if (x->hi > last->hi) last->hi = x->hi;
        } else o->e[++k] = *x;
    }
    o->n = k + 1;
}

static uint64_t pieces(const spans *o)
{
    uint64_t n = 0;
    for (size_t i = 0; i < o->n; i++) n += (o->e[i].hi - o->e[i].lo + PIECE - 1) / PIECE;
    return n;
}

/* Too many ranges: widens each to aligned blocks of 2^bits bytes, clipped to its mapping,
 * doubling until they fit. Every written byte stays covered; a whole mapping is the coarsest
 * (at most 3 x OBJECTS_MAX ranges, plus user memory in 32,769 pieces). */
static void coarsen(spans *o)
{
    for (unsigned bits = 13; bits < 64 && pieces(o) > TOUCHED_MAX; bits++) {
        uint64_t mask = (1ULL << bits) - 1;
        for (size_t i = 0; i < o->n; i++) {
            span *x = &o->e[i];
            uint64_t lo = x->lo & ~mask, hi = x->hi > UINT64_MAX - mask ? UINT64_MAX : (x->hi + mask) & ~mask;
            x->lo = lo > x->mlo ? lo : x->mlo;
            x->hi = hi < x->mhi ? hi : x->mhi;
        }
        merge(o);
    }
}

/* The page keys of RAM pages: the one mapping each has (a RAM range, or a user page). */
static void ram_mappings(vp_t *s, const touch *t, size_t n, spans *o)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t at;
        if (t[i].key & IO_KEY || !map_get(&s->owner, t[i].key, &at) || at == 0) continue;
        if (at & 1) { /* a user page: user memory is one mapping */
            at &= ~1ULL;
            if (at >= USER_VIEW_WINDOW_MIN)
                push(o, at + t[i].lo, at + t[i].hi, USER_VIEW_WINDOW_MIN, USER_VIEW_WINDOW_MAX);
            else
                push(o, at + t[i].lo, at + t[i].hi, USER_VA_MIN, USER_VA_MAX);
            continue;
        }
        const range *r = range_find(s, at, 1);
        if (!r) continue; /* cannot happen: owners are cleared with their range */
        uint64_t end = r->va + r->length, lo = at + t[i].lo, hi = at + t[i].hi;
        push(o, lo, hi < end ? hi : end, r->va, end);
    }
}

/* Every view whose bus range covers a written page: t is sorted by key. */
static void view_mappings(vp_t *s, const touch *t, size_t n, spans *o)
{
    for (size_t v = 0; v < s->views.n; v++) {
        const view *w = vec_at(&s->views, v);
        uint64_t space = w->io ? IO_KEY : 0, first = space | w->bus >> 12;
        uint64_t last = space | (w->bus + w->length - 1) >> 12, off = w->bus & 0xfff;
        size_t lo = 0, hi = n;
        while (lo < hi) { /* the first written page at or after the view's first */
            size_t mid = lo + (hi - lo) / 2;
            if (t[mid].key < first) lo = mid + 1;
            else hi = mid;
        }
        for (size_t i = lo; i < n && t[i].key <= last; i++) {
            /* Byte offset in the view of the page's start; the first page starts before it. */
            uint64_t page = (t[i].key - first) * PAGE;
            uint64_t from = page + t[i].lo > off ? page + t[i].lo - off : 0;
            uint64_t to = page + t[i].hi > off ? page + t[i].hi - off : 0;
            if (to > w->length) to = w->length;
            push(o, w->va + from, w->va + to, w->va, w->va + w->length);
        }
    }
}

void vp_touched(vp_t *s, mp_w *w)
{
    mpw_map(w, 1), mpw_str(w, "ranges");
    vp_touched_list(s, w);
}

void vp_touched_list(vp_t *s, mp_w *w)
{
    touch_set *t = &s->touched;
    spans o = {NULL, 0, 0};
    if (t->n) {
        qsort(t->e, t->n, sizeof *t->e, by_key);
        ram_mappings(s, t->e, t->n, &o);
        view_mappings(s, t->e, t->n, &o);
        merge(&o);
        coarsen(&o);
    }
    touched_reset(s);
    size_t count = 0, at;
    at = mpw_arr_open(w);
    for (size_t i = 0; i < o.n; i++) {
        for (uint64_t lo = o.e[i].lo; lo < o.e[i].hi; count++) {
            uint64_t n = o.e[i].hi - lo < PIECE ? o.e[i].hi - lo : PIECE;
            mpw_arr(w, 2), mpw_uint(w, lo), mpw_uint(w, n);
            lo += n;
        }
    }
    mpw_patch(w, at, (uint32_t)count);
    free(o.e);
}
