// Bundled canaries: the reference model with one deliberate bug each (TigerBeetle's canary,
// STYLE lesson 11). Every violation kind a target can cause has one, some shallow, some deep,
// so tests and `vpdma fuzz --target mutant:NAME` prove the pipeline finds and shrinks them.
import { VIDEO_MEMORY_SPACE_USER_MODE } from '../core/constants.js';
import type { Args, CallOutcome } from '../model/values.js';
import type { ViolationKind } from './violation.js';
import { harnessTarget } from './argsInPlace.js';
import { createModelTargetSync, type ModelTarget, type ModelTargetOptions } from './modelTarget.js';
import type { Target, TraceCallIn } from './target.js';

export interface Mutant {
  readonly name: string;
  /** The violation kind it must be reported as. */
  readonly kind: ViolationKind;
  readonly depth: 'shallow' | 'deep';
  /** Calls in the shortest trace that shows it (what minimization must reach). */
  readonly minimalCalls: number;
  readonly description: string;
  /** Wraps the model's own step (`next`); may change the outcome or the model's state. */
  readonly hook: (
    t: ModelTarget,
    call: TraceCallIn,
    next: () => CallOutcome,
    memo: Memo,
  ) => CallOutcome | Promise<CallOutcome>;
}

/** Per-trace scratch space for stateful bugs. */
export type Memo = Record<string, number>;

const isUserMode = (a: Args): boolean =>
  typeof a['inIoSpace'] === 'number' && (a['inIoSpace'] & VIDEO_MEMORY_SPACE_USER_MODE) !== 0;

function insideAperture(t: ModelTarget, bus: unknown): boolean {
  return (
    typeof bus === 'bigint' &&
    t.model.state.device.apertures.some(
      (ap) => ap.space === 'memory' && bus >= ap.base && bus < ap.base + BigInt(ap.length),
    )
  );
}

export const MUTANTS: readonly Mutant[] = [
  {
    name: 'mapdma-user-mode-nonnull',
    kind: 'map-dma-returned-non-null',
    depth: 'shallow',
    minimalCalls: 1,
    description:
      'VideoPortMapDmaMemory returns a pointer when InIoSpace has VIDEO_MEMORY_SPACE_USER_MODE',
    hook: (_t, c, next) =>
      withOutcome(next, (o) =>
        c.fn === 'VideoPortMapDmaMemory' && isUserMode(c.args) ? { ...o, ret: 0x7ff000000000n } : o,
      ),
  },
  {
    name: 'mapdma-writes-length',
    kind: 'map-dma-wrote-out-param',
    depth: 'shallow',
    minimalCalls: 1,
    description: 'VideoPortMapDmaMemory writes *Length = 0 when *VirtualAddress is not NULL',
    hook: (_t, c, next) =>
      withOutcome(next, (o) =>
        c.fn === 'VideoPortMapDmaMemory' && c.args['virtualAddress'] !== 0n
          ? { ...o, out: { ...o.out, length: 0 } }
          : o,
      ),
  },
  {
    name: 'mapdma-corrupts-common-buffer',
    kind: 'memory-corrupted',
    depth: 'deep',
    // GetDmaAdapter, AllocateCommonBuffer, LockBuffer (of the common buffer or a user
    // buffer: no pool block needed), StartDma, MapDmaMemory.
    minimalCalls: 5,
    description:
      'VideoPortMapDmaMemory flips a byte of a live common buffer, only while a scatter/gather transfer is in flight and BoardAddress lies inside a memory aperture',
    hook: (t, c, next) => {
      const o = next();
      if (c.fn !== 'VideoPortMapDmaMemory' || !insideAperture(t, c.args['boardAddress'])) return o;
      const s = t.model.state;
      const sgInFlight = [...s.transfers.values()].some(
        (x) => s.adapters.get(x.adapter)?.scatterGather === true,
      );
      const buffer = s.commonBuffers.values().next();
      if (!sgInFlight || buffer.done === true) return o;
      const va = buffer.value.va;
      const old = t.model.read(va, 1)?.[0] ?? 0;
      t.model.step('@write', { va, data: new Uint8Array([old ^ 0x5a]) });
      return o;
    },
  },
  {
    name: 'drops-map-registers',
    kind: 'transfer-state-changed',
    depth: 'deep',
    // GetDmaAdapter, AllocateCommonBuffer (cache-enabled), LockBuffer, StartDma, then the
    // third call is an obsolete one while the transfer is in flight.
    minimalCalls: 5,
    description:
      "the third call after a cache-enabled AllocateCommonBuffer silently releases an in-flight transfer's map registers",
    hook: (t, c, next, memo) => {
      const o = next();
      if (
        c.fn === 'VideoPortAllocateCommonBuffer' &&
        c.args['cacheEnabled'] === true &&
        o.ret !== 0n
      ) {
        memo['armed'] = 3;
        return o;
      }
      if (memo['armed'] === undefined || --memo['armed'] > 0) return o;
      delete memo['armed'];
      for (const x of t.model.state.transfers.values()) {
        const a = t.model.state.adapters.get(x.adapter);
        if (a !== undefined && a.mapRegistersUsed > 0 && x.state !== 'queued') {
          a.mapRegistersUsed -= x.mapRegisters;
          t.model.state.bump();
          break;
        }
      }
      return o;
    },
  },
  {
    name: 'unmapdma-tears-down-view',
    kind: 'view-torn-down',
    depth: 'shallow',
    minimalCalls: 2,
    description:
      'VideoPortUnmapDmaMemory unmaps a real VideoPortGetDeviceBase view when given its address',
    hook: (t, c, next) => {
      const o = next();
      if (c.fn !== 'VideoPortUnmapDmaMemory') return o;
      const va = c.args['virtualAddress'];
      if (typeof va === 'bigint' && t.model.state.views.has(va)) {
        t.model.step('VideoPortFreeDeviceBase', { hwDeviceExtension: 0n, mappedAddress: va });
      }
      return o;
    },
  },
  {
    name: 'bytes-used-remembered',
    kind: 'inert-return-mismatch',
    depth: 'shallow',
    minimalCalls: 2,
    description: 'VideoPortGetBytesUsed returns what an earlier VideoPortSetBytesUsed stored',
    hook: (_t, c, next, memo) => {
      const o = next();
      if (c.fn === 'VideoPortSetBytesUsed' && typeof c.args['bytesUsed'] === 'number')
        memo['bytes'] = c.args['bytesUsed'];
      if (c.fn === 'VideoPortGetBytesUsed' && memo['bytes'] !== undefined)
        return { ...o, ret: memo['bytes'] };
      return o;
    },
  },
  {
    name: 'associate-writes-vrp',
    kind: 'inert-wrote-out-param',
    depth: 'shallow',
    minimalCalls: 1,
    description: 'VideoPortAssociateEventsWithDmaHandle clears pVrp->OutputBufferLength',
    hook: (_t, c, next) => {
      const o = next();
      const vrp = c.args['pVrp'];
      if (
        c.fn !== 'VideoPortAssociateEventsWithDmaHandle' ||
        typeof vrp !== 'object' ||
        vrp instanceof Uint8Array ||
        Array.isArray(vrp)
      )
        return o;
      return { ...o, out: { ...o.out, pVrp: { ...vrp, outputBufferLength: 0 } } };
    },
  },
  {
    name: 'dodma-signals-event',
    kind: 'object-state-changed',
    depth: 'shallow',
    minimalCalls: 2,
    description: 'VideoPortDoDma signals the first live event',
    hook: (t, c, next) => {
      const o = next();
      if (c.fn !== 'VideoPortDoDma') return o;
      const e = t.model.state.events.values().next();
      if (e.done !== true && !e.value.signaled) {
        e.value.signaled = true;
        t.model.state.bump();
      }
      return o;
    },
  },
  {
    name: 'startdma-ignores-offset',
    kind: 'out-param-mismatch',
    depth: 'shallow',
    // GetDmaAdapter, LockBuffer of a user buffer, StartDma asking for more than it holds.
    minimalCalls: 3,
    description:
      'VideoPortStartDma reports the whole remaining buffer in *pLength, ignoring the map-register limit',
    hook: (_t, c, next) => {
      const o = next();
      if (c.fn !== 'VideoPortStartDma' || o.ret !== 0 || typeof c.args['pLength'] !== 'number')
        return o;
      return { ...o, out: { ...o.out, pLength: c.args['pLength'] } };
    },
  },
  {
    name: 'completedma-from-device-fails',
    kind: 'return-mismatch',
    depth: 'shallow',
    // GetDmaAdapter, LockBuffer of a user buffer, StartDma, @executeDma, CompleteDma.
    minimalCalls: 5,
    description:
      'VideoPortCompleteDma returns ERROR_NOT_ENOUGH_MEMORY for device-to-host transfers',
    hook: (_t, c, next) =>
      withOutcome(next, (o) =>
        c.fn === 'VideoPortCompleteDma' && c.args['writeToDevice'] === false ? { ...o, ret: 8 } : o,
      ),
  },
  {
    name: 'devicedma-drops-last-byte',
    kind: 'memory-mismatch',
    depth: 'deep',
    // A view of the destination (else nothing shows), a byte that differs between source and
    // destination (@write through the view, with a user buffer as the source), GetDmaAdapter,
    // LockBuffer, StartDma, @executeDma, @deviceDma.
    minimalCalls: 7,
    description: 'the device engine leaves the last byte of a host-to-device transfer behind',
    hook: (t, c, next) => {
      const x =
        c.fn === '@deviceDma' ? t.model.state.transfers.get(c.args['sgList'] as bigint) : undefined;
      const device = c.args['deviceAddress'];
      if (
        x === undefined ||
        !x.writeToDevice ||
        x.state !== 'delivered' ||
        typeof device !== 'bigint'
      )
        return next();
      const last = device + BigInt(x.length - 1);
      const key = Number(last >> 12n);
      const off = Number(last & 0xfffn);
      const old = new Uint8Array(1);
      t.model.state.mem.readInto(key, off, 1, old, 0);
      const o = next();
      t.model.state.mem.writeFrom(key, off, old, 0, 1);
      return o;
    },
  },
  {
    name: 'crash-on-double-free-pool',
    kind: 'target-crashed',
    depth: 'shallow',
    // Two frees of the same pointer: it need not ever have been allocated.
    minimalCalls: 2,
    description:
      'VideoPortFreePool of a pointer it was already given throws (a kernel would bug-check)',
    hook: (_t, c, next, memo) => {
      if (c.fn !== 'VideoPortFreePool') return next();
      const ptr = c.args['ptr'];
      const key = `freed:${typeof ptr === 'bigint' ? ptr.toString(16) : 'none'}`;
      if (memo[key] === 1) throw new Error('BAD_POOL_CALLER (0xc2): double free');
      memo[key] = 1;
      return next();
    },
  },
  {
    name: 'hang-on-signaled-wait',
    kind: 'target-timeout',
    depth: 'shallow',
    // CreateEvent with INITIAL_EVENT_STATE_SIGNALED (EventFlag 2), then the wait.
    minimalCalls: 2,
    description: 'VideoPortWaitForSingleObject on a signaled synchronization event never returns',
    hook: (_t, c, next) =>
      withOutcome(next, (o) =>
        c.fn === 'VideoPortWaitForSingleObject' && o.ret === 0
          ? new Promise<CallOutcome>(() => undefined)
          : o,
      ),
  },
];

function withOutcome(
  next: () => CallOutcome,
  f: (o: CallOutcome) => CallOutcome | Promise<CallOutcome>,
): CallOutcome | Promise<CallOutcome> {
  return f(next());
}

export function findMutant(name: string): Mutant | undefined {
  return MUTANTS.find((m) => m.name === name);
}

/** A model target with the mutant's bug. */
export function createMutantTarget(m: Mutant, options: ModelTargetOptions): Target {
  const t = createModelTargetSync(options);
  const memo: Memo = {};
  const base = t.call.bind(t);
  return harnessTarget({
    ...t,
    call: (c) => m.hook(t, c, () => base(c), memo),
  });
}
