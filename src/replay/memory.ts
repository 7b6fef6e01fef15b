// Reading memory on both sides and finding the first differing byte. All ranges here are in
// the oracle's address space; the target side is reached through the address book.
import { PAGE_SIZE } from '../core/limits.js';
import type { Model } from '../model/model.js';
import type { AddressBook } from './addressBook.js';
import { readOrUndefined, type QuietRead, type Target } from './target.js';
import { garbageText, TargetFault } from './callTarget.js';

export interface Span {
  readonly address: bigint;
  readonly length: number;
}

export interface ByteDiff {
  /** Oracle-space address of the first differing byte. */
  readonly address: bigint;
  readonly expected: string;
  readonly actual: string;
}

/** Largest single read, so a 1 GiB view is compared without a 1 GiB buffer. */
export const chunkBytesMax = 1 << 20;

export function targetAddress(book: AddressBook, address: bigint): bigint {
  return book.map('cpu', 'model', 'target', address);
}

/**
 * An oracle address as a report names it: in the trace's own space, the one a user can find
 * in the file (a capture's buffers sit where the real system put them, not where the oracle
 * did).
 */
export function traceAddressText(book: AddressBook, address: bigint): string {
  return `0x${book.map('cpu', 'model', 'trace', address).toString(16)}`;
}

/** ByteDiff.expected where the oracle maps no byte of the range as a whole. */
export const UNMAPPED = 'unmapped';

export function firstDiff(
  address: bigint,
  expected: Uint8Array | undefined,
  actual: Uint8Array | undefined,
): ByteDiff | undefined {
  if (expected === undefined && actual === undefined) return undefined;
  if (expected !== undefined && actual !== undefined && sameBytes(expected, actual))
    return undefined;
  if (expected === undefined || actual === undefined || expected.length !== actual.length) {
    return {
      address,
      expected: expected === undefined ? UNMAPPED : `${expected.length} readable bytes`,
      actual: actual === undefined ? 'unreadable' : `${actual.length} bytes`,
    };
  }
  for (let i = 0; i < expected.length; i++) {
    if (expected[i] !== actual[i]) {
      return {
        address: address + BigInt(i),
        expected: `0x${(expected[i] ?? 0).toString(16).padStart(2, '0')}`,
        actual: `0x${(actual[i] ?? 0).toString(16).padStart(2, '0')}`,
      };
    }
  }
  return undefined;
}

const zeroPage = new Uint8Array(PAGE_SIZE);

/**
 * firstDiff(address, model.read(address, length), actual) without copying the oracle's bytes:
 * its pages are compared in place (a fresh typed array costs microseconds, the comparison of
 * a 4 KiB page a tenth of one).
 */
export function firstDiffWithModel(
  model: Model,
  address: bigint,
  length: number,
  actual: Uint8Array | undefined,
): ByteDiff | undefined {
  if (actual === undefined || actual.length !== length) {
    return firstDiff(address, model.read(address, length), actual);
  }
  let diff: ByteDiff | undefined;
  const mapped = model.visit(address, length, (page, pageOff, n, at) => {
    const expected = page ?? zeroPage;
    if (compareAt(expected, pageOff, actual, at, n) === 0) return true;
    diff = firstDiff(
      address + BigInt(at),
      expected.subarray(pageOff, pageOff + n),
      actual.subarray(at, at + n),
    );
    return false;
  });
  if (mapped === undefined) return firstDiff(address, undefined, actual);
  return diff;
}

// Buffer's compare works on any Uint8Array as `this`, so no Buffer object is made per page.
const bufferCompare: (
  this: Uint8Array,
  target: Uint8Array,
  targetStart: number,
  targetEnd: number,
  sourceStart: number,
  sourceEnd: number,
) => number =
  // eslint-disable-next-line @typescript-eslint/unbound-method -- only ever called with .call
  Buffer.alloc(0).compare;

/** memcmp of a[aOff, aOff + n) and b[bOff, bOff + n), without allocating. */
function compareAt(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, n: number): number {
  return bufferCompare.call(a, b, bOff, bOff + n, aOff, aOff + n);
}

/** memcmp speed: the byte loop below only runs to locate a difference already known. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareAt(a, 0, b, 0, a.length) === 0;
}

/** Sorted, with overlapping and adjacent spans joined. */
export function mergeSpans(spans: readonly Span[]): readonly Span[] {
  if (spans.length < 2) return spans;
  const sorted = [...spans].sort((a, b) =>
    a.address < b.address ? -1 : a.address > b.address ? 1 : 0,
  );
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    const lastEnd = last === undefined ? -1n : last.address + BigInt(last.length);
    if (last !== undefined && s.address <= lastEnd) {
      const end = s.address + BigInt(s.length);
      if (end > lastEnd)
        out[out.length - 1] = { address: last.address, length: Number(end - last.address) };
    } else out.push(s);
  }
  return out;
}

/** Splits spans into chunks of at most chunkBytesMax (the spans themselves when all fit). */
export function chunks(spans: Iterable<Span>): readonly Span[] {
  const list = Array.isArray(spans) ? (spans as readonly Span[]) : [...spans];
  if (list.every((s) => s.length <= chunkBytesMax)) return list;
  const out: Span[] = [];
  for (const s of list) {
    for (let off = 0; off < s.length; off += chunkBytesMax) {
      out.push({
        address: s.address + BigInt(off),
        length: Math.min(chunkBytesMax, s.length - off),
      });
    }
  }
  return out;
}

/** Either a value now or a promise of it: in-process targets stay synchronous end to end. */
export type Maybe<T> = T | Promise<T>;

/** f applied to m: at once when m is a value, after it settles when m is a promise. */
export function andThen<T, U>(m: Maybe<T>, f: (t: T) => Maybe<U>): Maybe<U> {
  return m instanceof Promise ? m.then(f) : f(m);
}

function checkRead(bytes: unknown, length: number): Uint8Array | undefined {
  if (bytes instanceof Uint8Array && bytes.length === length) return bytes;
  if (bytes === undefined) return undefined; // the quiet read's "not mapped"
  // Garbage, as a process target's wrong-length read is: not unmapped memory at some address.
  throw new TargetFault(
    `answered garbage: a read of ${length} bytes answered ${garbageText(bytes)}, not a Uint8Array of that length`,
  );
}

/**
 * The target's bytes, or undefined if it cannot read them (unmapped, or it threw); without a
 * promise when the target answers synchronously.
 */
export function readTargetMaybe(
  target: Target,
  book: AddressBook,
  span: Span,
): Maybe<Uint8Array | undefined> {
  const quiet = (target.read as { [readOrUndefined]?: QuietRead })[readOrUndefined];
  if (quiet !== undefined)
    return checkRead(quiet(targetAddress(book, span.address), span.length), span.length);
  try {
    const got = target.read(targetAddress(book, span.address), span.length);
    if (got instanceof Promise)
      return got.then(
        (b) => checkRead(b, span.length),
        (e: unknown) => unreadable(e),
      );
    return checkRead(got, span.length);
  } catch (e) {
    return unreadable(e);
  }
}

/**
 * A read that failed is unmapped memory, unless the target failed: a process child that died,
 * hung or answered garbage ends the trace as target-crashed or target-timeout, not as a
 * memory difference at some address.
 */
function unreadable(e: unknown): undefined {
  if (TargetFault.is(e) && !e.reported) throw e;
  return undefined;
}

/** The first byte where the target's memory differs from the oracle's, over the spans. */
export function compareWithModel(
  model: Model,
  target: Target,
  book: AddressBook,
  spans: Iterable<Span>,
): Maybe<ByteDiff | undefined> {
  const list = chunks(spans);
  const from = (start: number): Maybe<ByteDiff | undefined> => {
    for (let i = start; i < list.length; i++) {
      const c = list[i];
      if (c === undefined || !comparable(model, c.address)) continue;
      const got = readTargetMaybe(target, book, c);
      if (got instanceof Promise) {
        return got.then(
          (bytes) => firstDiffWithModel(model, c.address, c.length, bytes) ?? from(i + 1),
        );
      }
      const diff = firstDiffWithModel(model, c.address, c.length, got);
      if (diff !== undefined) return diff;
    }
    return undefined;
  };
  return from(0);
}

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
  if (claimed.length === 0) return spans;
  // Merged first: each claim is clipped to every live span it covers (one range claimed 65,536
  // times over 50 pool blocks took 31 s and 1.1 GB).
  const merged = mergeSpans(claimed);
  if (coveredBy(merged, spans)) return spans;
  for (const s of withinLive(merged, live.mergedNow())) spans.push(s);
  return mergeSpans(spans);
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

/** Every live CPU range the oracle knows of. */
export function liveSpans(model: Model): Span[] {
  return model
    .liveRanges()
    .filter((r) => r.kind !== 'lockedList')
    .map((r) => ({ address: r.va, length: r.length }));
}

/**
 * Whether the oracle's bytes at this address are the API's to define. The scatter/gather list
 * LockPages hands back holds physical addresses: implementation-defined, so not compared.
 */
export function comparable(model: Model, address: bigint): boolean {
  return model.state.ranges.find(address, 1)?.kind !== 'lockedList';
}

/**
 * Makes the oracle hold the target's bytes (read chunk by chunk over spans) where they differ:
 * a change the target made that the oracle did not, reported once and then taken over.
 * Whether it wrote anything.
 */
export function adoptBytes(
  model: Model,
  spans: readonly Span[],
  bytes: readonly (Uint8Array | undefined)[],
): boolean {
  let i = 0;
  let wrote = false;
  for (const chunk of chunks(spans)) {
    const got = bytes[i++];
    if (got === undefined || !comparable(model, chunk.address)) continue;
    if (firstDiffWithModel(model, chunk.address, chunk.length, got) !== undefined)
      wrote = model.write(chunk.address, got) || wrote;
  }
  return wrote;
}

/** adoptBytes of the target's bytes of spans, read now. */
export function adoptFromTarget(
  model: Model,
  target: Target,
  book: AddressBook,
  spans: readonly Span[],
): Maybe<boolean> {
  return andThen(snapshotTarget(target, book, spans), (bytes) => adoptBytes(model, spans, bytes));
}

/** The target's bytes of every span, for a before/after comparison (synchronous if it is). */
export function snapshotTarget(
  target: Target,
  book: AddressBook,
  spans: readonly Span[],
): Maybe<(Uint8Array | undefined)[]> {
  const list = chunks(spans);
  const out: (Uint8Array | undefined)[] = [];
  const from = (start: number): Maybe<(Uint8Array | undefined)[]> => {
    for (let i = start; i < list.length; i++) {
      const c = list[i];
      if (c === undefined) continue;
      const got = readTargetMaybe(target, book, c);
      if (got instanceof Promise) {
        return got.then((bytes) => {
          out.push(bytes);
          return from(i + 1);
        });
      }
      out.push(got);
    }
    return out;
  };
  return from(0);
}

/** The first span chunk whose bytes changed between two snapshots of the same spans. */
export function diffSnapshots(
  spans: readonly Span[],
  before: readonly (Uint8Array | undefined)[],
  after: readonly (Uint8Array | undefined)[],
): ByteDiff | undefined {
  let i = 0;
  for (const c of chunks(spans)) {
    const diff = firstDiff(c.address, before[i], after[i]);
    if (diff !== undefined) return diff;
    i++;
  }
  return undefined;
}
