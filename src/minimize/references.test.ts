import { describe, expect, it } from 'vitest';
import { ALTERNATE_LAYOUT } from '../model/layout.js';
import { Recorder } from '../model/recorder.js';
import { kitchenSink, KITCHEN_DEVICE } from '../../test/support/kitchenSink.js';
import { emptyHeader, type Trace } from '../trace/trace.js';
import { chainOf, dependents, link, type Linked } from './references.js';
import { smallTrace } from '../../test/support/testTraces.js';

const refsOf = (l: Linked): string[] =>
  l.calls.flatMap((c, i) =>
    c.refs.map((r) => `${i}.${r.path} -> ${r.from.call}.${r.from.at}+0x${r.offset.toString(16)}`),
  );

describe('link', () => {
  it('resolves handles, range bases, interior addresses and VRP fields by value', () => {
    expect(refsOf(link(smallTrace()))).toEqual([
      '2.vpDmaAdapter -> 1.ret+0x0',
      '3.va -> 2.ret+0x10',
      '4.pVrp.inputBuffer -> 0.ret+0x0',
      '4.virtualAddress -> 2.ret+0x0',
      '5.ptr -> 0.ret+0x0',
    ]);
  });

  it('finds the same references in a captured trace and in its generated-style twin', () => {
    const sink = (captured: boolean): Trace => ({
      header: { ...emptyHeader(), device: KITCHEN_DEVICE },
      calls: kitchenSink(captured),
    });
    const generated = refsOf(link(sink(false)));
    expect(refsOf(link(sink(true)))).toEqual(generated);
    // An opaque pointer into a live range (StartDma's context) refers to it, as replay sees it.
    expect(generated).toContain('7.context -> 3.ret+0x0');
    expect(generated).toContain('13.sgList -> 12.out.sgList+0x0');
    expect(generated).toContain('5.va -> 3.ret+0x3fe0');
  });

  it('names productions by their recorded values, whatever the oracle allocates', () => {
    // Captured from a system that allocates elsewhere: the oracle's own addresses differ.
    const r = new Recorder({ layout: 'alternate' }, true);
    const pool = r.ptr('VideoPortAllocatePool', { poolType: 0, numberOfBytes: 0x100, tag: 1 });
    r.call('@write', { va: pool + 8n, data: new Uint8Array([7]) });
    expect(pool >> 40n).toBe(ALTERNATE_LAYOUT.kernelVaBase >> 40n);
    const l = link({ header: emptyHeader(), calls: r.calls });
    expect(refsOf(l)).toEqual(['1.va -> 0.ret+0x8']);
    expect(l.calls[0]?.names.get('ret')).toBe(pool);
  });

  it('leaves unknown values alone: NULL, wild pointers, bus addresses', () => {
    const l = link({
      header: emptyHeader(),
      calls: [
        { fn: '@read', args: { va: 0x1234n, length: 4 } },
        { fn: 'VideoPortUnlockBuffer', args: { hwDeviceExtension: 0n, mdl: 0n } },
      ],
    });
    expect(refsOf(l)).toEqual([]);
  });
});

describe('dependents and chainOf', () => {
  const l = link(smallTrace());

  it('dependents are the transitive consumers, not counting the removed calls', () => {
    expect([...dependents(l, new Set([1]))]).toEqual([2, 3, 4]);
    expect([...dependents(l, new Set([0]))]).toEqual([4, 5]);
    expect([...dependents(l, new Set([3, 5]))]).toEqual([]);
  });

  it('chainOf is the call and its transitive producers', () => {
    expect([...chainOf(l, 4)].sort()).toEqual([0, 1, 2, 4]);
    expect([...chainOf(l, 3)].sort()).toEqual([1, 2, 3]);
    expect([...chainOf(l, 0)]).toEqual([0]);
  });
});
