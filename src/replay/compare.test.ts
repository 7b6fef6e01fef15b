import { describe, expect, it } from 'vitest';
import type { Args } from '../model/values.js';
import { planOf, type CallPlan } from './callPlan.js';
import { compareOutcome } from './compare.js';

function plan(fn: string): CallPlan {
  const p = planOf(fn);
  if (p === undefined) throw new Error(`no plan for ${fn}`);
  return p;
}

const mapMemArgs: Args = {
  hwDeviceExtension: 0xffffe00000001000n,
  physicalAddress: 0xe0000000n,
  length: 4096,
  inIoSpace: 0,
  virtualAddress: 0n,
};
const mapMemOracle = { ret: 0, out: { length: 4096, virtualAddress: 0x1000n } };
const ctx = { modelArgs: mapMemArgs, singleElement: false };

describe('compareOutcome, a captured trace (absent = unrecorded)', () => {
  const mapMem = plan('VideoPortMapMemory');

  it('checks nothing the capture left out: no out, no ret, an out missing keys', () => {
    expect(compareOutcome(mapMem, mapMemOracle, { ret: 0 }, ctx, 'unrecorded')).toEqual([]);
    expect(compareOutcome(mapMem, mapMemOracle, { out: {} }, ctx, 'unrecorded')).toEqual([]);
    const partial = { ret: 0, out: { length: 4096 } };
    expect(compareOutcome(mapMem, mapMemOracle, partial, ctx, 'unrecorded')).toEqual([]);
  });

  it('checks every key it recorded, expected being the oracle and actual the trace', () => {
    const recorded = { out: { length: 4095 } };
    expect(compareOutcome(mapMem, mapMemOracle, recorded, ctx, 'unrecorded')).toEqual([
      { field: 'out.length', expected: '4096', actual: '4095' },
    ]);
    expect(compareOutcome(mapMem, mapMemOracle, { ret: 8 }, ctx, 'unrecorded')).toEqual([
      { field: 'ret', expected: '0', actual: '8' },
    ]);
  });

  it('for a target (absent = unwritten) a left-out value is still the entry value', () => {
    // The oracle wrote a view; a target answering without virtualAddress did not.
    expect(compareOutcome(mapMem, mapMemOracle, { ret: 0 }, ctx)).toEqual([
      { field: 'out.virtualAddress', expected: 'a new view (0x1000)', actual: 'NULL' },
    ]);
  });
});
