// An in-flight transfer changed during an obsolete call, in a field the reference state()
// once left out (offset, its map registers, its scatter/gather list): reported at that call
// as transfer-state-changed, not calls later as a memory-mismatch where data moves, or never.
import { describe, expect, it } from 'vitest';
import type { Transfer } from '../model/state.js';
import { driver, getAdapter, lockPool, mapDmaArgs, startDma } from '../model/testDevice.js';
import { emptyHeader } from '../trace/trace.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import type { Target } from './target.js';

type Change = (t: Transfer) => Transfer;

/** The model target, whose VideoPortMapDmaMemory changes its first transfer by `change`. */
function changingTarget(change: Change): Target {
  const { device, profile } = driver().model.state;
  const t = createModelTargetSync({ device, profile });
  const call = t.call.bind(t);
  return {
    ...t,
    call: (c) => {
      const o = call(c);
      const s = t.model.state;
      const first = s.transfers.values().next();
      if (c.fn === 'VideoPortMapDmaMemory' && first.done !== true) {
        s.transfers.set(first.value.sgList, change(first.value));
        s.bump();
      }
      return o;
    },
  };
}

/** GetDmaAdapter, LockBuffer's pool, StartDma (pending), MapDmaMemory: call 4. */
function trace() {
  const r = driver();
  const adapter = getAdapter(r);
  const { mdl } = lockPool(r, 0x3000);
  startDma(r, adapter, mdl, { offset: 0x100, length: 0x2000, writeToDevice: true });
  r.call('VideoPortMapDmaMemory', mapDmaArgs());
  return r.calls;
}

describe('a transfer changed during an obsolete call', () => {
  const cases: readonly [string, Change, RegExp][] = [
    [
      'its offset',
      (t) => ({ ...t, offset: t.offset + 1 }),
      /: \{offset=256, .* became \{offset=257, /,
    ],
    [
      'its map-register count',
      (t) => ({ ...t, mapRegisters: t.mapRegisters + 1 }),
      /mapRegisters=3/,
    ],
    ['its first map register', (t) => ({ ...t, firstRegister: 5 }), /firstRegister=5/],
    [
      'an element of its scatter/gather list',
      (t) => ({ ...t, elements: t.elements.map((e) => ({ ...e, length: e.length - 1 })) }),
      /became \{elements=\[/,
    ],
  ];

  it.each(cases)('%s: transfer-state-changed at that call', async (_what, change, shown) => {
    const calls = trace();
    const res = await replayTrace(emptyHeader(), calls, changingTarget(change));
    expect(calls[4]?.fn).toBe('VideoPortMapDmaMemory');
    const v = res.violations[0];
    expect(v?.kind).toBe('transfer-state-changed');
    expect(v?.callIndex).toBe(4);
    expect(v?.field).toBe('state.transfers');
    expect(v?.message).toMatch(shown);
  });

  it('an untouched transfer is no change', async () => {
    const res = await replayTrace(
      emptyHeader(),
      trace(),
      changingTarget((t) => ({ ...t })),
    );
    expect(res.violations).toEqual([]);
  });
});
