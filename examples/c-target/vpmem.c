/* Memory: sparse 4 KiB pages (a hash map), physical RAM pages (a bitmap), live CPU ranges
 * (a vector sorted by address) and demand-zero user memory. */
#include <stdlib.h>
#include <string.h>

#include "vp.h"

#define RAM_FIRST_PAGE 0x100 /* the low megabyte is firmware's */

/* ---- sorted vectors ----------------------------------------------------------------------- */
void vec_init(vec *v, size_t size)
{
    free(v->data);
    memset(v, 0, sizeof *v);
    v->size = size;
}

void *vec_at(const vec *v, size_t i) { return v->data + i * v->size; }

static uint64_t key_of(const vec *v, size_t i)
{
    uint64_t k;
    memcpy(&k, vec_at(v, i), sizeof k);
    return k;
}

size_t vec_lower(const vec *v, uint64_t key)
{
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (key_of(v, mid) < key) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

void *vec_find(const vec *v, uint64_t key)
{
    size_t i = vec_lower(v, key);
    return i < v->n && key_of(v, i) == key ? vec_at(v, i) : NULL;
}

void *vec_insert(vec *v, uint64_t key)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        char *d = realloc(v->data, cap * v->size);
        if (!d) exit(1);
        v->data = d;
        v->cap = cap;
    }
    size_t i = vec_lower(v, key);
    memmove(vec_at(v, i + 1), vec_at(v, i), (v->n - i) * v->size);
    v->n++;
    void *e = vec_at(v, i);
    memset(e, 0, v->size);
    memcpy(e, &key, sizeof key);
    return e;
}

void vec_remove(vec *v, const void *e)
{
    size_t i = (size_t)((const char *)e - v->data) / v->size;
    memmove(vec_at(v, i), vec_at(v, i + 1), (v->n - i - 1) * v->size);
    v->n--;
}

/* ---- uint64 hash map ---------------------------------------------------------------------- */
static size_t slot(const u64map *m, uint64_t key)
{
    size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 20) & (m->cap - 1);
    while (m->keys[i] != UINT64_MAX && m->keys[i] != key) i = (i + 1) & (m->cap - 1);
    return i;
}

int map_get(const u64map *m, uint64_t key, uint64_t *val)
{
    if (!m->cap) return 0;
    size_t i = slot(m, key);
    if (m->keys[i] != key) return 0;
    *val = m->vals[i];
    return 1;
}

void map_put(u64map *m, uint64_t key, uint64_t val)
{
    if (2 * (m->used + 1) > m->cap) {
        u64map g = {NULL, NULL, m->cap ? m->cap * 2 : 1024, 0};
        g.keys = malloc(g.cap * sizeof *g.keys);
        g.vals = malloc(g.cap * sizeof *g.vals);
        if (!g.keys || !g.vals) exit(1);
        memset(g.keys, 0xff, g.cap * sizeof *g.keys);
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i] != UINT64_MAX) map_put(&g, m->keys[i], m->vals[i]);
        free(m->keys);
        free(m->vals);
        *m = g;
    }
    size_t i = slot(m, key);
    if (m->keys[i] == UINT64_MAX) m->used++;
    m->keys[i] = key;
    m->vals[i] = val;
}

void map_free(u64map *m, int free_vals)
{
    for (size_t i = 0; free_vals && i < m->cap; i++)
        if (m->keys[i] != UINT64_MAX) free((void *)(uintptr_t)m->vals[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* ---- pages: key_write and page_clear are the only ways bytes change, so they record what
 * they change for the touched operation (vptouched.c). ----------------------------------- */
static uint8_t *page(vp_t *s, uint64_t key)
{
    uint64_t p;
    return map_get(&s->pages, key, &p) ? (uint8_t *)(uintptr_t)p : NULL;
}

void key_read(vp_t *s, uint64_t key, uint32_t off, uint32_t len, uint8_t *dst)
{
    const uint8_t *p = page(s, key);
    if (p) memcpy(dst, p + off, len);
    else memset(dst, 0, len);
}

void key_write(vp_t *s, uint64_t key, uint32_t off, const uint8_t *src, uint32_t len)
{
    uint8_t *p = page(s, key);
    if (!p) {
        uint32_t i = 0;
        while (i < len && src[i] == 0) i++;
        if (i == len) return; /* zeros into an absent page change nothing */
        if (!(p = calloc(1, PAGE))) exit(1);
        map_put(&s->pages, key, (uint64_t)(uintptr_t)p);
    }
    memcpy(p + off, src, len);
    touched_mark(s, key, off, off + len);
}

void page_clear(vp_t *s, uint64_t key)
{
    uint8_t *p = page(s, key);
    if (!p) return; /* absent pages read as zero already */
    memset(p, 0, PAGE);
    touched_mark(s, key, 0, PAGE);
}

/* ---- physical RAM pages: the model's policy, mirrored. Contiguous runs come from the top (the
 * highest fit under the ceiling), single pages from the bottom, handed out in descending order
 * within one allocation (a buffer's pages are not physically consecutive: one scatter/gather
 * element per page, as in the model). The free sets stay mirror images of the model's, so both
 * run out of memory on the same calls, while every physical and logical address differs. ---- */
/* Not instrumented for coverage (vpcov.c): vp_mem_reset calls it for every RAM page. */
__attribute__((no_sanitize_coverage)) static void set_free(vp_t *s, uint64_t p, int f)
{
    if (f) s->free_bits[p >> 6] |= 1ULL << (p & 63);
    else s->free_bits[p >> 6] &= ~(1ULL << (p & 63));
    s->nfree += f ? 1 : (uint64_t)-1;
    if (f && (p >> 6) < s->low_word) s->low_word = p >> 6;
}

/* The highest page at or below p whose free bit equals want; UINT64_MAX if none. */
static uint64_t prev_with(const vp_t *s, uint64_t p, int want)
{
    for (;;) {
        uint64_t w = s->free_bits[p >> 6];
        if (!want) w = ~w;
        if ((p & 63) != 63) w &= (2ULL << (p & 63)) - 1;
        if (w) return (p & ~63ULL) + 63 - (uint64_t)__builtin_clzll(w);
        if (p < 64) return UINT64_MAX;
        p = (p & ~63ULL) - 1;
    }
}

int64_t phys_contig(vp_t *s, uint64_t n, uint64_t highest)
{
    uint64_t ceiling = highest == UINT64_MAX ? UINT64_MAX : (highest + 1) >> 12;
    for (uint64_t end = ceiling < s->ram_pages ? ceiling : s->ram_pages; end > 0;) {
        uint64_t top = prev_with(s, end - 1, 1), below;
        if (top == UINT64_MAX) return -1;
        below = prev_with(s, top, 0); /* the free run is (below, top] */
        if (top - (below == UINT64_MAX ? 0 : below + 1) + 1 >= n) {
            for (uint64_t i = 0; i < n; i++) set_free(s, top - i, 0);
            return (int64_t)(top + 1 - n);
        }
        end = below == UINT64_MAX ? 0 : below + 1;
    }
    return -1;
}

int phys_scatter(vp_t *s, uint64_t n, uint64_t *out)
{
    if (s->nfree < n) return -1;
    for (uint64_t k = 0; k < n; k++) {
        while (s->free_bits[s->low_word] == 0) s->low_word++;
        uint64_t p = s->low_word * 64 + (uint64_t)__builtin_ctzll(s->free_bits[s->low_word]);
        set_free(s, p, 0);
        out[n - 1 - k] = p;
    }
    return 0;
}

/* Not instrumented for coverage (vpcov.c): it runs at hello, where coverage is off, and its
 * loop over every RAM page cost a call of the recorder per page (218 us a hello, not 40). */
__attribute__((no_sanitize_coverage)) int vp_mem_reset(vp_t *s)
{
    map_free(&s->pages, 1);
    map_free(&s->user, 0);
    map_free(&s->owner, 0);
    touched_free(s);
    for (size_t i = 0; i < s->ranges.n; i++) free(((range *)vec_at(&s->ranges, i))->pages);
    vec_init(&s->ranges, sizeof(range));
    free(s->free_bits);
    s->ram_pages = s->dev.memory_bytes / PAGE;
    s->nfree = 0;
    s->low_word = UINT64_MAX;
    s->free_bits = calloc((size_t)(s->ram_pages + 63) / 64 + 1, sizeof *s->free_bits);
    if (!s->free_bits) return -1;
    for (uint64_t p = RAM_FIRST_PAGE; p < s->ram_pages; p++) set_free(s, p, 1);
    return 0;
}

/* ---- CPU ranges --------------------------------------------------------------------------- */
uint64_t va_take(uint64_t *next, uint64_t bytes)
{
    uint64_t va = *next;
    *next += ((bytes ? bytes : 1) + PAGE - 1) / PAGE * PAGE + GUARD_BYTES;
    return va;
}

range *range_add(vp_t *s, const range *r)
{
    for (uint32_t i = 0; i < r->npages; i++) {
        page_clear(s, r->pages[i]);
        map_put(&s->owner, r->pages[i], r->va + (uint64_t)i * PAGE); /* RAM ranges: page-aligned */
    }
    range *n = vec_insert(&s->ranges, r->va);
    *n = *r;
    return n;
}

void range_remove(vp_t *s, uint64_t va)
{
    range *r = vec_find(&s->ranges, va);
    if (!r) return;
    for (uint32_t i = 0; i < r->npages; i++) {
        set_free(s, r->pages[i], 1);
        map_put(&s->owner, r->pages[i], 0);
    }
    free(r->pages);
    vec_remove(&s->ranges, r);
}

/* The live range holding all of [va, va + len). Ranges never overlap. */
range *range_find(vp_t *s, uint64_t va, uint64_t len)
{
    size_t i = vec_lower(&s->ranges, va == UINT64_MAX ? va : va + 1);
    if (i == 0) return NULL;
    range *r = vec_at(&s->ranges, i - 1);
    if (va < r->va || va - r->va > r->length || len > r->length - (va - r->va)) return NULL;
    return r;
}

/* Page key and in-page offset of byte `off` of a range. */
static uint64_t locate(const range *r, uint64_t off, uint32_t *in_page)
{
    if (r->linear) {
        uint64_t a = r->bus + off;
        *in_page = (uint32_t)(a & 0xfff);
        return r->io ? IO_KEY | a >> 12 : a >> 12;
    }
    uint64_t at = (r->va & 0xfff) + off;
    *in_page = (uint32_t)(at % PAGE);
    return r->pages[at / PAGE];
}

/* Copies between a range and dst (reading) or src (writing): exactly one is non-NULL. */
static void range_io(vp_t *s, const range *r, uint64_t off, uint8_t *dst, const uint8_t *src,
                     uint64_t len)
{
    for (uint64_t done = 0; done < len;) {
        uint32_t in_page;
        uint64_t key = locate(r, off + done, &in_page);
        uint32_t n = (uint32_t)(len - done < PAGE - in_page ? len - done : PAGE - in_page);
        if (src) key_write(s, key, in_page, src + done, n);
        else key_read(s, key, in_page, n, dst + done);
        done += n;
    }
}

static int user_va(uint64_t va, uint64_t len)
{
    if (va >= USER_VIEW_WINDOW_MIN)
        return va <= USER_VIEW_WINDOW_MAX && len <= USER_VIEW_WINDOW_MAX - va;
    return va >= USER_VA_MIN && va <= USER_VA_MAX && len <= USER_VA_MAX - va;
}

/* The RAM page behind a user page, allocating (all-or-nothing was checked) when asked. */
static int user_page(vp_t *s, uint64_t upage, int allocate, uint64_t *key)
{
    if (map_get(&s->user, upage, key)) return 1;
    if (!allocate || phys_scatter(s, 1, key)) return 0;
    page_clear(s, *key);
    map_put(&s->user, upage, *key);
    map_put(&s->owner, *key, upage << 12 | 1);
    return 1;
}

static int user_fits(vp_t *s, uint64_t va, uint64_t len)
{
    uint64_t missing = 0, k;
    if (!len) return 1;
    for (uint64_t p = va >> 12; p <= (va + len - 1) >> 12; p++)
        if (!map_get(&s->user, p, &k) && ++missing > s->nfree) return 0;
    return 1;
}

static int user_io(vp_t *s, uint64_t va, uint8_t *dst, const uint8_t *src, uint64_t len)
{
    if (!user_va(va, len) || (src && !user_fits(s, va, len))) return -1;
    for (uint64_t done = 0; done < len;) {
        uint64_t a = va + done, key;
        uint32_t in_page = (uint32_t)(a & 0xfff);
        uint32_t n = (uint32_t)(len - done < PAGE - in_page ? len - done : PAGE - in_page);
        if (user_page(s, a >> 12, src != NULL, &key)) {
            if (src) key_write(s, key, in_page, src + done, n);
            else key_read(s, key, in_page, n, dst + done);
        } else if (src) return -1;
        else memset(dst + done, 0, n);
        done += n;
    }
    return 0;
}

/* Whether mem_read of [va, va + len) would find memory there (a view, a buffer, user space). */
int mem_readable(vp_t *s, uint64_t va, uint64_t len)
{
    return range_find(s, va, len) != NULL || user_va(va, len);
}

int mem_read(vp_t *s, uint64_t va, uint64_t len, uint8_t *dst)
{
    range *r = range_find(s, va, len);
    if (r) range_io(s, r, va - r->va, dst, NULL, len);
    return r ? 0 : user_io(s, va, dst, NULL, len);
}

int mem_write(vp_t *s, uint64_t va, const uint8_t *src, uint64_t len)
{
    range *r = range_find(s, va, len);
    if (r) range_io(s, r, va - r->va, NULL, src, len);
    return r ? 0 : user_io(s, va, NULL, src, len);
}

/* Page keys of every page [va, va + len) spans, making user pages resident; NULL if invalid. */
uint64_t *mem_pin(vp_t *s, uint64_t va, uint64_t len, uint32_t *n)
{
    range *r = range_find(s, va, len);
    if (!r && (!user_va(va, len) || !user_fits(s, va, len))) return NULL;
    uint64_t first = r ? ((r->va & 0xfff) + (va - r->va)) / PAGE : va >> 12;
    uint64_t last = r ? ((r->va & 0xfff) + (va - r->va) + len - 1) / PAGE : (va + len - 1) >> 12;
    uint64_t *keys = malloc((size_t)(last - first + 1) * sizeof *keys);
    if (!keys) exit(1);
    for (uint64_t i = first; i <= last; i++) {
        uint64_t *k = &keys[i - first];
        /* As the model does, a view's pages are keyed in memory space even for I/O. */
        if (!r) user_page(s, i, 1, k);
        else *k = r->linear ? (r->bus >> 12) + i : r->pages[i];
    }
    *n = (uint32_t)(last - first + 1);
    return keys;
}
