// Randomized driver-shaped traces for differential tests of a target: every call uses values
// a driver could hold (live handles and buffers from the recording model), with sizes and
// offsets that reach the failure paths too. A call the model deems misuse ends the trace, so
// the oracle keeps describing every call that remains.
import { EXECUTE_DMA_ROUTINE } from '../../src/core/constants.js';
import { int, pick, rngFor, type Rng } from '../../src/core/rng.js';
import type { DeviceSpec } from '../../src/model/device.js';
import { Recorder } from '../../src/model/recorder.js';
import type { ModelState } from '../../src/model/state.js';
import type { Args, TraceCall } from '../../src/model/values.js';

const FB = 0xe0000000n;
const USER_BUFFER = 0x1230000n;
const CURRENT_PROCESS = 0xffffffffffffffffn;

/** A few device shapes: default, tight map registers, and no scatter/gather in 4 MiB of RAM. */
export const RANDOM_DEVICES: readonly DeviceSpec[] = [
  {},
  { dma: { mapRegisters: 8, maximumLength: 0x5000 } },
  { dma: { scatterGather: false, mapRegisters: 5 }, systemMemoryBytes: 4 << 20 },
];

type Maker = (s: ModelState, rng: Rng) => [string, Args] | undefined;

const maybe = <T>(items: readonly T[], rng: Rng): T | undefined =>
  items.length === 0 ? undefined : pick(rng, items);

/**
 * A span a driver may touch: inside one live buffer or view, or in user memory. Not inside a
 * LockPages list: its bytes are physical addresses, implementation-defined, yet vpdma compares
 * what `@read` returns from it exactly (a known harness limitation).
 */
function someSpan(s: ModelState, rng: Rng, most: number): { va: bigint; length: number } {
  const ranges = [...s.ranges.all()].filter((r) => r.kind !== 'lockedList');
  const r = maybe(ranges, rng);
  if (r === undefined || int(rng, 0, 3) === 0)
    return { va: USER_BUFFER + BigInt(int(rng, 0, 0x3000)), length: int(rng, 1, most) };
  const off = int(rng, 0, r.length - 1);
  return { va: r.va + BigInt(off), length: int(rng, 1, Math.min(most, r.length - off)) };
}

const someVa = (s: ModelState, rng: Rng): bigint => someSpan(s, rng, 1).va;

/** Whether an MDL still locks part of a buffer (a driver unlocks before it frees). */
const locked = (s: ModelState, b: { va: bigint; length: number }): boolean =>
  [...s.mdls.values()].some(
    (m) => m.va < b.va + BigInt(b.length) && b.va < m.va + BigInt(m.length),
  );

const description = (rng: Rng): Args => ({
  vpDeviceDescription: {
    scatterGather: int(rng, 0, 3) > 0,
    dma32BitAddresses: true,
    dma64BitAddresses: int(rng, 0, 1) === 0,
    maximumLength: pick(rng, [0, 0x1000, 0x3000, 0x10000, 0x100000, 0xffffffff]),
  },
});

const MAKERS: readonly Maker[] = [
  (s, rng) => {
    const busy = (h: bigint): boolean =>
      [...s.transfers.values()].some((t) => t.adapter === h) ||
      [...s.commonBuffers.values()].some((b) => b.adapter === h);
    const idle = maybe(
      [...s.adapters.keys()].filter((h) => !busy(h)),
      rng,
    );
    return idle === undefined || int(rng, 0, 2) > 0
      ? ['VideoPortGetDmaAdapter', description(rng)]
      : ['VideoPortPutDmaAdapter', { vpDmaAdapter: idle }];
  },
  (s, rng) => {
    const b = maybe(
      [...s.commonBuffers.values()].filter((x) => !locked(s, x)),
      rng,
    );
    if (b === undefined) return undefined;
    const match = { length: b.length, logicalAddress: b.logical, virtualAddress: b.va };
    return b.api === 'allocate'
      ? [
          'VideoPortReleaseCommonBuffer',
          { vpDmaAdapter: b.adapter, ...match, cacheEnabled: b.cacheEnabled },
        ]
      : ['VideoPortFreeCommonBuffer', { ...match, cacheEnabled: b.cacheEnabled }];
  },
  (s, rng) => {
    const a = maybe([...s.adapters.keys()], rng);
    const desiredLength = pick(rng, [0, 1, 0x1000, 0x1801, 0x20000]);
    const rest = { desiredLength, cacheEnabled: int(rng, 0, 1) === 0 };
    return a === undefined || int(rng, 0, 2) === 0
      ? ['VideoPortGetCommonBuffer', { ...rest, alignment: 0 }]
      : ['VideoPortAllocateCommonBuffer', { vpDmaAdapter: a, ...rest, reserved: 0n }];
  },
  (_s, rng) => [
    'VideoPortAllocateContiguousMemory',
    {
      numberOfBytes: pick(rng, [0, 0x100, 0x3000]),
      highestAcceptableAddress: pick(rng, [0xffffffffn, 0xfffffn, 0xffffffffffffffffn, 0n]),
    },
  ],
  (_s, rng) =>
    int(rng, 0, 1) === 0
      ? [
          'VideoPortAllocatePool',
          {
            poolType: pick(rng, [0, 1, 4, 5]),
            numberOfBytes: pick(rng, [0, 0x10, 0x2345, 2 ** 32 + 5]),
            tag: 1,
          },
        ]
      : ['VideoPortAllocateBuffer', { size: pick(rng, [0, 0x10, 0x1800]) }],
  (s, rng) => {
    const b = maybe(
      [...s.blocks.values()].filter(
        (x) => (x.kind === 'pool' || x.kind === 'buffer') && !locked(s, x),
      ),
      rng,
    );
    if (b === undefined) return undefined;
    return b.kind === 'pool'
      ? ['VideoPortFreePool', { ptr: b.va }]
      : ['VideoPortReleaseBuffer', { buffer: b.va }];
  },
  (s, rng) => {
    const span = someSpan(s, rng, pick(rng, [1, 0x10, 0x1000, 0x2800]));
    const lock = { baseAddress: span.va, length: int(rng, 0, 9) === 0 ? 0 : span.length };
    return ['VideoPortLockBuffer', { ...lock, operation: int(rng, 0, 2) }];
  },
  (s, rng) => {
    const m = maybe(
      [...s.mdls.values()].filter((x) => x.origin === 'LockBuffer' && x.inFlight === 0),
      rng,
    );
    return m === undefined ? undefined : ['VideoPortUnlockBuffer', { mdl: m.handle }];
  },
  (s, rng) => {
    const span = someSpan(s, rng, pick(rng, [0x10, 0x2000]));
    const vrp = {
      ioControlCode: 1,
      statusBlock: 0n,
      inputBuffer: span.va,
      outputBuffer: 0n,
      outputBufferLength: 0,
    };
    const args = { pUEvent: 0n, pDisplayEvent: 0n, dmaFlags: pick(rng, [3, 3, 1]) };
    return [
      'VideoPortLockPages',
      { pVrp: { ...vrp, inputBufferLength: int(rng, 0, 9) === 0 ? 0 : span.length }, ...args },
    ];
  },
  (s, rng) => {
    const a = maybe([...s.adapters.keys()], rng);
    // Only LockBuffer MDLs: a docs-profile driver never sees the one LockPages makes.
    const m = maybe(
      [...s.mdls.values()].filter((x) => x.origin === 'LockBuffer'),
      rng,
    );
    if (a === undefined || m === undefined) return undefined;
    const start = { vpDmaAdapter: a, mdl: m.handle, offset: int(rng, 0, m.length - 1) };
    const routine = { executeDmaRoutine: EXECUTE_DMA_ROUTINE, context: BigInt(int(rng, 0, 99)) };
    const pLength = pick(rng, [0, 1, 0x1000, 0x7000, 0x100000]);
    return [
      'VideoPortStartDma',
      { ...start, pLength, ...routine, writeToDevice: int(rng, 0, 1) === 0 },
    ];
  },
  (s, rng) => {
    const t = maybe(
      [...s.transfers.values()].filter((x) => x.state === 'pending'),
      rng,
    );
    return t === undefined ? undefined : ['@executeDma', { vpDmaAdapter: t.adapter }];
  },
  (s, rng) => {
    const t = maybe(
      [...s.transfers.values()].filter((x) => x.state === 'delivered'),
      rng,
    );
    if (t === undefined || !s.mdls.has(t.mdl) || !s.adapters.has(t.adapter)) return undefined;
    if (int(rng, 0, 1) === 0)
      return [
        '@deviceDma',
        { sgList: t.sgList, deviceAddress: FB + BigInt(int(rng, 0, 0x100000)) },
      ];
    return [
      'VideoPortCompleteDma',
      { vpDmaAdapter: t.adapter, vpScatterGather: t.sgList, writeToDevice: t.writeToDevice },
    ];
  },
  (_s, rng) => [
    'VideoPortGetDeviceBase',
    {
      ioAddress: pick(rng, [FB, FB + 0x123n, 0xf0000000n, 0x3c0n, 0x1000n, FB + 0xfff000n]),
      numberOfUchars: pick(rng, [0, 0x10, 0x1000, 0x2000]),
      inIoSpace: pick(rng, [0, 1, 4]),
    },
  ],
  (s, rng) => {
    const v = maybe([...s.views.values()], rng);
    if (v === undefined) return undefined;
    if (v.process === 0n && int(rng, 0, 1) === 0)
      return ['VideoPortFreeDeviceBase', { mappedAddress: v.va }];
    const process = pick(rng, [v.process, v.process === CURRENT_PROCESS ? 0n : v.process, 5n]);
    return [
      'VideoPortUnmapMemory',
      { virtualAddress: v.va + BigInt(int(rng, 0, v.length - 1)), processHandle: process },
    ];
  },
  (_s, rng) => {
    const map = {
      physicalAddress: pick(rng, [FB, FB + 0x10n, 0xf0000000n, 0x3c0n, 0x5000n]),
      length: pick(rng, [0, 0x10, 0x1000, 0x10000, 0x1000001]),
      inIoSpace: pick(rng, [0, 1, 2]),
      virtualAddress: pick(rng, [0n, 0n, CURRENT_PROCESS, 0x1234n]),
    };
    if (int(rng, 0, 3) > 0) return ['VideoPortMapMemory', map];
    const bank = {
      bankLength: 0x10000,
      readWriteBank: 1,
      bankRoutine: 0xfffff80000a02000n,
      context: 0n,
    };
    return ['VideoPortMapBankedMemory', { ...map, ...bank }];
  },
  (s, rng) => {
    const e = maybe([...s.events.keys()], rng);
    if (e === undefined || int(rng, 0, 3) === 0)
      return ['VideoPortCreateEvent', { eventFlag: int(rng, 0, 3), unused: 0n }];
    if (int(rng, 0, 4) === 0) return ['VideoPortWaitForSingleObject', { object: e, timeout: 0n }];
    const fns = [
      'VideoPortDeleteEvent',
      'VideoPortSetEvent',
      'VideoPortClearEvent',
      'VideoPortReadStateEvent',
    ];
    return [pick(rng, fns), { pEvent: e }];
  },
  (s, rng) => {
    const span = someSpan(s, rng, 48);
    const data = Uint8Array.from({ length: span.length }, () => int(rng, 0, 255));
    return ['@write', { va: span.va, data }];
  },
  (s, rng) => {
    const span = someSpan(s, rng, 64);
    return ['@read', { va: span.va, length: int(rng, 0, span.length) }];
  },
  (s, rng) => {
    const va = someVa(s, rng);
    switch (int(rng, 0, 3)) {
      case 0:
        return [
          'VideoPortMapDmaMemory',
          {
            pVrp: 0n,
            boardAddress: FB,
            length: 0x1000,
            inIoSpace: 0,
            mappedUserEvent: 0n,
            displayDriverEvent: 0n,
            virtualAddress: va,
          },
        ];
      case 1:
        return [
          'VideoPortUnmapDmaMemory',
          { virtualAddress: va, processHandle: 0n, boardMemoryHandle: 0n },
        ];
      case 2:
        return ['VideoPortGetMdl', { pDma: va }];
      default:
        return ['VideoPortUnlockPages', { hwDeviceExtension: 0n, pDma: 0n }];
    }
  },
];

/** Case `index` of a randomized campaign: up to `length` calls, captured style or not. */
export function randomDriverTrace(
  seed: number,
  index: number,
  length: number,
  skip: ReadonlySet<string> = new Set(),
): { device: DeviceSpec; calls: TraceCall[] } {
  const rng = rngFor(seed, index);
  const device = pick(rng, RANDOM_DEVICES);
  const rec = new Recorder({ device }, int(rng, 0, 1) === 0);
  for (let tries = 0; rec.calls.length < length && tries < length * 4; tries++) {
    const made = pick(rng, MAKERS)(rec.model.state, rng);
    if (made === undefined || skip.has(made[0])) continue;
    if (rec.call(made[0], made[1]).misuse !== undefined) {
      rec.calls.pop();
      break;
    }
  }
  return { device, calls: rec.calls };
}
