// A byte an obsolete call changed and left out of touched(), far from the sample and the edges
// of what its arguments name: found before the memory holding it is freed (the final sweep
// never sees freed memory), at the freeing call, naming the obsolete call; once detached, found
// at the obsolete call itself (a full comparison, as without touched()). And the memory a call
// frees is always among what freeSweep.ts compares before it.
import { describe, expect, it } from 'vitest';
import type { Profile } from '../model/device.js';
import { resolveDevice } from '../model/device.js';
import { Recorder } from '../model/recorder.js';
import type { CpuRange } from '../model/ranges.js';
import {
  allocateCommon,
  allocatePool,
  commonBuf,
  deviceBaseArgs,
  getAdapter,
  mapDmaArgs,
  releaseCommon,
} from '../model/testDevice.js';
import { bundledCorpusDir, readCorpusDir } from '../store/corpus.js';
import { emptyHeader } from '../trace/trace.js';
import { planOf } from './callPlan.js';
import { releasedSpans, RELEASING_CPU_FNS } from './freeSweep.js';
import { createModelTargetSync } from './modelTarget.js';
import { Replayer } from './replay.js';
import { replayTrace } from './replayTrace.js';
import type { Target } from './target.js';
import { translateArgs } from './translate.js';

/** Far from the start (the sample) and the edges (256 bytes) of a 64 KiB range. */
const silentAt = 0x8003n;
const bytes = 0x10000;

/**
 * The model target with touched(), whose MapDmaMemory flips the byte at `at()` + silentAt and
 * leaves it out of touched() (a port whose write tracking misses one path).
 */
function omitting(at: () => bigint): Target {
  const inner = createModelTargetSync({ device: resolveDevice({}), profile: 'docs' });
  return {
    call(c) {
      const o = inner.call(c);
      if (c.fn !== 'VideoPortMapDmaMemory') return o;
      const va = at() + silentAt;
      const data = Uint8Array.of((inner.model.read(va, 1)?.[0] ?? 0) ^ 0x5a);
      inner.model.step('@write', { va, data });
      inner.model.touched();
      return o;
    },
    read: (address, length) => inner.read(address, length),
    state: () => inner.state?.() ?? {},
    touched: () => inner.model.touched(),
  };
}

type Memory = 'common buffer' | 'view' | 'pool';

/** `what` allocated, (`misuseFirst`: a bogus FreePool), MapDmaMemory, `what` freed if `free`. */
function trace(what: Memory, free: boolean, misuseFirst = false): { r: Recorder; va: bigint } {
  const r = new Recorder({}, false);
  const adapter = getAdapter(r);
  if (misuseFirst) r.call('VideoPortFreePool', { ptr: 0xffffa00000777000n });
  let va: bigint;
  let release: () => unknown;
  if (what === 'common buffer') {
    const b = commonBuf(allocateCommon(r, adapter, bytes), bytes, false);
    va = b.va;
    release = () => releaseCommon(r, adapter, b);
  } else if (what === 'view') {
    const v = r.ptr('VideoPortGetDeviceBase', deviceBaseArgs(bytes));
    va = v;
    release = () => r.call('VideoPortFreeDeviceBase', { mappedAddress: v });
  } else {
    const p = allocatePool(r, bytes);
    va = p;
    release = () => r.call('VideoPortFreePool', { ptr: p });
  }
  r.call('VideoPortMapDmaMemory', mapDmaArgs());
  if (free) release();
  return { r, va };
}

/** The trace replayed against `omitting`, its one range as the target holds it corrupted. */
async function found(what: Memory, free: boolean, misuseFirst = false, paranoid = false) {
  const { r, va } = trace(what, free, misuseFirst);
  // A model target answers the same addresses as the recording's model.
  const target = omitting(() => va);
  const got = await replayTrace(emptyHeader(), r.calls, target, { paranoid });
  return got.violations.map((v) => ({
    at: `${v.callIndex} ${v.fn} ${v.kind}`,
    message: v.message,
  }));
}

describe('a byte an obsolete call changed outside touched()', () => {
  const cases: [Memory, string][] = [
    ['common buffer', 'VideoPortReleaseCommonBuffer'],
    ['view', 'VideoPortFreeDeviceBase'],
    ['pool', 'VideoPortFreePool'],
  ];
  for (const [what, freeFn] of cases) {
    it(`in a ${what} freed before the trace ends: found at ${freeFn}, naming the obsolete call`, async () => {
      const v = await found(what, true);
      expect(v.map((x) => x.at)).toEqual([`3 ${freeFn} memory-mismatch`]);
      expect(v[0]?.message).toContain(`found before ${freeFn} released it`);
      expect(v[0]?.message).toContain(
        'obsolete calls checked only by sample while it was live: VideoPortMapDmaMemory (call 2)',
      );
      // --paranoid finds it where it was made, as before.
      expect((await found(what, true, false, true)).map((x) => x.at)).toEqual([
        '2 VideoPortMapDmaMemory memory-corrupted',
      ]);
    });
  }

  it('still live at the end: the final sweep names the obsolete call', async () => {
    const v = await found('common buffer', false);
    expect(v.map((x) => x.at)).toEqual(['2 VideoPortMapDmaMemory memory-mismatch']);
    expect(v[0]?.message).toContain('found by the final sweep of all live memory');
    expect(v[0]?.message).toContain('while it was live: VideoPortMapDmaMemory (call 2)');
  });

  it('once detached (a misuse first): found at the obsolete call, by a full comparison', async () => {
    for (const free of [false, true]) {
      const v = await found('common buffer', free, true);
      expect(v.map((x) => x.at)).toEqual(['3 VideoPortMapDmaMemory memory-corrupted']);
      expect(v[0]?.message).toContain('(full comparison)');
    }
  });
});

describe('what a call frees is compared before it', () => {
  it('the releasing functions of CPU memory come from the call table', () => {
    expect([...RELEASING_CPU_FNS].sort()).toEqual([
      'VideoPortFreeCommonBuffer',
      'VideoPortFreeDeviceBase',
      'VideoPortFreePool',
      'VideoPortReleaseBuffer',
      'VideoPortReleaseCommonBuffer',
      'VideoPortUnmapMemory',
    ]);
  });

  // Every range any corpus call ends, under both profiles, was among releasedSpans before it:
  // a free the prediction missed would die unread.
  for (const profile of ['docs', 'reactos'] as Profile[]) {
    it(`over the corpus (${profile})`, async () => {
      const files = await readCorpusDir(bundledCorpusDir(), () => undefined);
      let died = 0;
      for (const f of files) {
        const target = createModelTargetSync({
          device: resolveDevice(f.trace.header.device),
          profile,
        });
        const r = new Replayer(f.trace.header, target, { profile });
        for (const call of f.trace.calls) {
          const plan = planOf(call.fn);
          if (plan === undefined) continue;
          const modelArgs = translateArgs(r.book, plan, call.args, 'trace', 'model');
          const predicted = releasedSpans(r.model, call.fn, modelArgs);
          const before = new Set<CpuRange>(r.model.liveRanges());
          if ((await r.step(call)) !== true) break;
          const after = new Set<CpuRange>(r.model.liveRanges());
          for (const x of before) {
            if (after.has(x) || x.kind === 'lockedList') continue;
            if (r.model.state.ranges.at(x.va) !== undefined) continue; // grown in place
            died++;
            expect(predicted, `${f.name} ${call.fn}`).toContainEqual({
              address: x.va,
              length: x.length,
            });
          }
        }
      }
      expect(died).toBeGreaterThan(10);
    });
  }
});
