// The hostile values generation promises (docs/fuzzing.md): NULL, stale, foreign and wild
// handles, every InIoSpace bit combination, zero and huge DMA lengths. The campaign-level
// tests only see their effect in aggregate, so a generator that quietly stopped making one of
// them would pass them.
import { describe, expect, it } from 'vitest';
import { KITCHEN_DEVICE, kitchenSink } from '../../test/support/kitchenSink.js';
import { RESOURCE_SPACE, type ResourceKind } from '../model/callTypes.js';
import { describe as describeCall } from '../model/calls.js';
import { liveOf } from '../model/live.js';
import { Model } from '../model/model.js';
import { isStruct } from '../model/values.js';
import { decodeDesc, decodeResource, valuesFor } from './arbitraries.js';
import { WILD } from './program.js';
import { resolveSlot } from './resolve.js';

const kinds = Object.keys(RESOURCE_SPACE) as ResourceKind[];

describe('hostile values', () => {
  it('a hostile handle slot is NULL, stale, foreign or wild, each for some draw', () => {
    const seen = new Set<string>();
    for (let sub = 0; sub < 8; sub++) {
      const s = decodeResource('event', (sub << 13) | (1 << 10), 1024);
      if (s.s === 'hostile') seen.add(s.how);
    }
    expect([...seen].sort()).toEqual(['foreign', 'null', 'stale', 'wild']);
    // A list slot also names a started transfer not yet delivered (complete-before-execute).
    expect(decodeResource('sgList', 5 << 13, 1024)).toMatchObject({ how: 'early' });
    // Hostility 0: always a live handle of the kind asked for.
    expect(decodeResource('event', 3 << 13, 0)).toMatchObject({ s: 'live', res: 'event' });
  });

  it('a stale slot names a value of its kind that is no longer live, never a live one', () => {
    const m = new Model({ device: KITCHEN_DEVICE });
    const used = new Map<ResourceKind, Set<bigint>>();
    let stale = 0;
    for (const c of kitchenSink()) {
      m.step(c.fn, c.args);
      for (const res of kinds) {
        const live = new Set(liveOf(m.state, res).map((l) => l.v));
        const known = used.get(res) ?? new Set<bigint>();
        used.set(res, known);
        for (const v of live) known.add(v);
        const dead = [...known].filter((v) => !live.has(v));
        for (let pick = 0; pick < 3; pick++) {
          const slot = { s: 'hostile', how: 'stale', res, pick, wild: WILD } as const;
          const r = { state: m.state, used };
          const v = resolveSlot(r, slot, false, false);
          if (dead.length === 0) {
            // Nothing freed yet: asks for one to be freed, else a wild pointer, never NULL.
            expect(v).toBe(WILD);
            expect(resolveSlot(r, slot, false)).toEqual({ need: `dead:${res}` });
          } else {
            expect(dead).toContain(v);
            stale++;
          }
        }
      }
    }
    expect(stale).toBeGreaterThan(0); // the kitchen trace does free things
  });

  it('a foreign slot names a live object of another kind, never its own', () => {
    const m = new Model({ device: KITCHEN_DEVICE });
    let foreign = 0;
    for (const c of kitchenSink()) {
      m.step(c.fn, c.args);
      for (const res of ['adapter', 'mdl', 'event', 'sgList'] as const) {
        const own = new Set(liveOf(m.state, res).map((l) => l.v));
        for (let pick = 0; pick < 8; pick++) {
          const slot = { s: 'hostile', how: 'foreign', res, pick, wild: WILD } as const;
          const v = resolveSlot({ state: m.state, used: new Map() }, slot, true);
          expect(typeof v).toBe('bigint');
          expect(own.has(v as bigint)).toBe(false);
          if (v !== WILD) foreign++;
        }
      }
    }
    expect(foreign).toBeGreaterThan(0);
  });

  it('InIoSpace takes every combination of its four bits, and all bits set', () => {
    const arg = describeCall('VideoPortMapDmaMemory')?.args.find((a) => a.name === 'inIoSpace');
    expect(arg).toBeDefined();
    if (arg === undefined) return;
    const values = new Set(valuesFor(arg));
    for (let bits = 0; bits < 16; bits++) expect(values).toContain(bits);
    expect(values).toContain(arg.type === 'u8' ? 0xff : 0xffffffff);
  });

  it('a DEVICE_DESCRIPTION asks for a zero and a huge MaximumLength, among others', () => {
    const lengths = new Set<unknown>();
    for (let x = 1; x < 1 << 10; x++) {
      const d = decodeDesc(x);
      if (isStruct(d)) lengths.add(d['maximumLength']);
    }
    expect(lengths).toContain(0);
    expect(lengths).toContain(0xffffffff);
  });
});
