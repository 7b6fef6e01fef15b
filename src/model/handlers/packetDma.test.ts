// D. VideoPortStartDma / CompleteDma and the events that drive them (@executeDma, @deviceDma).
import { describe, expect, it } from 'vitest';
import { ERROR_NOT_ENOUGH_MEMORY, NO_ERROR } from '../../core/constants.js';
import { censusCounts, censusOf } from '../census.js';
import { PROFILES } from '../device.js';
import type { Recorder } from '../recorder.js';
import {
  DMA_CONTEXT,
  dmaCycle,
  driver,
  FRAMEBUFFER,
  getAdapter,
  lockPool,
  mapFramebuffer,
  pattern,
  read,
  startArgs,
  startDma,
  tinyDevice,
  WILD_VA,
  write,
} from '../testDevice.js';

const execute = (r: Recorder, adapter: bigint) => r.call('@executeDma', { vpDmaAdapter: adapter });
const complete = (r: Recorder, adapter: bigint, sgList: bigint, writeToDevice = true) =>
  r.call('VideoPortCompleteDma', { vpDmaAdapter: adapter, vpScatterGather: sgList, writeToDevice });

describe('VideoPortStartDma (docs)', () => {
  it('grants the request, writes *pLength and leaves a pending transfer', () => {
    const r = driver('docs');
    const a = getAdapter(r);
    const { mdl } = lockPool(r, 0x3000);
    const got = startDma(r, a, mdl, { offset: 0x800, length: 0x2000, writeToDevice: true });
    expect(got).toEqual({ ret: NO_ERROR, branch: 'ok', out: { pLength: 0x2000 } });
    const live = r.model.liveState();
    expect(live.transfers).toEqual([
      expect.objectContaining({ adapter: a, mdl, length: 0x2000, state: 'pending' }),
    ]);
    expect(live.transfers[0]?.writeToDevice).toBe(true);
    // 0x800 into a page, 0x2000 bytes: three map registers.
    expect(live.adapters[0]?.mapRegistersUsed).toBe(3);
    expect(live.mdls[0]?.inFlight).toBe(1);
  });

  it('transfers from byte Offset of the buffer', () => {
    const r = driver('docs');
    const a = getAdapter(r);
    const { va, mdl } = lockPool(r, 0x3000);
    const data = pattern(0x3000, 5);
    write(r, va, data);
    const fb = mapFramebuffer(r, 0x10000);
    dmaCycle(r, a, mdl, { offset: 0x801, length: 0x1234, writeToDevice: true });
    expect(read(r, fb, 0x1234)).toEqual(data.subarray(0x801, 0x801 + 0x1234));
    expect(read(r, fb + 0x1234n, 16)).toEqual(new Uint8Array(16));
  });

  it('splits at the map-register limit and frees the registers on CompleteDma', () => {
    const r = driver('docs'); // tinyDevice: 8 map registers = 32 KiB
    const a = getAdapter(r);
    const { va, mdl } = lockPool(r, 0x10000);
    const data = pattern(0x10000, 9);
    write(r, va, data);
    const first = startDma(r, a, mdl, { length: 0x10000, writeToDevice: true });
    expect(first).toEqual({ ret: NO_ERROR, branch: 'partial', out: { pLength: 0x8000 } });
    expect(r.model.liveState().adapters[0]?.mapRegistersUsed).toBe(8);
    const starved = startDma(r, a, mdl, { offset: 0x8000, length: 0x8000, writeToDevice: true });
    expect(starved).toEqual({
      ret: ERROR_NOT_ENOUGH_MEMORY,
      branch: 'no-map-registers',
      out: { pLength: 0 },
    });
    const sg = execute(r, a).out?.['sgList'] as bigint;
    r.call('@deviceDma', { sgList: sg, deviceAddress: FRAMEBUFFER });
    expect(complete(r, a, sg).ret).toBe(NO_ERROR);
    expect(r.model.liveState().adapters[0]?.mapRegistersUsed).toBe(0);
    const rest = dmaCycle(r, a, mdl, {
      offset: 0x8000,
      length: 0x8000,
      writeToDevice: true,
      deviceAddress: FRAMEBUFFER + 0x8000n,
    });
    expect(rest.start.out).toEqual({ pLength: 0x8000 });
    expect(read(r, mapFramebuffer(r, 0x10000), 0x10000)).toEqual(data);
  });

  it('caps each transfer at MaximumLength (adapter and device)', () => {
    const r = driver('docs', tinyDevice({ mapRegisters: 64, maximumLength: 0x3000 }));
    const small = getAdapter(r, { maximumLength: 0x1800 });
    const big = getAdapter(r);
    const { mdl } = lockPool(r, 0x8000);
    const s1 = startDma(r, small, mdl, { length: 0x8000, writeToDevice: false });
    const s2 = startDma(r, big, mdl, { length: 0x8000, writeToDevice: false });
    expect(s1.out).toEqual({ pLength: 0x1800 });
    expect(s2.out).toEqual({ pLength: 0x3000 });
  });

  it('clamps a request running past the buffer to the bytes that remain', () => {
    const r = driver('docs');
    const a = getAdapter(r);
    const { mdl } = lockPool(r, 0x2000);
    const got = startDma(r, a, mdl, { offset: 0x1800, length: 0x1000, writeToDevice: true });
    expect(got).toEqual({ ret: NO_ERROR, branch: 'partial', out: { pLength: 0x800 } });
  });

  it('*pLength = 0 is ERROR_NOT_ENOUGH_MEMORY and an Offset past the end is misuse', () => {
    const r = driver('docs');
    const a = getAdapter(r);
    const { mdl } = lockPool(r, 0x2000);
    expect(startDma(r, a, mdl, { length: 0, writeToDevice: true })).toEqual({
      ret: ERROR_NOT_ENOUGH_MEMORY,
      branch: 'zero-length',
      out: { pLength: 0 },
    });
    const past = startDma(r, a, mdl, { offset: 0x2000, length: 0x10, writeToDevice: true });
    expect(past).toMatchObject({ ret: ERROR_NOT_ENOUGH_MEMORY, misuse: 'offset-beyond-buffer' });
    expect(past.out).toEqual({ pLength: 0 });
    expect(r.model.liveState().transfers).toEqual([]);
  });
});

describe('VideoPortStartDma (reactos)', () => {
  it('ignores Offset and *pLength: maps the whole MDL and leaves *pLength unwritten', () => {
    const r = driver('reactos');
    const a = getAdapter(r);
    const { va, mdl } = lockPool(r, 0x3000);
    const data = pattern(0x3000, 3);
    write(r, va, data);
    const fb = mapFramebuffer(r, 0x10000);
    const cycle = dmaCycle(r, a, mdl, { offset: 0x800, length: 0x10, writeToDevice: true });
    expect(cycle.start).toEqual({ ret: NO_ERROR, branch: 'ok', out: { pLength: 0x10 } });
    expect(cycle.device.ret).toBe(0x3000);
    expect(read(r, fb, 0x3000)).toEqual(data);
  });

  it('*pLength = 0 is ignored too', () => {
    const r = driver('reactos');
    const a = getAdapter(r);
    const { mdl } = lockPool(r, 0x1000);
    expect(startDma(r, a, mdl, { length: 0, writeToDevice: true })).toEqual({
      ret: NO_ERROR,
      branch: 'ok',
      out: { pLength: 0 },
    });
  });

  it('a kernel failure (too few map registers for the MDL) writes *pLength = 0', () => {
    const r = driver('reactos'); // 8 map registers
    const a = getAdapter(r);
    const { mdl } = lockPool(r, 0x9000);
    expect(startDma(r, a, mdl, { length: 0x1000, writeToDevice: true })).toEqual({
      ret: ERROR_NOT_ENOUGH_MEMORY,
      branch: 'no-map-registers',
      out: { pLength: 0 },
    });
    expect(r.model.liveState().transfers).toEqual([]);
  });
});

describe('VideoPortStartDma (reactos): busy map registers queue the start', () => {
  // tinyDevice: 8 map registers. Pool buffers are page-aligned: one register per page.
  const states = (r: Recorder) => r.model.liveState().transfers.map((t) => t.state);
  const used = (r: Recorder) => r.model.liveState().adapters[0]?.mapRegistersUsed;

  it('NO_ERROR, *pLength unwritten, nothing to deliver until a CompleteDma frees enough', () => {
    const r = driver('reactos');
    const a = getAdapter(r);
    const x = lockPool(r, 0x5000);
    const y = lockPool(r, 0x4000);
    const data = pattern(0x4000, 7);
    write(r, y.va, data);
    const fb = mapFramebuffer(r, 0x10000);
    expect(startDma(r, a, x.mdl, { length: 0x5000, writeToDevice: true }).branch).toBe('ok');
    expect(startDma(r, a, y.mdl, { length: 0x4000, writeToDevice: true })).toEqual({
      ret: NO_ERROR,
      branch: 'queued',
      out: { pLength: 0x4000 },
    });
    expect(states(r)).toEqual(['pending', 'queued']);
    expect(censusCounts(censusOf(r.model.state))).toContainEqual(['queued transfer', 1]);
    expect(used(r)).toBe(5);
    expect(r.model.liveState().mdls[1]?.inFlight).toBe(1);
    const first = execute(r, a).out?.['sgList'] as bigint;
    expect(execute(r, a).branch).toBe('no-pending-transfer');
    expect(complete(r, a, first).ret).toBe(NO_ERROR);
    expect(states(r)).toEqual(['pending']);
    expect(used(r)).toBe(4);
    const queued = r.model.liveState().transfers[0]?.sgList ?? 0n;
    expect(execute(r, a).out?.['sgList']).toBe(queued);
    r.call('@deviceDma', { sgList: queued, deviceAddress: FRAMEBUFFER });
    expect(read(r, fb, 0x4000)).toEqual(data);
  });

  it('a start that would fit waits behind one already queued; grants go in start order', () => {
    const r = driver('reactos');
    const a = getAdapter(r);
    const [x, y, z] = [0x6000, 0x8000, 0x1000].map((n) => lockPool(r, n).mdl);
    for (const [mdl, n] of [
      [x, 0x6000],
      [y, 0x8000],
      [z, 0x1000],
    ] as const)
      expect(startDma(r, a, mdl ?? 0n, { length: n, writeToDevice: false }).ret).toBe(NO_ERROR);
    // z needs 1 of the 2 free registers but queues behind y.
    expect(states(r)).toEqual(['pending', 'queued', 'queued']);
    const ids = r.model.liveState().transfers.map((t) => t.sgList);
    complete(r, a, execute(r, a).out?.['sgList'] as bigint, false);
    // y takes all 8; z, next in line, still waits.
    expect(states(r)).toEqual(['pending', 'queued']);
    expect(execute(r, a).out?.['sgList']).toBe(ids[1]);
    complete(r, a, ids[1] ?? 0n, false);
    expect(states(r)).toEqual(['pending']);
    expect(execute(r, a).out?.['sgList']).toBe(ids[2]);
  });

  it('without scatter/gather a granted window sits at the registers it got', () => {
    const r = driver('reactos', tinyDevice({ scatterGather: false }));
    const a = getAdapter(r);
    const [w, x, y] = [0x1000, 0x4000, 0x4000].map((n) => lockPool(r, n).mdl);
    const lists = [w, x].map((mdl) => {
      startDma(r, a, mdl ?? 0n, { length: 0x1000, writeToDevice: true });
      return execute(r, a).out;
    });
    expect(startDma(r, a, y ?? 0n, { length: 0x4000, writeToDevice: true }).branch).toBe('queued');
    complete(r, a, lists[1]?.['sgList'] as bigint);
    // Registers 1-4, where x's window was.
    expect(execute(r, a).out?.['elements']).toEqual(lists[1]?.['elements']);
  });

  it("completing a queued list's handle is misuse and ends nothing", () => {
    const r = driver('reactos');
    const a = getAdapter(r);
    const [x, y] = [0x8000, 0x1000].map((n) => lockPool(r, n).mdl);
    startDma(r, a, x ?? 0n, { length: 0x8000, writeToDevice: true });
    startDma(r, a, y ?? 0n, { length: 0x1000, writeToDevice: true });
    const queued = r.model.liveState().transfers[1]?.sgList ?? 0n;
    expect(complete(r, a, queued).misuse).toBe('complete-before-execute');
    expect(states(r)).toEqual(['pending', 'queued']);
    expect(used(r)).toBe(8);
  });
});

describe.each(PROFILES)('VideoPortStartDma misuse (%s)', (profile) => {
  it('unknown adapter or MDL: ERROR_NOT_ENOUGH_MEMORY, *pLength untouched', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const { mdl } = lockPool(r, 0x1000);
    const o = { length: 0x1000, writeToDevice: true };
    for (const [adapter, m, tag] of [
      [0n, mdl, 'unknown-adapter'],
      [WILD_VA, mdl, 'unknown-adapter'],
      [a, 0n, 'unknown-mdl'],
      [a, WILD_VA, 'unknown-mdl'],
    ] as const) {
      const got = r.call('VideoPortStartDma', startArgs(adapter, m, o));
      expect(got).toEqual({
        ret: ERROR_NOT_ENOUGH_MEMORY,
        branch: tag,
        misuse: tag,
        out: { pLength: 0x1000 },
      });
    }
    expect(r.model.liveState().transfers).toEqual([]);
  });
});

describe.each(PROFILES)('@executeDma (%s)', (profile) => {
  it('delivers pending lists in order with the driver context', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const x = lockPool(r, 0x1000);
    const y = lockPool(r, 0x1000);
    startDma(r, a, x.mdl, { length: 0x1000, writeToDevice: true });
    startDma(r, a, y.mdl, { length: 0x1000, writeToDevice: false });
    const [t1, t2] = r.model.liveState().transfers;
    const e1 = execute(r, a);
    expect(e1.out).toMatchObject({ sgList: t1?.sgList, context: DMA_CONTEXT });
    expect(execute(r, a).out?.['sgList']).toBe(t2?.sgList);
    expect(r.model.liveState().transfers.map((t) => t.state)).toEqual(['delivered', 'delivered']);
  });

  it('with nothing pending it is misuse and delivers an empty list', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    expect(execute(r, a)).toEqual({
      branch: 'no-pending-transfer',
      misuse: 'no-pending-transfer',
      out: { sgList: 0n, context: 0n, elements: [] },
    });
  });

  it.each(['default', 'alternate'] as const)(
    'scatter/gather: one element per physically discontiguous page (%s layout)',
    (layout) => {
      const r = driver(profile, tinyDevice(), layout);
      const a = getAdapter(r);
      const { va, mdl } = lockPool(r, 0x3000);
      startDma(r, a, mdl, { length: 0x3000, writeToDevice: true });
      const elements = execute(r, a).out?.['elements'];
      const range = r.model.liveRanges().find((x) => x.va === va);
      const keys = range?.backing.kind === 'pages' ? range.backing.keys : [];
      expect(keys).toHaveLength(3);
      expect(elements).toEqual(keys.map((k) => ({ address: BigInt(k) * 0x1000n, length: 0x1000 })));
    },
  );

  it('scatter/gather: a physically contiguous buffer is one element', () => {
    const r = driver(profile);
    const a = getAdapter(r);
    const common = r.ptr('VideoPortAllocateCommonBuffer', {
      vpDmaAdapter: a,
      desiredLength: 0x3000,
      cacheEnabled: false,
      reserved: 0n,
    });
    const logical = r.model.liveState().commonBuffers[0]?.logical;
    const mdl = r.ptr('VideoPortLockBuffer', { baseAddress: common, length: 0x3000, operation: 2 });
    startDma(r, a, mdl, { length: 0x3000, writeToDevice: true });
    expect(execute(r, a).out?.['elements']).toEqual([{ address: logical, length: 0x3000 }]);
  });

  it.each([
    ['the description', tinyDevice(), { scatterGather: false }],
    ['the device', tinyDevice({ scatterGather: false }), {}],
  ])('without scatter/gather (%s) there is exactly one element', (_w, device, desc) => {
    const r = driver(profile, device);
    const a = getAdapter(r, desc);
    const { mdl } = lockPool(r, 0x3000);
    startDma(r, a, mdl, { offset: 0, length: 0x3000, writeToDevice: true });
    const elements = execute(r, a).out?.['elements'];
    expect(elements).toEqual([{ address: expect.any(BigInt) as bigint, length: 0x3000 }]);
  });
});
