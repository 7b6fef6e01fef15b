/* The simulated adapter behind the process target: device, memory and live objects.
 * Semantics follow vpdma's docs profile; the address layout is this target's own. */
#ifndef VP_H
#define VP_H

#include <stddef.h>
#include <stdint.h>

#include "mpack_lite.h"

#define PAGE 4096u
#define IO_KEY (1ULL << 62) /* page keys: memory page number, or IO_KEY | port page */
#define OBJECTS_MAX 4096    /* live objects of one kind (the model's limit) */
#define ALLOC_MAX (1ULL << 30)
#define APERTURES_MAX 64
#define CURRENT_PROCESS UINT64_MAX /* NtCurrentProcess() */

/* This target's address layout: deliberately unlike the model's. */
#define HANDLE_BASE 0xffff800000000000ULL
#define HANDLE_STRIDE 0x40ULL
#define KERNEL_VA_BASE 0xffffb80000000000ULL
#define VIEW_VA_BASE 0xffffd80000000000ULL
#define USER_VIEW_VA_BASE 0x0000a00000000000ULL
#define MAP_WINDOW_BASE 0x90000000ULL
#define GUARD_BYTES 0x4000ULL
#define USER_VA_MIN 0x10000ULL /* the current process's demand-zero user memory */
#define USER_VA_MAX 0x7fffffff0000ULL
/* User views live past x64 user space (no capture's user address can hit one); the window is
 * the process's demand-zero memory too, as user space around a view was (the model's too). */
#define USER_VIEW_WINDOW_MIN 0x0000800000000000ULL
#define USER_VIEW_WINDOW_MAX 0x0000fffffffff000ULL
#define TOUCHED_MAX 65536u /* ranges one touched answer may list (vpdma's limit) */

/* A sorted vector of fixed-size elements whose first member is a uint64_t key. */
typedef struct {
    char *data;
    size_t n, cap, size;
} vec;

void vec_init(vec *v, size_t size);
void *vec_at(const vec *v, size_t i);
size_t vec_lower(const vec *v, uint64_t key); /* first index with key >= key */
void *vec_find(const vec *v, uint64_t key);
void *vec_insert(vec *v, uint64_t key); /* zeroed, key set; pointers into v go stale */
void vec_remove(vec *v, const void *e);

/* uint64 -> uint64 hash map (no deletion; UINT64_MAX is the empty key). */
typedef struct {
    uint64_t *keys, *vals;
    size_t cap, used;
} u64map;

int map_get(const u64map *m, uint64_t key, uint64_t *val);
void map_put(u64map *m, uint64_t key, uint64_t val);
void map_free(u64map *m, int free_vals);

/* Bytes written since the last touched request, per page key: [lo, hi) of the page. */
typedef struct {
    uint64_t key;
    uint32_t lo, hi;
} touch;

typedef struct {
    u64map at; /* page key -> index into e */
    touch *e;
    size_t n, cap;
} touch_set;

enum range_kind { R_COMMON, R_CONTIG, R_POOL, R_BUFFER, R_LOCKEDLIST, R_VIEW, R_USERVIEW };

typedef struct {
    uint64_t va, length;
    int kind;
    int linear, io; /* linear: bytes live at bus address `bus` (a view) */
    uint64_t bus;
    uint64_t *pages; /* otherwise: the RAM pages, in virtual order (owned) */
    uint32_t npages;
} range;

typedef struct {
    uint64_t base, length;
    int io;
} aperture;

typedef struct {
    aperture ap[APERTURES_MAX];
    int nap;
    uint64_t memory_bytes;
    int sg, dma32, dma64;
    uint32_t maxlen, regs;
} device;

typedef struct {
    uint64_t handle;
    int sg, dma64;
    uint32_t maxlen, regs, used;
    uint64_t window;
} adapter;

typedef struct {
    uint64_t va, logical, adapter;
    uint32_t length;
    int cache, from_get;
} cbuf;

typedef struct {
    uint64_t handle, va;
    uint32_t length, op, inflight, nkeys;
    uint64_t *keys; /* page key of every page the buffer spans (owned) */
} mdl;

typedef struct {
    uint64_t address;
    uint32_t length;
} sgel;

typedef struct {
    uint64_t sglist, adapter, mdl, context;
    uint64_t seq; /* arrival order: the oldest pending list is delivered first */
    uint32_t offset, length, regs, first, nel;
    int to_device, delivered;
    sgel *el; /* owned */
} xfer;

typedef struct {
    uint64_t va, bus, process;
    uint32_t length;
    int io;
} view;

typedef struct {
    uint64_t handle;
    int notification, signaled;
} event;

typedef struct {
    uint64_t va, length;
    int kind; /* enum range_kind */
} block;

typedef struct {
    device dev;
    u64map pages;   /* page key -> (uintptr_t) 4 KiB of bytes; absent pages read as zero */
    u64map user;    /* user page number -> RAM page (demand-zero user memory) */
    uint64_t *free_bits; /* physical RAM pages, 1 = free */
    uint64_t ram_pages, nfree, low_word;
    vec ranges, adapters, cbufs, mdls, xfers, views, events, blocks;
    uint64_t next_handle, next_kva, next_view, next_uview, windows;
    uint64_t next_xfer_seq; /* xfer.seq of the next transfer started */
    /* RAM page -> the CPU address that maps it: a RAM range's page (page-aligned), or a user
     * page (its address | 1); 0 once freed. A RAM page has at most one such mapping; views
     * of the aperture are found by bus address instead. */
    u64map owner;
    touch_set touched;
    int tracking;  /* the touched feature is on: record writes */
    int untracked; /* test switch: the write under way is left out of touched */
    int fault_mapdma_nonnull, fault_corrupt_mapdma, fault_corrupt_silently, fault_mapdma_run;
    /* fault_mapdma_run: this trace's run of VideoPortMapDmaMemory calls with one VirtualAddress
     * and Length (other calls between them do not break it); reset by vp_reset. */
    uint64_t run_va;
    uint32_t run_len, run_n;
} vp_t;

/* vpmem.c: pages, the physical allocator, CPU ranges and accesses by virtual address. */
int vp_mem_reset(vp_t *s); /* after s->dev is set; -1 if memory cannot be had */
int64_t phys_contig(vp_t *s, uint64_t n, uint64_t highest);
int phys_scatter(vp_t *s, uint64_t n, uint64_t *out);
void page_clear(vp_t *s, uint64_t key);
range *range_add(vp_t *s, const range *r); /* zeroes its RAM pages; takes r->pages */
void range_remove(vp_t *s, uint64_t va);  /* gives its RAM pages back */
range *range_find(vp_t *s, uint64_t va, uint64_t len);
int mem_readable(vp_t *s, uint64_t va, uint64_t len);
int mem_read(vp_t *s, uint64_t va, uint64_t len, uint8_t *dst);
int mem_write(vp_t *s, uint64_t va, const uint8_t *src, uint64_t len);
void key_read(vp_t *s, uint64_t key, uint32_t off, uint32_t len, uint8_t *dst);
void key_write(vp_t *s, uint64_t key, uint32_t off, const uint8_t *src, uint32_t len);
uint64_t *mem_pin(vp_t *s, uint64_t va, uint64_t len, uint32_t *n);
uint64_t va_take(uint64_t *next, uint64_t bytes);

/* vptouched.c: the touched operation. Answers {ranges: [[address, length], ...]}, the CPU
 * ranges whose bytes were written since the last request, and forgets them. */
void touched_mark(vp_t *s, uint64_t key, uint32_t lo, uint32_t hi);
void touched_reset(vp_t *s);
void touched_free(vp_t *s);
/* The touched answer {ranges: [...]}, or only its list (a call answer's `touched`). */
void vp_touched(vp_t *s, mp_w *w);
void vp_touched_list(vp_t *s, mp_w *w);

/* One call being answered: its arguments, and the reply being built. */
typedef struct {
    const mp_doc *doc;
    const mp_node *args;
    mp_w *ret, *out;
    uint32_t nout;
    int has_ret;
    const char *error; /* set: the request is answered {error} instead */
} call;

#define READ_MAX (15u << 20) /* bytes one answer may carry (frames are at most 16 MiB) */
#define TRACE_BYTES_MAX (1u << 20) /* bytes one trace value may hold (vpdma's bytesArgMax) */

/* videoport.c: reading arguments (absent or mistyped ones read as 0, as the model's do) and
 * building replies; allocation helpers shared with vpdma.c. */
const mp_node *arg(call *c, const char *name);
uint64_t num(call *c, const char *name);
uint32_t u32(call *c, const char *name);
int flag(const mp_node *n);
uint64_t field(call *c, const mp_node *map, const char *name);
void ret_u(call *c, uint64_t v);
void ret_b(call *c, int v);
void out_key(call *c, const char *name);
void out_u(call *c, const char *name, uint64_t v);
uint64_t new_handle(vp_t *s);
uint64_t map_ram(vp_t *s, uint64_t len, int kind, uint64_t *pages);
uint64_t add_block(vp_t *s, uint64_t len, int kind, uint64_t *pages);
static inline uint64_t pages_for(uint64_t len) { return (len + PAGE - 1) / PAGE; }

typedef void vp_handler(vp_t *s, call *c);
/* vpdma.c: C. locking, D. packet DMA, F. mapping, and the @ events. */
vp_handler vp_lock_buffer, vp_unlock_buffer, vp_lock_pages, vp_unlock_pages;
vp_handler vp_start_dma, vp_complete_dma, vp_execute_dma, vp_device_dma;
vp_handler vp_get_device_base, vp_free_device_base, vp_map_memory, vp_unmap_memory;
vp_handler vp_write, vp_read;

int vp_reset(vp_t *s); /* after s->dev is set; -1 if RAM cannot be had */
/* -1 when fn is not a function of the call table. */
int vp_call(vp_t *s, const char *fn, size_t fnlen, call *c);
void vp_state(vp_t *s, mp_w *w);

#endif
