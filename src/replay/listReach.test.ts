// A later call over the scatter/gather list LockPages returned, whose size is the
// implementation's: a correct target whose list is shorter than the oracle's is not judged on
// bytes its list does not have (the replay detaches there), and everything its list does have
// is compared as before. The target is the model with the alternate layout: its physical pages
// run the other way, so the 10,240-byte user buffer below is one run (a 40-byte list) where the
// oracle's is three (88 bytes).
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { isStruct, type CallOutcome, type TraceCall } from '../model/values.js';
import { parseText } from '../trace/textParse.js';
import { Explainer } from './explain.js';
import { createModelTargetSync } from './modelTarget.js';
import { createMutantTarget, findMutant } from './mutants.js';
import type { ReplayOptions, ReplayResult } from './replayTypes.js';
import { replayTrace } from './replayTrace.js';
import type { Target } from './target.js';

const EXT = 'hwDeviceExtension=0xffffe00000001000';
const LIST = 0xffffa00000000000n; // the oracle's list (the trace names values as the oracle's)
const LOCK_PAGES = `VideoPortLockPages(${EXT}, pVrp={ioControlCode=0, statusBlock=0x0, inputBuffer=0x1230100, inputBufferLength=10240, outputBuffer=0x0, outputBufferLength=0}, pUEvent=0x0, pDisplayEvent=0x0, dmaFlags=3)`;
const hex = (v: bigint): string => `0x${v.toString(16)}`;
const lockBuffer = (at: bigint, length: number): string =>
  `VideoPortLockBuffer(${EXT}, baseAddress=${hex(at)}, length=${length}, operation=2)`;

function trace(...lines: string[]) {
  const parsed = parseText(['#! vpdma-trace v1 profile=docs', LOCK_PAGES, ...lines].join('\n'));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

type Layout = 'default' | 'alternate';
const target = (layout: Layout): Target =>
  createModelTargetSync({ device: resolveDevice({}), profile: 'docs', layout });

/** The target's and the oracle's OutputBufferLength from LockPages, and the replay's result. */
async function replay(
  lines: string[],
  t: Target = target('alternate'),
  options: ReplayOptions = {},
): Promise<{ sizes: number[]; result: ReplayResult; why: string[] }> {
  const tr = trace(...lines);
  const sizes: number[] = [];
  const why: string[] = [];
  const result = await replayTrace(tr.header, tr.calls, t, {
    ...options,
    onStep: (fn, stepped, model, answer) => {
      options.onStep?.(fn, stepped, model, answer);
      if (fn !== 'VideoPortLockPages') return;
      for (const a of [answer, stepped]) {
        const vrp = a.out?.['pVrp'];
        sizes.push(isStruct(vrp) ? Number(vrp['outputBufferLength']) : -1);
      }
    },
    onDetach: (i, by, detail) => {
      options.onDetach?.(i, by, detail);
      why.push(`${i} ${by}: ${detail ?? ''}`);
    },
  });
  return { sizes, result, why };
}

const kinds = (r: ReplayResult): string[] => r.violations.map((v) => `${v.kind} #${v.callIndex}`);

describe('a call reaching into a scatter/gather list the target sized differently', () => {
  it('LockBuffer of the oracle’s whole list: not judged past the target’s list (the probe’s repro)', async () => {
    const { sizes, result, why } = await replay([lockBuffer(LIST, 88)]);
    expect(sizes).toEqual([40, 88]); // the fixture: target 1 element, oracle 3 (x64 layout)
    expect(kinds(result)).toEqual([]);
    expect(result.outcome).toBe('pass');
    expect(result.detachedAt).toBe(1);
    expect(result.detachedBy).toBe('latitude');
    expect(why).toEqual([
      "1 latitude: it reaches byte 87 of a scatter/gather list whose size is the implementation's; the target's holds 40 bytes, the oracle's 88",
    ]);
  });

  it('an interior address past the target’s end (model:alternate’s own finding) is not judged either', async () => {
    const { result } = await replay([lockBuffer(LIST + 0x30n, 1)]);
    expect(kinds(result)).toEqual([]);
    expect(result.detachedBy).toBe('latitude');
  });

  it('within the target’s list the call is compared as any other, and a wrong answer is found', async () => {
    const fine = await replay([lockBuffer(LIST, 40), lockBuffer(LIST + 8n, 32)]);
    expect(kinds(fine.result)).toEqual([]);
    expect(fine.result.detachedAt).toBeUndefined();
    // A target that fails every LockBuffer is still a return-mismatch there.
    const t = target('alternate');
    const broken: Target = {
      ...t,
      call: (c: TraceCall): CallOutcome =>
        c.fn === 'VideoPortLockBuffer' ? { ret: 0n } : (t.call(c) as CallOutcome),
    };
    const bad = await replay([lockBuffer(LIST, 40)], broken);
    expect(kinds(bad.result)).toEqual(['return-mismatch #1']);
    expect(bad.result.detachedBy).toBe('divergence');
  });

  it('a @write past the target’s end detaches; one within it does not', async () => {
    const write = (at: bigint, n: number): string =>
      `@write(va=${hex(at)}, data=x"${'ab'.repeat(n)}")`;
    const past = await replay([write(LIST + 32n, 16)]);
    expect(kinds(past.result)).toEqual([]);
    expect(past.result.detachedBy).toBe('latitude');
    const within = await replay([write(LIST + 24n, 16), lockBuffer(LIST, 40)]);
    expect(kinds(within.result)).toEqual([]);
    expect(within.result.detachedAt).toBeUndefined();
  });

  it('a LockPages of the list past the target’s end detaches', async () => {
    const again = LOCK_PAGES.replace('inputBuffer=0x1230100', `inputBuffer=${hex(LIST)}`).replace(
      'inputBufferLength=10240',
      'inputBufferLength=64',
    );
    const { result } = await replay([again]);
    expect(kinds(result)).toEqual([]);
    expect(result.detachedBy).toBe('latitude');
  });

  it('past the oracle’s end too, the oracle judges it: misuse, as before', async () => {
    const { result } = await replay([lockBuffer(LIST, 89)]);
    expect(result.detachedBy).toBe('misuse');
  });

  it('a @read past the target’s end is not compared and compares on after it', async () => {
    const { result } = await replay([
      `@read(va=${hex(LIST + 40n)}, length=48)`,
      lockBuffer(LIST, 40),
    ]);
    expect(kinds(result)).toEqual([]);
    expect(result.detachedAt).toBeUndefined();
  });

  it('a target whose list is the oracle’s size is compared all the way', async () => {
    const { sizes, result } = await replay([lockBuffer(LIST, 88)], target('default'));
    expect(sizes).toEqual([88, 88]);
    expect(kinds(result)).toEqual([]);
    expect(result.detachedAt).toBeUndefined();
  });

  it('--explain says why the oracle stopped being compared', async () => {
    const out: string[] = [];
    const ex = new Explainer(
      'repro.txt',
      () => undefined,
      (t) => void out.push(t),
    );
    const { result } = await replay([lockBuffer(LIST, 88)], target('alternate'), ex.hooks());
    ex.end(result);
    expect(out.join('')).toContain(
      "  (the oracle cannot judge the target at call 1 (it reaches byte 87 of a scatter/gather list whose size is the implementation's; the target's holds 40 bytes, the oracle's 88): after it the oracle's answers are shown but no longer compared",
    );
  });
});

describe('a transfer of a scatter/gather list’s bytes to the device', () => {
  // From model:alternate's fuzz finding (seed 61, case 891): a list locked with LockBuffer and
  // sent to the frame buffer (0xe0000000, under a view) or to the mmio aperture (0xf0000000,
  // mapped only afterwards). Both lists are 40 bytes, but the physical addresses they hold
  // are each implementation's own.
  const transfer = (device: string, after: string[]): string =>
    [
      '#! vpdma-trace v1 profile=docs',
      `VideoPortAllocatePool(${EXT}, poolType=0, numberOfBytes=4096, tag=1634550870)`,
      LOCK_PAGES.replace('inputBuffer=0x1230100', 'inputBuffer=0xffffa00000000648').replace(
        'inputBufferLength=10240',
        'inputBufferLength=64',
      ),
      lockBuffer(0xffffa00000002000n, 40),
      `VideoPortGetDeviceBase(${EXT}, ioAddress=0xe0000000, numberOfUchars=4096, inIoSpace=0)`,
      `VideoPortGetDmaAdapter(${EXT}, vpDeviceDescription={scatterGather=false, dma32BitAddresses=false, dma64BitAddresses=false, maximumLength=1048576})`,
      `VideoPortStartDma(${EXT}, vpDmaAdapter=0xffffe00010000200, mdl=0xffffe00010000100, offset=0, pLength=4096, executeDmaRoutine=0xfffff80000a01000, context=0x0, writeToDevice=true)`,
      '@executeDma(vpDmaAdapter=0xffffe00010000200)',
      `@deviceDma(sgList=0xffffe00010000300, deviceAddress=${device})`,
      ...after,
    ].join('\n');
  const TO_VIEW = transfer('0xe0000000', ['@read(va=0xffffc00000000000, length=64)']);
  const TO_UNMAPPED = transfer('0xf0000000', [
    `VideoPortGetDeviceBase(${EXT}, ioAddress=0xf0000000, numberOfUchars=4096, inIoSpace=0)`,
  ]);

  async function run(text: string, t: Target): Promise<ReplayResult> {
    const parsed = parseText(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    return replayTrace(parsed.value.header, parsed.value.calls, t);
  }

  it.each([
    ['into a view', TO_VIEW],
    ['into device memory mapped only later (found by the final sweep before)', TO_UNMAPPED],
  ])('%s: the oracle stops being compared there when the lists’ bytes differ', async (_, text) => {
    const r = await run(text, target('alternate'));
    expect(kinds(r)).toEqual([]);
    expect([r.detachedAt, r.detachedBy]).toEqual([7, 'latitude']);
    // A target whose lists hold the oracle's bytes is compared all the way.
    const same = await run(text, target('default'));
    expect(kinds(same)).toEqual([]);
    expect(same.detachedAt).toBeUndefined();
  });

  it('a transfer from an ordinary buffer that loses a byte is still a memory-mismatch', async () => {
    const bug = findMutant('devicedma-drops-last-byte');
    if (bug === undefined) throw new Error('no such mutant');
    // The pool block's first 40 bytes go instead, its last one written first so it shows.
    const text = TO_VIEW.replace(
      lockBuffer(0xffffa00000002000n, 40),
      `@write(va=0xffffa00000000027, data=x"5a")\n${lockBuffer(0xffffa00000000000n, 40)}`,
    );
    const t = createMutantTarget(bug, { device: resolveDevice({}), profile: 'docs' });
    expect(kinds(await run(text, t))).toEqual(['memory-mismatch #8']); // at the @deviceDma
    // And the same transfer against a correct target passes, compared all the way.
    const r = await run(text, target('alternate'));
    expect(kinds(r)).toEqual([]);
    expect(r.detachedAt).toBeUndefined();
  });
});
