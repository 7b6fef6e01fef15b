import { describe, expect, it } from 'vitest';
import { ReportShapeError } from '../core/reportShapeError.js';
import { fuzzTarget } from '../cli/fuzzTarget.js';
import { CALLS } from '../model/calls.js';
import { resolveDevice } from '../model/device.js';
import { Model } from '../model/model.js';
import { createModelTarget } from '../replay/modelTarget.js';
import { bundledCorpusDir, readCorpusDir } from '../store/corpus.js';
import { buildBase } from './base.js';
import { stateShape } from './coverage.js';
import {
  branchCount,
  branchOfLabel,
  mergeReached,
  reachedLabel,
  reachedLines,
  reachedTable,
  shapeName,
  unreached,
} from './reached.js';

describe('the reached table', () => {
  it('groups labels by function in table order: branches, misuse apart, states; sorted', () => {
    const t = reachedTable([
      'VideoPortPutDmaAdapter|ok|idle',
      'VideoPortGetDmaAdapter|ok|adapter',
      'VideoPortPutDmaAdapter|double-put!|adapter+mdl',
      'VideoPortPutDmaAdapter|alpha!|idle',
      'VideoPortNoSuchThing|ok|idle',
      'no bars at all',
    ]);
    expect(Object.keys(t)).toEqual(['VideoPortGetDmaAdapter', 'VideoPortPutDmaAdapter']);
    expect(t['VideoPortPutDmaAdapter']).toEqual({
      branches: ['ok'],
      misuse: ['alpha', 'double-put'],
      states: ['adapter+mdl', 'idle'],
    });
  });

  it('names a state by what is live, in stateShape bit order', () => {
    expect(shapeName(0)).toBe('idle');
    expect(shapeName(1 | 4 | 8)).toBe('adapter+mdl+transfer-pending');
    expect(shapeName(256 | 1)).toBe('adapter+two-adapters');
  });

  it('merges tables by union, and refuses a damaged one with a ReportShapeError', () => {
    const a = reachedTable(['VideoPortGetDmaAdapter|ok|adapter', '@write|ok|idle']);
    const b = reachedTable(['VideoPortGetDmaAdapter|limit|adapter+two-adapters']);
    expect(mergeReached([a, b])).toEqual(
      reachedTable([
        'VideoPortGetDmaAdapter|ok|adapter',
        '@write|ok|idle',
        'VideoPortGetDmaAdapter|limit|adapter+two-adapters',
      ]),
    );
    const damaged = { VideoPortGetDmaAdapter: { branches: 'ok', misuse: [], states: [] } };
    expect(() => mergeReached([damaged as never])).toThrow(/reached.VideoPortGetDmaAdapter/);
    const numbers = { VideoPortGetDmaAdapter: { branches: [1], misuse: [], states: [] } };
    const shapeError = (f: () => unknown): unknown => {
      try {
        f();
      } catch (e) {
        return ReportShapeError.is(e) ? e.message : e;
      }
      return 'nothing thrown';
    };
    expect(shapeError(() => mergeReached([numbers as never]))).toMatch(/^reached\.Video/);
    expect(shapeError(() => mergeReached([null as never]))).toBe(
      'reached is not a table of functions',
    );
    const nullFn = { VideoPortGetDmaAdapter: null };
    expect(shapeError(() => mergeReached([nullFn as never]))).toMatch(/^reached\.Video/);
  });

  it('lists the functions never reached, without memory events or disabled ones', () => {
    const t = reachedTable(['VideoPortGetDmaAdapter|ok|adapter', '@write|ok|idle']);
    const never = unreached(t, ['VideoPortDoDma']);
    const functions = CALLS.filter((c) => !c.fn.startsWith('@')).length;
    expect(never).toHaveLength(functions - 2);
    expect(never).not.toContain('VideoPortGetDmaAdapter');
    expect(never).not.toContain('VideoPortDoDma');
    expect(never.some((f) => f.startsWith('@'))).toBe(false);
  });

  it('says how much was reached, and names what never was or only by misuse', () => {
    const t = reachedTable([
      'VideoPortGetDmaAdapter|ok|adapter',
      'VideoPortPutDmaAdapter|double-put!|idle',
      'VideoPortMapDmaMemory|null|adapter',
    ]);
    expect(reachedLines(t, ['VideoPortDoDma'])).toEqual([
      'reached 3 of 4 functions, 3 model branches (1 of them misuse); VideoPortMapDmaMemory called in 1 of the 2 live states met',
      'never reached: VideoPortDoDma',
      'reached only by misuse: VideoPortPutDmaAdapter',
    ]);
    // MapDmaMemory neither reached nor never reached: --disable'd, so no word about its states.
    expect(reachedLines(reachedTable(['@write|ok|idle']), [])).toEqual([
      'reached 0 of 0 functions, 1 model branch (0 of them misuse)',
    ]);
    expect(reachedLines(reachedTable(['@write|ok|idle']), ['VideoPortMapDmaMemory'])[0]).toBe(
      'reached 0 of 1 function, 1 model branch (0 of them misuse); VideoPortMapDmaMemory called in 0 of the 1 live state met',
    );
  });
});

describe('model branches', () => {
  it("are a label's function and branch, misuse apart, whatever the state; a table counts them", () => {
    const labels = [
      'VideoPortPutDmaAdapter|ok|idle',
      'VideoPortPutDmaAdapter|ok|adapter+mdl',
      'VideoPortPutDmaAdapter|double-put!|adapter',
      'VideoPortPutDmaAdapter|double-put|adapter',
      '@write|ok|view',
      'VideoPortNoSuchThing|ok|idle',
      'no bars at all',
      'VideoPortGetDmaAdapter|no-state',
    ];
    expect(labels.map(branchOfLabel)).toEqual([
      'VideoPortPutDmaAdapter|ok',
      'VideoPortPutDmaAdapter|ok',
      'VideoPortPutDmaAdapter|double-put!',
      'VideoPortPutDmaAdapter|double-put',
      '@write|ok',
      undefined,
      undefined,
      undefined,
    ]);
    // The progress counts branchOfLabel's, the report the table's: the same figure.
    expect(branchCount(reachedTable(labels))).toBe(4);
    expect(branchCount(reachedTable([]))).toBe(0);
  });
});

describe("a campaign's reached table", () => {
  it('is what the base corpus and the kept cases reach when stepped on a fresh model', async () => {
    const disabled = ['VideoPortMapBankedMemory'];
    const r = await fuzzTarget(createModelTarget, { seed: 11, runs: 120, callsMax: 32, disabled });
    expect(r.kept.length).toBeGreaterThan(0);
    // The campaign labels keys where its workers step the oracle; here the same calls are
    // stepped again on models of their own, from the traces it kept.
    const bundled = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
    const labels = new Set(buildBase(bundled, 32, undefined, disabled).reached);
    for (const t of r.kept) {
      const m = new Model({
        device: resolveDevice(t.header.device),
        profile: t.header.profile ?? 'docs',
      });
      for (const c of t.calls)
        labels.add(reachedLabel(c.fn, m.step(c.fn, c.args), stateShape(m.state)));
    }
    expect(r.reached).toEqual(reachedTable(labels));
    expect(r.branches).toBe(branchCount(reachedTable(labels)));
    expect(r.branches).toBeLessThan(r.coverage);
    expect(Object.hasOwn(r.reached, 'VideoPortMapBankedMemory')).toBe(false);
    expect(r.unreached).not.toContain('VideoPortMapBankedMemory');
    expect(r.reached['VideoPortMapDmaMemory']?.states.length).toBeGreaterThan(1);
  });
});
