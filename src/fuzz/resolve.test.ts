// livePick names the same object as indexing the full live list, for every kind, all along
// generated cases (so the shortcut cannot change what a seed generates).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RESOURCE_SPACE, type ResourceKind } from '../model/callTypes.js';
import { Model } from '../model/model.js';
import { KITCHEN_DEVICE, kitchenSink } from '../../test/support/kitchenSink.js';
import { emptyHeader } from '../trace/trace.js';
import { buildBase } from './base.js';
import { generateCase } from './caseGen.js';
import { liveOf } from '../model/live.js';
import { livePick } from './resolve.js';

const kinds = Object.keys(RESOURCE_SPACE) as ResourceKind[];
const kitchen = { ...emptyHeader(), device: KITCHEN_DEVICE };
const base = buildBase([{ name: 'kitchen', trace: { header: kitchen, calls: kitchenSink() } }], 64);

describe('livePick', () => {
  it('equals liveOf(kind)[pick % count] after every call of generated cases', () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(fc.nat(), fc.nat(100_000), fc.nat(), (seed, index, pick) => {
        const ctx = { seed, seedText: String(seed), callsMax: 48, base: base.entries };
        const t = generateCase(ctx, index);
        const m = new Model({ device: t.header.device });
        for (const c of t.calls) {
          m.step(c.fn, c.args);
          for (const res of kinds) {
            const list = liveOf(m.state, res);
            if (list.length > 0) nonEmpty++;
            expect(livePick(m.state, res, pick)).toEqual(
              list.length === 0 ? undefined : list[pick % list.length],
            );
          }
        }
      }),
      { numRuns: 40 },
    );
    expect(nonEmpty).toBeGreaterThan(0); // the cases did hold live objects
  });
});
