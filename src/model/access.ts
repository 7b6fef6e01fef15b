// CPU accesses by virtual address: through a live range, or into the current process's
// demand-zero user memory (the buffers user mode hands a miniport in an IOCTL).
import { PAGE_SIZE } from '../core/limits.js';
import { zeroed } from '../core/zeroed.js';
import { readRange, visitRange, writeRange, type CpuRange, type PageVisitor } from './ranges.js';
import type { ModelState } from './state.js';

export const USER_VA_MIN = 0x10000n;
export const USER_VA_MAX = 0x7fffffff0000n;
/**
 * Where the model's user views live (layout.ts): past x64 user space, so no address a real
 * capture's process used can land on one (user addresses pass through replay untranslated).
 * To the oracle it is the process's too, as user space around a view was before: the rest of a
 * view's page stays demand-zero memory (viewSlack.ts), and a span may not join the two windows.
 */
export const USER_VIEW_WINDOW_MIN = 0x0000800000000000n;
export const USER_VIEW_WINDOW_MAX = 0x0000fffffffff000n;

export function isUserVa(va: bigint, length: number): boolean {
  const end = va + BigInt(length);
  return (
    (va >= USER_VA_MIN && end <= USER_VA_MAX) ||
    (va >= USER_VIEW_WINDOW_MIN && end <= USER_VIEW_WINDOW_MAX)
  );
}

/**
 * Whether [va, va + length), held by no one live range, is plain user memory: in user space
 * and sharing no byte with a live range. An access running past the end of a view mapped into
 * user space reaches whatever the implementation placed beyond it: unmapped, not user memory.
 */
function plainUser(s: ModelState, va: bigint, length: number): boolean {
  return isUserVa(va, length) && !s.ranges.overlaps(va, length);
}

/** The page keys a [va, va + length) access spans, pinning user pages; undefined if invalid. */
export function pinPages(s: ModelState, va: bigint, length: number): number[] | undefined {
  const r = s.ranges.find(va, length);
  if (r !== undefined) return rangeKeys(r, s.ranges.foundOffset, length, s.ranges.foundVaPage);
  if (!plainUser(s, va, length) || !userPagesFit(s, va, length)) return undefined;
  const keys: number[] = [];
  const first = va >> 12n;
  const last = (va + BigInt(length) - 1n) >> 12n;
  for (let p = first; p <= last; p++) {
    const key = userPage(s, p, true);
    if (key === undefined) return undefined;
    keys.push(key);
  }
  return keys;
}

function rangeKeys(r: CpuRange, off: number, length: number, vaPage: number): number[] {
  const b = r.backing;
  const startPage = Math.floor((vaPage + off) / PAGE_SIZE);
  const endPage = Math.floor((vaPage + off + length - 1) / PAGE_SIZE);
  const keys: number[] = [];
  for (let i = startPage; i <= endPage; i++) {
    if (b.kind === 'pages') keys.push(b.keys[i] ?? 0);
    else keys.push(Number((b.base & ~0xfffn) >> 12n) + i);
  }
  return keys;
}

/** Whether RAM can back every not-yet-present user page of the span: all or nothing. */
function userPagesFit(s: ModelState, va: bigint, length: number): boolean {
  if (length === 0) return true;
  const free = s.phys.free();
  const first = va >> 12n;
  const last = (va + BigInt(length) - 1n) >> 12n;
  // Even if every present user page lay in the span, too many would be missing.
  if (last - first + 1n > BigInt(free + s.userPages.size)) return false;
  let missing = 0;
  for (let p = first; p <= last; p++) if (!s.userPages.has(p) && ++missing > free) return false;
  return true;
}

function userPage(s: ModelState, page: bigint, allocate: boolean): number | undefined {
  const have = s.userPages.get(page);
  if (have !== undefined || !allocate) return have;
  const got = s.phys.scattered(1);
  if (got === undefined) return undefined;
  const key = got[0] ?? 0;
  s.mem.discardPage(key);
  s.userPages.set(page, key);
  s.userPageOf.set(key, page);
  return key;
}

/** Reads [va, va + length); undefined when any byte is unmapped. */
export function readVa(s: ModelState, va: bigint, length: number): Uint8Array | undefined {
  const r = s.ranges.find(va, length);
  if (r !== undefined) {
    const got = zeroed(length);
    readRange(s.mem, r, s.ranges.foundOffset, got, s.ranges.foundVaPage);
    return got;
  }
  let out: Uint8Array | undefined; // made at the first page: an unmapped read allocates nothing
  const mapped = visitUser(s, va, length, (page, pageOff, n, at) => {
    out ??= zeroed(length);
    if (page !== undefined) out.set(page.subarray(pageOff, pageOff + n), at);
    return true;
  });
  return mapped === undefined ? undefined : (out ?? zeroed(length));
}

/**
 * Visits the pages behind [va, va + length) without copying them (see visitRange); undefined
 * when any byte is unmapped, else whether every visit returned true.
 */
export function visitVa(
  s: ModelState,
  va: bigint,
  length: number,
  visit: PageVisitor,
): boolean | undefined {
  const r = s.ranges.find(va, length);
  if (r !== undefined) {
    const { foundOffset, foundVaPage } = s.ranges;
    return visitRange(s.mem, r, foundOffset, length, visit, foundVaPage);
  }
  return visitUser(s, va, length, visit);
}

/** visitVa for an access no live range holds. */
function visitUser(
  s: ModelState,
  va: bigint,
  length: number,
  visit: PageVisitor,
): boolean | undefined {
  if (!plainUser(s, va, length)) return undefined;
  let going = true;
  forUserPages(va, length, (page, pageOff, at, n) => {
    if (!going) return;
    const key = s.userPages.get(page);
    going = visit(key === undefined ? undefined : s.mem.readPage(key), pageOff, n, at);
  });
  return going;
}

/** Writes data at va; false (and nothing written) when any byte is unmapped. */
export function writeVa(s: ModelState, va: bigint, data: Uint8Array): boolean {
  const r = s.ranges.find(va, data.length);
  if (r !== undefined) {
    writeRange(s.mem, r, s.ranges.foundOffset, data, s.ranges.foundVaPage);
    return true;
  }
  if (!plainUser(s, va, data.length) || !userPagesFit(s, va, data.length)) return false;
  let okAll = true;
  forUserPages(va, data.length, (page, pageOff, at, n) => {
    const key = userPage(s, page, true);
    if (key === undefined) okAll = false;
    else s.mem.writeFrom(key, pageOff, data, at, n);
  });
  return okAll;
}

function forUserPages(
  va: bigint,
  length: number,
  visit: (page: bigint, pageOff: number, at: number, n: number) => void,
): void {
  let at = 0;
  while (at < length) {
    const addr = va + BigInt(at);
    const pageOff = Number(addr & 0xfffn);
    const n = Math.min(PAGE_SIZE - pageOff, length - at);
    visit(addr >> 12n, pageOff, at, n);
    at += n;
  }
}
