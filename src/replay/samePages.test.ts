// The in-place comparison with the model target's pages says "the same" exactly when both sides
// map the range and reading the target's bytes and comparing them finds no difference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { Recorder } from '../model/recorder.js';
import { firstDiffWithModel } from './memory.js';
import { createModelTargetSync, type ModelTarget } from './modelTarget.js';
import { pagesOf, sameInPlace, samePages } from './samePages.js';
import { readOrUndefined, type QuietRead } from './target.js';

const blockBytes = 0x10000;

/** The oracle and a model target (default or alternate layout), each with a pool block. */
function pair(layout: 'default' | 'alternate'): {
  oracle: Recorder;
  target: ModelTarget;
  block: bigint;
  theirs: bigint;
} {
  const oracle = new Recorder({}, false);
  const target = createModelTargetSync({ device: resolveDevice({}), profile: 'docs', layout });
  const args = { poolType: 0, numberOfBytes: blockBytes, tag: 1 };
  const block = oracle.ptr('VideoPortAllocatePool', args);
  const theirs = target.call({ fn: 'VideoPortAllocatePool', args }).ret;
  if (typeof theirs !== 'bigint' || block === 0n) throw new Error('no pool block');
  return { oracle, target, block, theirs };
}

/** What comparing a copy of the target's bytes says: true when it finds no difference. */
function sameByReading(
  p: ReturnType<typeof pair>,
  off: number,
  length: number,
  targetOff = off,
): boolean {
  const quiet = (p.target.read as { [readOrUndefined]?: QuietRead })[readOrUndefined];
  const got = quiet?.(p.theirs + BigInt(targetOff), length);
  return firstDiffWithModel(p.oracle.model, p.block + BigInt(off), length, got) === undefined;
}

function inPlace(
  p: ReturnType<typeof pair>,
  off: number,
  length: number,
  targetOff = off,
): boolean {
  const pages = pagesOf(p.target);
  if (pages === undefined) throw new Error('the model target offers no pages in place');
  return samePages(
    p.oracle.model,
    pages,
    p.block + BigInt(off),
    p.theirs + BigInt(targetOff),
    length,
  );
}

describe('samePages', () => {
  it('agrees with comparing a copy, across pages written, never written and changed', () => {
    const write = fc.record({
      off: fc.nat(blockBytes - 1),
      data: fc.uint8Array({ minLength: 1, maxLength: 0x1800 }),
      // Which side it goes to: both (the usual case), or only one.
      side: fc.constantFrom('both', 'both', 'oracle', 'target'),
    });
    fc.assert(
      fc.property(
        fc.constantFrom('default' as const, 'alternate' as const),
        fc.array(write, { maxLength: 5 }),
        fc.nat(blockBytes + 0x800),
        fc.integer({ min: 0, max: 0x3000 }),
        fc.integer({ min: -0x20, max: 0x20 }),
        (layout, writes, start, length, skew) => {
          const p = pair(layout);
          for (const w of writes) {
            const data = w.data.subarray(0, Math.min(w.data.length, blockBytes - w.off));
            if (w.side !== 'target') p.oracle.call('@write', { va: p.block + BigInt(w.off), data });
            if (w.side !== 'oracle')
              p.target.call({ fn: '@write', args: { va: p.theirs + BigInt(w.off), data } });
          }
          // Past the block's end (unmapped) too, and the target's side skewed against the
          // oracle's, so page boundaries fall at different places on the two sides.
          const targetOff = Math.max(0, start + skew);
          const same = sameByReading(p, start, length, targetOff);
          // Never "the same" where reading finds a difference; and where both sides map the
          // range, "the same" whenever reading finds none (unmapped: the caller reads).
          const mapped =
            p.oracle.model.read(p.block + BigInt(start), length) !== undefined &&
            p.target.model.read(p.theirs + BigInt(targetOff), length) !== undefined;
          expect(inPlace(p, start, length, targetOff)).toBe(same && mapped);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('finds a single byte changed deep in the range, and nothing when equal', () => {
    const p = pair('default');
    const data = new Uint8Array(0x3000).fill(5);
    p.oracle.call('@write', { va: p.block + 0x800n, data });
    p.target.call({ fn: '@write', args: { va: p.theirs + 0x800n, data } });
    expect(inPlace(p, 0, blockBytes)).toBe(true);
    p.target.call({ fn: '@write', args: { va: p.theirs + 0x2fffn, data: new Uint8Array([6]) } });
    expect(inPlace(p, 0, blockBytes)).toBe(false);
    expect(inPlace(p, 0x3000, blockBytes - 0x3000)).toBe(true);
  });

  it('is not offered by a target whose read was replaced', () => {
    const p = pair('default');
    expect(pagesOf({ ...p.target, read: (a, n) => p.target.read(a, n) })).toBeUndefined();
  });
});

describe('sameInPlace', () => {
  it('says "the same" exactly when the target maps the range and a read of it equals the bytes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('default' as const, 'alternate' as const),
        fc.array(
          fc.record({
            off: fc.nat(blockBytes - 1),
            data: fc.uint8Array({ minLength: 1, maxLength: 0x1800 }),
          }),
          { maxLength: 4 },
        ),
        fc.nat(blockBytes + 0x800),
        fc.integer({ min: 0, max: 0x3000 }),
        fc.option(fc.nat(0x2fff), { nil: undefined }),
        (layout, writes, start, length, flip) => {
          const p = pair(layout);
          const pages = pagesOf(p.target);
          if (pages === undefined) throw new Error('the model target offers no pages in place');
          for (const w of writes) {
            const data = w.data.subarray(0, Math.min(w.data.length, blockBytes - w.off));
            p.target.call({ fn: '@write', args: { va: p.theirs + BigInt(w.off), data } });
          }
          const at = p.theirs + BigInt(start);
          const read = p.target.model.read(at, length);
          // What the check holds from before the call: the bytes read, one of them changed maybe.
          const held = read === undefined ? new Uint8Array(length) : read.slice();
          if (flip !== undefined && flip < length) held[flip] = (held[flip] ?? 0) ^ 0x40;
          const equal = read !== undefined && read.every((b, i) => b === held[i]);
          expect(sameInPlace(pages, at, held)).toBe(equal);
        },
      ),
      { numRuns: 300 },
    );
  });
});
