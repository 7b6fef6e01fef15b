// What a target's touched() answer makes the replayer compare after a call: its ranges within
// live memory, and a bounded stretch outside it, joined with the oracle's own writes.
import { isUserVa } from '../model/access.js';
import type { AddressBook } from './addressBook.js';
import { mergeSpans, type Span } from './memory.js';
import type { TouchedRanges } from './target.js';

/** Bytes of a touched() answer outside live memory still compared, per answer. */
const outsideBytesMax = 1 << 20;

/**
 * `ranges` (a target's touched() answer, in the oracle's space) as they will be compared:
 * inside live memory all of it; outside, where the oracle has no memory and a readable byte
 * in the target is itself a mismatch, the first outsideBytesMax. A lying answer ([0, 4 GiB])
 * then costs a pass over live memory and a megabyte, not a spin over gigabytes. `spans`: the
 * live spans merged and sorted (mergeSpans), which callers keep while the oracle is unchanged.
 */
export function withinLive(ranges: readonly Span[], spans: readonly Span[]): Span[] {
  if (ranges.length === 0) return [];
  const out: Span[] = [];
  let outside = outsideBytesMax;
  const gap = (from: bigint, to: bigint): void => {
    if (to <= from || outside <= 0) return;
    const n = to - from < BigInt(outside) ? Number(to - from) : outside;
    out.push({ address: from, length: n });
    outside -= n;
  };
  for (const r of ranges) {
    const end = r.address + BigInt(r.length);
    // The first live span ending after r starts.
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const s = spans[mid] as Span;
      if (s.address + BigInt(s.length) <= r.address) lo = mid + 1;
      else hi = mid;
    }
    let at = r.address;
    for (let i = lo; i < spans.length && at < end; i++) {
      const s = spans[i] as Span;
      if (s.address >= end) break;
      gap(at, s.address);
      const from = s.address > at ? s.address : at;
      const sEnd = s.address + BigInt(s.length);
      const to = sEnd < end ? sEnd : end;
      if (to > from) out.push({ address: from, length: Number(to - from) });
      at = to;
    }
    gap(at, end);
  }
  return out;
}

/**
 * What to compare after a call: the oracle's written `spans` (extended in place) plus the
 * target's `claimed` ones as withinLive keeps them, each byte once. Live memory is listed only
 * when the claim goes beyond the oracle's writes (usually both wrote the same bytes).
 */
export function touchedSpans(
  spans: Span[],
  claimed: readonly Span[],
  live: { mergedNow(): readonly Span[] },
): readonly Span[] {
  // Usually the target claims just what the oracle wrote: no merging, no sorting, and when
  // the very same spans, no bigint sums to see that each lies inside one.
  if (claimed.length === 0 || sameSpans(claimed, spans) || coveredBy(claimed, spans)) return spans;
  // Merged first: each claim is clipped to every live span it covers (one range claimed 65,536
  // times over 50 pool blocks took 31 s and 1.1 GB).
  const merged = mergeSpans(claimed);
  if (coveredBy(merged, spans)) return spans;
  for (const s of withinLive(merged, live.mergedNow())) spans.push(s);
  return mergeSpans(spans);
}

/** Whether the two lists hold the same spans in the same order. */
function sameSpans(a: readonly Span[], b: readonly Span[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Span;
    const y = b[i] as Span;
    if (x.address !== y.address || x.length !== y.length) return false;
  }
  return true;
}

/** Whether every range lies inside one of `spans`; false for long lists (the general path). */
function coveredBy(ranges: readonly Span[], spans: readonly Span[]): boolean {
  if (ranges.length * spans.length > 64) return false;
  for (const r of ranges) if (!insideOne(r, spans)) return false;
  return true;
}

function insideOne(r: Span, spans: readonly Span[]): boolean {
  const end = r.address + BigInt(r.length);
  for (const s of spans)
    if (r.address >= s.address && end <= s.address + BigInt(s.length)) return true;
  return false;
}

/**
 * A target's touched() answer in the oracle's addresses. `stray` hears the first range (as the
 * target gave it) that starts neither inside anything the target ever returned nor in user
 * memory: nothing live could hold it (a write before a free in one call still starts inside a
 * returned address), so the target's idea of its own address space is off, and its touched()
 * cannot be relied on (docs/checks.md "How memory is checked").
 */
export function claimedSpans(
  book: AddressBook,
  touched: TouchedRanges,
  stray: ((r: Span) => void) | undefined,
): Span[] {
  const out: Span[] = [];
  let told = stray === undefined;
  for (const t of touched) {
    const address = book.lookup('cpu', 'target', 'model', t.address);
    if (address === undefined && !told && t.length > 0 && !isUserVa(t.address, 1)) {
      told = true;
      stray?.(t);
    }
    out.push({ address: address ?? t.address, length: t.length });
  }
  return out;
}

/** The stray range for ReplayResult.strayTouched: "call 7 named 0x...+0x100". */
export function strayText(index: number, r: Span): string {
  return `call ${index} named 0x${r.address.toString(16)}+0x${r.length.toString(16)}`;
}
