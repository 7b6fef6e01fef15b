#include "mpack_lite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DEPTH_MAX = 32 };

typedef struct {
    const uint8_t *start, *p, *end;
    mp_doc *doc;
} cursor;

static int fail(cursor *c, const char *why)
{
    snprintf(c->doc->err, sizeof c->doc->err, "%s at byte %zu", why, (size_t)(c->p - c->start));
    return -1;
}

static uint64_t be(const uint8_t *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) v = v << 8 | p[i];
    return v;
}

/* Takes `bytes` bytes of big-endian integer; -1 if they are not there. */
static int take(cursor *c, int bytes, uint64_t *v)
{
    if (c->end - c->p < bytes) return -1;
    *v = be(c->p, bytes);
    c->p += bytes;
    return 0;
}

static uint32_t new_node(cursor *c, uint8_t type)
{
    mp_doc *d = c->doc;
    if (d->count == d->cap) {
        uint32_t cap = d->cap ? d->cap * 2 : 64;
        mp_node *n = realloc(d->nodes, (size_t)cap * sizeof *n);
        if (!n) exit(1);
        d->nodes = n;
        d->cap = cap;
    }
    mp_node *n = &d->nodes[d->count];
    memset(n, 0, sizeof *n);
    n->type = type;
    n->first = n->next = MP_NONE;
    return d->count++;
}

static int parse(cursor *c, int depth, uint32_t *out);

static int children(cursor *c, int depth, uint32_t idx, uint64_t count)
{
    /* Every element takes at least one byte: a count beyond the input is malformed. */
    if (count > (uint64_t)(c->end - c->p)) return fail(c, "container longer than the input");
    uint32_t prev = MP_NONE;
    for (uint64_t i = 0; i < count; i++) {
        uint32_t child;
        if (parse(c, depth + 1, &child)) return -1;
        if (prev == MP_NONE) c->doc->nodes[idx].first = child;
        else c->doc->nodes[prev].next = child;
        prev = child;
    }
    return 0;
}

static int sized(cursor *c, uint32_t idx, uint64_t len)
{
    if (len > (uint64_t)(c->end - c->p)) return fail(c, "string or bin longer than the input");
    c->doc->nodes[idx].n = (uint32_t)len;
    c->doc->nodes[idx].v.p = c->p;
    c->p += len;
    return 0;
}

static int parse(cursor *c, int depth, uint32_t *out)
{
    if (depth > DEPTH_MAX) return fail(c, "nesting too deep");
    if (c->p >= c->end) return fail(c, "truncated value");
    uint8_t t = *c->p++;
    uint64_t v = 0;
    uint32_t idx;
    if (t <= 0x7f || t >= 0xe0) { /* positive / negative fixint */
        idx = *out = new_node(c, MP_INT);
        c->doc->nodes[idx].v.u = t <= 0x7f ? t : (uint64_t)(int64_t)(int8_t)t;
        c->doc->nodes[idx].neg = t >= 0xe0;
        return 0;
    }
    if ((t & 0xf0) == 0x80 || (t & 0xf0) == 0x90 || t == 0xdc || t == 0xdd || t == 0xde ||
        t == 0xdf) {
        int map = (t & 0xf0) == 0x80 || t == 0xde || t == 0xdf;
        if ((t & 0xe0) == 0x80) v = t & 0x0f;
        else if (take(c, (t == 0xdc || t == 0xde) ? 2 : 4, &v)) return fail(c, "truncated count");
        idx = *out = new_node(c, map ? MP_MAP : MP_ARR);
        if (v > UINT32_MAX / 2) return fail(c, "container too large");
        c->doc->nodes[idx].n = (uint32_t)v;
        return children(c, depth, idx, map ? v * 2 : v);
    }
    if ((t & 0xe0) == 0xa0 || t == 0xd9 || t == 0xda || t == 0xdb) {
        if ((t & 0xe0) == 0xa0) v = t & 0x1f;
        else if (take(c, t == 0xd9 ? 1 : t == 0xda ? 2 : 4, &v)) return fail(c, "truncated str");
        idx = *out = new_node(c, MP_STR);
        return sized(c, idx, v);
    }
    switch (t) {
    case 0xc0: *out = new_node(c, MP_NIL); return 0;
    case 0xc2: case 0xc3:
        idx = *out = new_node(c, MP_BOOL);
        c->doc->nodes[idx].v.u = t == 0xc3;
        return 0;
    case 0xc4: case 0xc5: case 0xc6:
        if (take(c, t == 0xc4 ? 1 : t == 0xc5 ? 2 : 4, &v)) return fail(c, "truncated bin");
        idx = *out = new_node(c, MP_BIN);
        return sized(c, idx, v);
    case 0xca: case 0xcb: {
        if (take(c, t == 0xca ? 4 : 8, &v)) return fail(c, "truncated float");
        idx = *out = new_node(c, MP_FLOAT);
        if (t == 0xca) {
            uint32_t b = (uint32_t)v;
            float f;
            memcpy(&f, &b, 4);
            c->doc->nodes[idx].v.f = f;
        } else memcpy(&c->doc->nodes[idx].v.f, &v, 8);
        return 0;
    }
    case 0xcc: case 0xcd: case 0xce: case 0xcf:
        if (take(c, 1 << (t - 0xcc), &v)) return fail(c, "truncated uint");
        idx = *out = new_node(c, MP_INT);
        c->doc->nodes[idx].v.u = v;
        return 0;
    case 0xd0: case 0xd1: case 0xd2: case 0xd3: {
        int bytes = 1 << (t - 0xd0);
        if (take(c, bytes, &v)) return fail(c, "truncated int");
        if (bytes < 8 && (v >> (bytes * 8 - 1)) & 1) v |= ~0ULL << (bytes * 8); /* sign-extend */
        idx = *out = new_node(c, MP_INT);
        c->doc->nodes[idx].v.u = v;
        c->doc->nodes[idx].neg = (int64_t)v < 0;
        return 0;
    }
    default: return fail(c, "unsupported type byte (ext or reserved)");
    }
}

int mp_parse(mp_doc *doc, const uint8_t *buf, size_t len)
{
    cursor c = {buf, buf, buf + len, doc};
    uint32_t root;
    doc->count = 0;
    doc->err[0] = 0;
    if (parse(&c, 0, &root)) return -1;
    if (c.p != c.end) return fail(&c, "trailing bytes after the value");
    return 0;
}

void mp_doc_free(mp_doc *doc)
{
    free(doc->nodes);
    memset(doc, 0, sizeof *doc);
}

const mp_node *mp_child(const mp_doc *d, const mp_node *n)
{
    return n && n->first != MP_NONE ? &d->nodes[n->first] : NULL;
}

const mp_node *mp_next(const mp_doc *d, const mp_node *n)
{
    return n && n->next != MP_NONE ? &d->nodes[n->next] : NULL;
}

int mp_is_str(const mp_node *n, const char *s)
{
    size_t len = strlen(s);
    return n && n->type == MP_STR && n->n == len && memcmp(n->v.p, s, len) == 0;
}

const mp_node *mp_get(const mp_doc *d, const mp_node *map, const char *key)
{
    if (!map || map->type != MP_MAP) return NULL;
    for (const mp_node *k = mp_child(d, map); k; k = mp_next(d, mp_next(d, k)))
        if (mp_is_str(k, key)) return mp_next(d, k);
    return NULL;
}

int mp_int(const mp_node *n, uint64_t *out)
{
    if (!n) return 0;
    if (n->type == MP_INT) {
        *out = n->v.u;
        return 1;
    }
    /* msgpackr sends integers above 2^32 that are JS numbers as float64. */
    if (n->type == MP_FLOAT) {
        double f = n->v.f;
        if (f != f || f < -9223372036854775808.0 || f >= 18446744073709551616.0) return 0;
        if (f < 0) {
            if ((double)(int64_t)f != f) return 0;
            *out = (uint64_t)(int64_t)f;
        } else {
            if ((double)(uint64_t)f != f) return 0;
            *out = (uint64_t)f;
        }
        return 1;
    }
    return 0;
}

void mpw_reserve(mp_w *w, size_t extra)
{
    if (w->cap - w->n >= extra) return;
    size_t cap = w->cap ? w->cap : 256;
    while (cap - w->n < extra) {
        if (cap > SIZE_MAX / 2) exit(1);
        cap *= 2;
    }
    uint8_t *b = realloc(w->b, cap);
    if (!b) exit(1);
    w->b = b;
    w->cap = cap;
}

void mpw_raw(mp_w *w, const void *p, size_t len)
{
    mpw_reserve(w, len);
    if (len) memcpy(w->b + w->n, p, len);
    w->n += len;
}

static void put_be(mp_w *w, uint8_t tag, uint64_t v, int bytes)
{
    uint8_t b[9];
    b[0] = tag;
    for (int i = 0; i < bytes; i++) b[1 + i] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
    mpw_raw(w, b, (size_t)bytes + 1);
}

void mpw_nil(mp_w *w) { mpw_raw(w, "\xc0", 1); }
void mpw_bool(mp_w *w, int v) { mpw_raw(w, v ? "\xc3" : "\xc2", 1); }

void mpw_uint(mp_w *w, uint64_t v)
{
    if (v <= 0x7f) {
        uint8_t b = (uint8_t)v;
        mpw_raw(w, &b, 1);
    } else if (v <= 0xff) put_be(w, 0xcc, v, 1);
    else if (v <= 0xffff) put_be(w, 0xcd, v, 2);
    else if (v <= 0xffffffff) put_be(w, 0xce, v, 4);
    else put_be(w, 0xcf, v, 8);
}

void mpw_str(mp_w *w, const char *s)
{
    size_t len = strlen(s);
    if (len < 32) {
        uint8_t b = (uint8_t)(0xa0 | len);
        mpw_raw(w, &b, 1);
    } else if (len <= 0xff) put_be(w, 0xd9, len, 1);
    else if (len <= 0xffff) put_be(w, 0xda, len, 2);
    else put_be(w, 0xdb, len, 4);
    mpw_raw(w, s, len);
}

void mpw_bin(mp_w *w, const uint8_t *p, size_t len)
{
    uint8_t *at = mpw_bin_open(w, len);
    if (len) memcpy(at, p, len);
}

uint8_t *mpw_bin_open(mp_w *w, size_t len)
{
    if (len <= 0xff) put_be(w, 0xc4, len, 1);
    else if (len <= 0xffff) put_be(w, 0xc5, len, 2);
    else put_be(w, 0xc6, len, 4);
    mpw_reserve(w, len);
    w->n += len;
    return w->b + w->n - len;
}

void mpw_map(mp_w *w, uint32_t pairs)
{
    if (pairs < 16) {
        uint8_t b = (uint8_t)(0x80 | pairs);
        mpw_raw(w, &b, 1);
    } else if (pairs <= 0xffff) put_be(w, 0xde, pairs, 2);
    else put_be(w, 0xdf, pairs, 4);
}

void mpw_arr(mp_w *w, uint32_t elements)
{
    if (elements < 16) {
        uint8_t b = (uint8_t)(0x90 | elements);
        mpw_raw(w, &b, 1);
    } else if (elements <= 0xffff) put_be(w, 0xdc, elements, 2);
    else put_be(w, 0xdd, elements, 4);
}

size_t mpw_map_open(mp_w *w)
{
    put_be(w, 0xdf, 0, 4);
    return w->n - 4;
}

size_t mpw_arr_open(mp_w *w)
{
    put_be(w, 0xdd, 0, 4);
    return w->n - 4;
}

void mpw_patch(mp_w *w, size_t at, uint32_t count)
{
    for (int i = 0; i < 4; i++) w->b[at + i] = (uint8_t)(count >> (8 * (3 - i)));
}
