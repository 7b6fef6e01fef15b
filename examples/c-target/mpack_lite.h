/* A minimal MessagePack decoder (into a node tree) and encoder, with bounds checks everywhere:
 * input is untrusted, so every length is checked against the bytes that remain. */
#ifndef MPACK_LITE_H
#define MPACK_LITE_H

#include <stddef.h>
#include <stdint.h>

enum mp_type { MP_NIL, MP_BOOL, MP_INT, MP_FLOAT, MP_STR, MP_BIN, MP_ARR, MP_MAP };

#define MP_NONE UINT32_MAX

typedef struct {
    uint8_t type;
    uint8_t neg;    /* MP_INT: the value is negative (u holds its two's complement) */
    uint32_t n;     /* str/bin: bytes; arr: elements; map: pairs */
    uint32_t first; /* arr/map: first child (a map's children alternate key, value) */
    uint32_t next;  /* next sibling */
    union {
        uint64_t u; /* MP_INT, MP_BOOL */
        double f;   /* MP_FLOAT */
        const uint8_t *p; /* MP_STR, MP_BIN: points into the parsed buffer */
    } v;
} mp_node;

typedef struct {
    mp_node *nodes;
    uint32_t count, cap;
    char err[96];
} mp_doc;

/* Parses exactly one value filling buf; 0 on success, -1 (and doc->err) on malformed input. */
int mp_parse(mp_doc *doc, const uint8_t *buf, size_t len);
void mp_doc_free(mp_doc *doc);

static inline const mp_node *mp_root(const mp_doc *d) { return d->count ? &d->nodes[0] : NULL; }
const mp_node *mp_child(const mp_doc *d, const mp_node *n);
const mp_node *mp_next(const mp_doc *d, const mp_node *n);
/* The value under a string key of a map; NULL if absent or n is not a map. */
const mp_node *mp_get(const mp_doc *d, const mp_node *map, const char *key);
int mp_is_str(const mp_node *n, const char *s);
/* Integer (or integral float) as a 64-bit pattern; 0 if n is not one. */
int mp_int(const mp_node *n, uint64_t *out);

/* Encoder into a growable buffer. Allocation failure is fatal (the process exits 1). */
typedef struct {
    uint8_t *b;
    size_t n, cap;
} mp_w;

void mpw_reserve(mp_w *w, size_t extra);
void mpw_raw(mp_w *w, const void *p, size_t len);
void mpw_nil(mp_w *w);
void mpw_bool(mp_w *w, int v);
void mpw_uint(mp_w *w, uint64_t v);
void mpw_str(mp_w *w, const char *s);
void mpw_bin(mp_w *w, const uint8_t *p, size_t len);
/* A bin header plus len reserved bytes, returned for the caller to fill. */
uint8_t *mpw_bin_open(mp_w *w, size_t len);
void mpw_map(mp_w *w, uint32_t pairs);
void mpw_arr(mp_w *w, uint32_t elements);
/* A 32-bit-count container whose count is patched in later (mpw_patch). */
size_t mpw_map_open(mp_w *w);
size_t mpw_arr_open(mp_w *w);
void mpw_patch(mp_w *w, size_t at, uint32_t count);

#endif
