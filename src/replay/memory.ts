// Reading memory on both sides and finding the first differing byte. All ranges here are in
// the oracle's address space; the target side is reached through the address book.
import { PAGE_SIZE } from '../core/limits.js';
import type { Model } from '../model/model.js';
import type { AddressBook } from './addressBook.js';
import { readOrUndefined, type QuietRead, type Target } from './target.js';
import { extentOf, type DiffExtent } from './byteExtent.js';
import { cutTargetText, describeThrown, garbageText, TargetFault } from './callTarget.js';
import { compareAt, sameBytes } from './sameBytes.js';
import { pagesOf, samePages } from './samePages.js';

export interface Span {
  readonly address: bigint;
  readonly length: number;
}

export interface ByteDiff {
  /** Oracle-space address of the first differing byte. */
  readonly address: bigint;
  /** That byte on each side ("0x5a"), or why a side had none ("unmapped", "unreadable"). */
  readonly expected: string;
  readonly actual: string;
  /** Where both sides had bytes: how far the differences reach (see withExtent). */
  readonly extent?: DiffExtent;
}

/** Largest single read, so a 1 GiB view is compared without a 1 GiB buffer. */
export const chunkBytesMax = 1 << 20;

export function targetAddress(book: AddressBook, address: bigint): bigint {
  return book.map('cpu', 'model', 'target', address);
}

/** ByteDiff.expected where the oracle maps no byte of the range as a whole. */
export const UNMAPPED = 'unmapped';

/**
 * A read the target refused: a module's read() threw or rejected, a process child answered
 * `{error}`. That is how a target says the memory is not mapped, so it compares as unreadable;
 * `unreadable` keeps the target's words (cut as other target text is) for the report.
 */
export interface Unreadable {
  readonly unreadable: string;
}

/** What a read of the target gave: its bytes, a refusal, or (a quiet read) not mapped. */
export type TargetBytes = Uint8Array | Unreadable | undefined;

/** The bytes of a read, or undefined when there are none (refused or not mapped). */
export function bytesIn(got: TargetBytes): Uint8Array | undefined {
  return got instanceof Uint8Array ? got : undefined;
}

/** ByteDiff.actual for a read that gave no bytes: why, when the target said. */
function unreadableText(got: TargetBytes): string {
  return got === undefined || got instanceof Uint8Array
    ? 'unreadable'
    : `unreadable (${got.unreadable})`;
}

export function firstDiff(
  address: bigint,
  expected: Uint8Array | undefined,
  got: TargetBytes,
): ByteDiff | undefined {
  const actual = bytesIn(got);
  if (expected === undefined && actual === undefined) return undefined;
  if (expected !== undefined && actual !== undefined && sameBytes(expected, actual))
    return undefined;
  if (expected === undefined || actual === undefined || expected.length !== actual.length) {
    return {
      address,
      expected: expected === undefined ? UNMAPPED : `${expected.length} readable bytes`,
      actual: actual === undefined ? unreadableText(got) : `${actual.length} bytes`,
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

/**
 * `diff` (found in these bytes at `address`) with its extent, for a report: computed only
 * then, so that the comparisons that merely ask whether bytes differ stay a memcmp.
 */
export function withExtent(
  diff: ByteDiff | undefined,
  address: bigint,
  expected: Uint8Array | undefined,
  got: TargetBytes,
): ByteDiff | undefined {
  const actual = bytesIn(got);
  if (diff === undefined || expected === undefined || actual === undefined) return diff;
  if (expected.length !== actual.length) return diff;
  const first = Number(diff.address - address);
  return { ...diff, extent: extentOf(address, expected, actual, first) };
}

/** firstDiffWithModel, with the extent of a difference found (for a report). */
export function reportedDiffWithModel(
  model: Model,
  address: bigint,
  length: number,
  got: TargetBytes,
): ByteDiff | undefined {
  const d = firstDiffWithModel(model, address, length, got);
  return d === undefined ? d : withExtent(d, address, model.read(address, length), got);
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
  got: TargetBytes,
): ByteDiff | undefined {
  const actual = bytesIn(got);
  if (actual === undefined || actual.length !== length) {
    return firstDiff(address, model.read(address, length), got);
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

/** Sorted, with overlapping and adjacent spans joined. */
export function mergeSpans(spans: readonly Span[]): readonly Span[] {
  if (spans.length < 2 || sortedApart(spans)) return spans;
  const sorted = inOrder(spans)
    ? spans
    : [...spans].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
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

/**
 * Whether spans are sorted with a gap between each and the next, as a call's touched() spans
 * nearly always are: mergeSpans then has nothing to do, and no copy to sort.
 */
function sortedApart(spans: readonly Span[]): boolean {
  for (let i = 1; i < spans.length; i++) {
    const a = spans[i - 1] as Span;
    if (a.address + BigInt(a.length) >= (spans[i] as Span).address) return false;
  }
  return true;
}

/** Whether spans are sorted by address (a call's per-page touched spans, say). */
function inOrder(spans: readonly Span[]): boolean {
  for (let i = 1; i < spans.length; i++)
    if ((spans[i - 1] as Span).address > (spans[i] as Span).address) return false;
  return true;
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
 * The target's bytes, Unreadable if it refused to read them (it threw, or answered an error),
 * or undefined if its quiet read says they are not mapped; without a promise when the target
 * answers synchronously.
 */
export function readTargetMaybe(target: Target, book: AddressBook, span: Span): Maybe<TargetBytes> {
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
 * memory difference at some address. What the target said is kept for the report.
 */
function unreadable(e: unknown): Unreadable {
  if (TargetFault.is(e)) {
    if (!e.reported) throw e;
    return { unreadable: e.message }; // cut already
  }
  return { unreadable: cutTargetText(describeThrown(e)) };
}

/**
 * The first byte where the target's memory differs from the oracle's, over the spans, with the
 * extent of the differences in its chunk.
 */
export function compareWithModel(
  model: Model,
  target: Target,
  book: AddressBook,
  spans: Iterable<Span>,
): Maybe<ByteDiff | undefined> {
  return compareFrom(model, target, book, chunks(spans), 0);
}

/** compareWithModel from chunk `start` on: no closure unless the target answers later. */
function compareFrom(
  model: Model,
  target: Target,
  book: AddressBook,
  list: readonly Span[],
  start: number,
): Maybe<ByteDiff | undefined> {
  const inPlace = pagesOf(target);
  for (let i = start; i < list.length; i++) {
    const c = list[i];
    if (c === undefined || !comparable(model, c.address)) continue;
    // The model target's pages, compared where they lie: only a chunk that may differ is read.
    if (inPlace !== undefined) {
      if (samePages(model, inPlace, c.address, targetAddress(book, c.address), c.length)) continue;
    }
    const got = readTargetMaybe(target, book, c);
    if (got instanceof Promise) {
      return got.then(
        (bytes) =>
          reportedDiffWithModel(model, c.address, c.length, bytes) ??
          compareFrom(model, target, book, list, i + 1),
      );
    }
    const diff = reportedDiffWithModel(model, c.address, c.length, got);
    if (diff !== undefined) return diff;
  }
  return undefined;
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
  bytes: readonly TargetBytes[],
): boolean {
  let i = 0;
  let wrote = false;
  for (const chunk of chunks(spans)) {
    const got = bytesIn(bytes[i++]);
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
): Maybe<TargetBytes[]> {
  return snapshotFrom(target, book, chunks(spans), 0, []);
}

/** snapshotTarget from chunk `start` on, into `out`: no closure unless the target answers later. */
function snapshotFrom(
  target: Target,
  book: AddressBook,
  list: readonly Span[],
  start: number,
  out: TargetBytes[],
): Maybe<TargetBytes[]> {
  for (let i = start; i < list.length; i++) {
    const c = list[i];
    if (c === undefined) continue;
    const got = readTargetMaybe(target, book, c);
    if (got instanceof Promise) {
      return got.then((bytes) => {
        out.push(bytes);
        return snapshotFrom(target, book, list, i + 1, out);
      });
    }
    out.push(got);
  }
  return out;
}

/**
 * The first byte that changed between two snapshots of the same spans, with the extent of the
 * changes in its chunk.
 */
export function diffSnapshots(
  spans: readonly Span[],
  before: readonly TargetBytes[],
  after: readonly TargetBytes[],
): ByteDiff | undefined {
  let i = 0;
  for (const c of chunks(spans)) {
    const was = bytesIn(before[i]);
    const diff = firstDiff(c.address, was, after[i]);
    if (diff !== undefined) return withExtent(diff, c.address, was, after[i]);
    i++;
  }
  return undefined;
}
