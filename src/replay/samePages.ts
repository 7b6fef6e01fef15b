// Comparing the target's memory with the oracle's page by page in place, when the target is
// the model (its `read` carries pagesInPlace): no copy of the target's bytes, and a page that
// neither side ever wrote (zeros on both) is not compared at all. Profiles had the copy (the
// quiet read, a fresh array per chunk) and the byte comparison at about 15% of a checked
// replay, most of it the final sweep of all live memory.
//
// It only ever answers "the same": for anything else (a byte differs, either side unmapped)
// the caller reads and compares as it always did, so every difference is found, described and
// located by the one path that describes them.
import { PAGE_SIZE } from '../core/limits.js';
import type { Model } from '../model/model.js';
import type { PageVisitor } from '../model/ranges.js';
import { compareAt } from './sameBytes.js';
import { pagesInPlace, type PagesInPlace, type Target } from './target.js';

const zeroPage = new Uint8Array(PAGE_SIZE);

/** The target's pages in place, when it offers them (the model target). */
export function pagesOf(target: Target): PagesInPlace | undefined {
  return (target.read as { [pagesInPlace]?: PagesInPlace })[pagesInPlace];
}

// The target's side, collected before the oracle's is visited (scratch, reused: a visit is
// synchronous and never re-entered). Segment i covers [ats[i], ats[i] + ns[i]) of the range.
const pages: (Uint8Array | undefined)[] = [];
const offs: number[] = [];
const ns: number[] = [];
const ats: number[] = [];
let count = 0;
let next = 0; // the target segment the oracle's visit has reached

const collect: PageVisitor = (page, pageOff, n, at) => {
  pages[count] = page;
  offs[count] = pageOff;
  ns[count] = n;
  ats[count] = at;
  count++;
  return true;
};

/** Whether the oracle's page share [at, at + n) holds the target's bytes there. */
const against: PageVisitor = (page, pageOff, n, at) => {
  let done = 0;
  while (done < n) {
    const pos = at + done;
    while (next < count && (ats[next] ?? 0) + (ns[next] ?? 0) <= pos) next++;
    if (next >= count) return false; // cannot happen: both sides cover the same length
    const into = pos - (ats[next] ?? 0);
    const m = Math.min(n - done, (ns[next] ?? 0) - into);
    const theirs = pages[next];
    // Never written on either side: zeros against zeros.
    if (page !== undefined || theirs !== undefined) {
      const a = page ?? zeroPage;
      const b = theirs ?? zeroPage;
      if (compareAt(a, pageOff + done, b, (offs[next] ?? 0) + into, m) !== 0) return false;
    }
    done += m;
  }
  return true;
};

/**
 * True when both sides map every byte of the range (the oracle's at `address`, the target's
 * at `targetAddress`) and hold the same bytes there; false when they may not (compare by
 * reading, as before).
 */
export function samePages(
  model: Model,
  theirs: PagesInPlace,
  address: bigint,
  targetAddress: bigint,
  length: number,
): boolean {
  count = 0;
  next = 0;
  try {
    if (theirs(targetAddress, length, collect) !== true) return false;
    return model.visit(address, length, against) === true;
  } finally {
    // Hold no page of either model past the comparison.
    for (let i = 0; i < count; i++) pages[i] = undefined;
    count = 0;
  }
}

// The bytes sameInPlace compares the target's pages with (scratch, as above).
let held: Uint8Array = zeroPage;

const againstHeld: PageVisitor = (page, pageOff, n, at) =>
  compareAt(page ?? zeroPage, page === undefined ? 0 : pageOff, held, at, n) === 0;

/**
 * True when the target maps every byte of [targetAddress, + bytes.length) and holds `bytes`
 * there, compared where its pages lie (no copy); false when it may not (read it, as before).
 */
export function sameInPlace(
  theirs: PagesInPlace,
  targetAddress: bigint,
  bytes: Uint8Array,
): boolean {
  held = bytes;
  try {
    return theirs(targetAddress, bytes.length, againstHeld) === true;
  } finally {
    held = zeroPage;
  }
}
