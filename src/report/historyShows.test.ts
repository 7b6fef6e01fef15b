// When a failing trace no longer holds open a bucket it once failed first with.
import { describe, expect, it } from 'vitest';
import { bothFailed, noLongerShows, reproNoLongerShows, type FailedTrace } from './historyShows.js';

const T = 'corpus:legacy-mapdma-during-transfers.jsonl';
// Fixed in the target, but the trace now fails first at call 20 with a divergence that stays.
const tonight: FailedTrace = {
  signatures: new Set(['recorded-mismatch/GetMdl/f586ddc4']),
  stoppedAt: 20,
  firstAt: 20,
  calls: 40,
  toEnd: true,
  unlistedKinds: new Set(),
};
const inert = {
  signature: 'map-dma-wrote-out-param/MapDmaMemory/b8a02000',
  kind: 'map-dma-wrote-out-param',
};
const oracle = {
  signature: 'out-param-mismatch/GetCommonBuffer/b16daefe',
  kind: 'out-param-mismatch',
};

describe('noLongerShows', () => {
  it('an obsolete-call kind: gone when the trace ran to its end with none of it listed', () => {
    expect(noLongerShows(inert, T, tonight)).toBe(true);
    // The oracle stopped being compared before (checks.md: those checks hold after it).
    expect(noLongerShows(inert, T, { ...tonight, stoppedAt: 3 })).toBe(true);
  });

  it('not while it still lists the signature, at any call', () => {
    const still = { ...tonight, signatures: new Set([...tonight.signatures, inert.signature]) };
    expect(noLongerShows(inert, T, still)).toBe(false);
    const shown = { ...oracle, shownAt: { [T]: 16 } };
    expect(noLongerShows(shown, T, { ...tonight, signatures: new Set([oracle.signature]) })).toBe(
      false,
    );
  });

  it('an obsolete-call kind: not when the trace stopped early or some of its kind are unlisted', () => {
    expect(noLongerShows(inert, T, { ...tonight, toEnd: false })).toBe(false);
    const capped = { ...tonight, unlistedKinds: new Set(['map-dma-wrote-out-param']) };
    expect(noLongerShows(inert, T, capped)).toBe(false);
    // Unlisted of another kind say nothing about it.
    expect(
      noLongerShows(inert, T, { ...tonight, unlistedKinds: new Set(['memory-mismatch']) }),
    ).toBe(true);
  });

  it('an oracle kind: gone only past the call where the trace last showed it', () => {
    expect(noLongerShows({ ...oracle, shownAt: { [T]: 16 } }, T, tonight)).toBe(true);
    expect(noLongerShows({ ...oracle, shownAt: { [T]: 20 } }, T, tonight)).toBe(false);
    expect(noLongerShows({ ...oracle, shownAt: { [T]: 25 } }, T, tonight)).toBe(false);
    // So does an obsolete-call kind whose trace crashed, once past its call.
    const crashed = { ...tonight, toEnd: false };
    expect(noLongerShows({ ...inert, shownAt: { [T]: 16 } }, T, crashed)).toBe(true);
    expect(noLongerShows({ ...inert, shownAt: { [T]: 16 } }, T, { ...crashed, stoppedAt: 9 })).toBe(
      false,
    );
  });

  it('an oracle kind without shownAt (an older history) or for another trace: still open, as before', () => {
    expect(noLongerShows(oracle, T, tonight)).toBe(false);
    expect(noLongerShows({ ...oracle, shownAt: { 'corpus:other.jsonl': 1 } }, T, tonight)).toBe(
      false,
    );
  });

  it('a trace not replayed, or whose report cannot tell, holds it open', () => {
    expect(noLongerShows(inert, T, undefined)).toBe(false);
  });

  it('two shards: what both say, at most', () => {
    const other: FailedTrace = {
      signatures: new Set([inert.signature]),
      stoppedAt: 30,
      firstAt: 30,
      calls: 30,
      toEnd: false,
      unlistedKinds: new Set(['memory-mismatch']),
    };
    const both = bothFailed(tonight, other);
    expect(both).toEqual({
      signatures: new Set(['recorded-mismatch/GetMdl/f586ddc4', inert.signature]),
      stoppedAt: 20,
      firstAt: 20,
      calls: 30,
      toEnd: false,
      unlistedKinds: new Set(['memory-mismatch']),
    });
    expect(noLongerShows(inert, T, both)).toBe(false);
  });
});

describe("reproNoLongerShows: a bucket's own repro, failing another way", () => {
  // Its finding failed at call 4 (return-mismatch); tonight the repro fails otherwise.
  const found = { signature: 'return-mismatch/StartDma/f586ddc4', kind: 'return-mismatch' };
  const now = (over: Partial<FailedTrace>): FailedTrace => ({
    signatures: new Set(['out-param-mismatch/StartDma/a63cbecb']),
    stoppedAt: 4,
    firstAt: 4,
    calls: 5,
    toEnd: true,
    unlistedKinds: new Set(),
    ...over,
  });

  it('another bug at its call, which answered and was checked: gone', () => {
    expect(reproNoLongerShows(found, 4, now({}))).toBe(true);
  });

  it('a first failure past its call: gone', () => {
    expect(reproNoLongerShows(found, 4, now({ stoppedAt: 6, firstAt: 6, calls: 8 }))).toBe(true);
  });

  it('a first failure before its call: masked, not gone', () => {
    expect(reproNoLongerShows(found, 4, now({ stoppedAt: 2, firstAt: 2 }))).toBe(false);
    // Detached (a divergence) before it, the violation at the call itself: not compared there.
    expect(reproNoLongerShows(found, 4, now({ stoppedAt: 3 }))).toBe(false);
  });

  it('its call gave no answer (a crash or timeout there): masked', () => {
    const crashed = now({ signatures: new Set(['target-crashed/StartDma/b8a02000']), calls: 4 });
    expect(reproNoLongerShows(found, 4, { ...crashed, toEnd: false })).toBe(false);
  });

  it('at its call, a stop not of a violation there (a misuse detaching there): masked', () => {
    expect(reproNoLongerShows(found, 4, now({ firstAt: 6 }))).toBe(false);
  });

  it("its kind past the report's cap at that call could hide it: not gone", () => {
    const capped = now({ unlistedKinds: new Set(['return-mismatch']) });
    expect(reproNoLongerShows(found, 4, capped)).toBe(false);
    expect(reproNoLongerShows(found, 4, now({ unlistedKinds: new Set(['memory-mismatch']) }))).toBe(
      true,
    );
  });

  it('still listing the signature, or no call to judge by (no finding.json), or not told: not gone', () => {
    const still = now({ signatures: new Set([found.signature]) });
    expect(reproNoLongerShows(found, 4, still)).toBe(false);
    expect(reproNoLongerShows(found, undefined, now({}))).toBe(false);
    expect(reproNoLongerShows(found, 4, undefined)).toBe(false);
  });
});
