// Coherent calls: what a careful driver would pass. After a call's slots are resolved, these
// fix-ups make the arguments agree with the live objects they name (a release with the
// allocation's exact arguments, a CompleteDma on the adapter and direction of its list, a
// length that fits its buffer) or report what must exist first. Incoherent calls skip this,
// and are where hostile values reach the target.
import type { CallName } from '../model/calls.js';
import { pagesLocked } from '../model/handlers/locking.js';
import type { ModelState, PoolBlock } from '../model/state.js';
import { isStruct, type Struct, type Value } from '../model/values.js';
import { driverHolds } from '../model/live.js';
import { firstUnfilled } from './fill.js';
import {
  big,
  commonBuffer,
  delivered,
  fitAperture,
  fitRange,
  idle,
  num,
  roomAt,
  viewBase,
  type MutArgs,
  type Verdict,
} from './fit.js';

export type { MutArgs, Verdict } from './fit.js';

type Fixup = (a: MutArgs, s: ModelState) => Verdict;

/**
 * A pool block or buffer a careful driver may free: the one named if no MDL locks it, else
 * the first that none does (freeing a locked one is misuse, and nearly half the generated
 * FreePool calls named a block a LockBuffer still held), else one made first.
 */
const freeable =
  (arg: string, kind: 'pool' | 'buffer'): Fixup =>
  (a, s) => {
    const ok = (b: PoolBlock | undefined): b is PoolBlock =>
      b?.kind === kind && !pagesLocked(s, b.pages);
    if (ok(s.blocks.get(big(a[arg])))) return undefined;
    for (const b of s.blocks.values())
      if (ok(b)) {
        a[arg] = b.va;
        return undefined;
      }
    return kind;
  };

const eventArg =
  (arg: string): Fixup =>
  (a, s) =>
    s.events.has(big(a[arg])) ? undefined : 'event';

/**
 * `at` if a live board-memory view inside an aperture holds [at, at + length), else the bus
 * address of the first view that could (undefined: none).
 */
function mappedFor(s: ModelState, at: bigint, length: number): bigint | undefined {
  const n = BigInt(length);
  const inAperture = (bus: bigint): boolean =>
    s.device.apertures.some(
      (x) => x.space === 'memory' && bus >= x.base && bus + n <= x.base + BigInt(x.length),
    );
  let first: bigint | undefined;
  for (const v of s.views.values()) {
    if (v.space !== 'memory' || v.length < length || !inAperture(v.bus)) continue;
    if (at >= v.bus && at + n <= v.bus + BigInt(v.length)) return at;
    first ??= v.bus;
  }
  return first;
}

// Keyed by CallName: a misspelled function does not compile (it would silently never apply).
const FIXUPS: Readonly<Partial<Record<CallName, Fixup>>> = {
  VideoPortGetDmaAdapter: (a) => {
    if (typeof a['vpDeviceDescription'] === 'bigint')
      a['vpDeviceDescription'] = {
        scatterGather: true,
        dma32BitAddresses: true,
        dma64BitAddresses: false,
        maximumLength: 0x100000,
      };
    return undefined;
  },
  VideoPortPutDmaAdapter: (a, s) => {
    const mine = big(a['vpDmaAdapter']);
    if (s.adapters.has(mine) && idle(s, mine)) return undefined;
    const other = [...s.adapters.keys()].find((h) => idle(s, h));
    if (other === undefined) return 'skip';
    a['vpDmaAdapter'] = other;
    return undefined;
  },
  VideoPortAllocateCommonBuffer: (a, s) =>
    s.adapters.has(big(a['vpDmaAdapter'])) ? undefined : 'adapter',
  VideoPortReleaseCommonBuffer: (a, s) => commonBuffer(a, s, 'allocate'),
  VideoPortFreeCommonBuffer: (a, s) => commonBuffer(a, s, 'get'),
  VideoPortLockBuffer: (a, s) => {
    if (num(a['operation']) > 2) a['operation'] = 2;
    return fitRange(a, s, 'baseAddress', 'length');
  },
  VideoPortUnlockBuffer: (a, s) => {
    const m = s.mdls.get(big(a['mdl']));
    if (m === undefined || !driverHolds(m)) return 'mdl';
    if (m.inFlight === 0) return undefined;
    const free = [...s.mdls.values()].find((x) => x.inFlight === 0 && driverHolds(x));
    if (free === undefined) return 'skip';
    a['mdl'] = free.handle;
    return undefined;
  },
  VideoPortStartDma: (a, s) => {
    if (!s.adapters.has(big(a['vpDmaAdapter']))) return 'adapter';
    const m = s.mdls.get(big(a['mdl']));
    if (m === undefined || !driverHolds(m)) return 'mdl';
    if (num(a['offset']) >= m.length) a['offset'] = 0;
    return undefined;
  },
  VideoPortCompleteDma: (a, s) => {
    const t = s.transfers.get(big(a['vpScatterGather']));
    if (t?.state !== 'delivered') return 'sgList';
    a['vpDmaAdapter'] = t.adapter;
    a['writeToDevice'] = t.writeToDevice;
    return undefined;
  },
  '@executeDma': (a, s) => {
    const mine = big(a['vpDmaAdapter']);
    const pending = [...s.transfers.values()].filter((t) => t.state === 'pending');
    if (pending.some((t) => t.adapter === mine)) return undefined;
    const t = pending[0];
    if (t === undefined) return 'pending';
    a['vpDmaAdapter'] = t.adapter;
    return undefined;
  },
  '@deviceDma': (a, s) => {
    const v = delivered(a, s, 'sgList');
    const t = s.transfers.get(big(a['sgList']));
    if (v !== undefined || t === undefined) return v;
    if (!s.mdls.has(t.mdl)) return 'skip';
    let at = big(a['deviceAddress']);
    const fits = (base: bigint, len: number): boolean =>
      at >= base && at + BigInt(t.length) <= base + BigInt(len);
    const aps = s.device.apertures.filter((x) => x.space === 'memory');
    // What a device reads lands in board memory, seen only through a view: a driver sends to
    // memory it mapped, so a transfer to the device goes to a view when one can hold it.
    if (t.writeToDevice) at = mappedFor(s, at, t.length) ?? at;
    a['deviceAddress'] = at;
    // Bytes moved over equal bytes show nothing of where the list sent them (fill.ts).
    const fill = firstUnfilled(s)?.t === t ? 'fill' : undefined;
    if (aps.some((x) => fits(x.base, x.length))) return fill;
    const ap = aps.find((x) => x.length >= t.length);
    if (ap === undefined) return 'skip';
    a['deviceAddress'] = ap.base;
    return fill;
  },
  '@write': (a, s) => {
    const left = roomAt(s, big(a['va']));
    if (left === undefined) return 'cpu';
    const data = a['data'];
    if (data instanceof Uint8Array && data.length > left) a['data'] = data.slice(0, left);
    return undefined;
  },
  '@read': (a, s) => fitRange(a, s, 'va', 'length'),
  VideoPortGetDeviceBase: (a, s) => fitAperture(a, s, 'ioAddress', 'numberOfUchars', 'inIoSpace'),
  VideoPortMapMemory: (a, s) => fitAperture(a, s, 'physicalAddress', 'length', 'inIoSpace'),
  VideoPortFreeDeviceBase: (a, s) => viewBase(a, s, 'mappedAddress', true),
  VideoPortUnmapMemory: (a, s) => viewBase(a, s, 'virtualAddress', false),
  VideoPortAllocatePool: (a) => {
    if (![0, 1, 4, 5].includes(num(a['poolType']))) a['poolType'] = 0;
    return undefined;
  },
  VideoPortLockPages: (a, s) => {
    const vrp = a['pVrp'];
    if (!isStruct(vrp)) return 'skip';
    const packet: Record<string, Value> = { ...vrp };
    const r = fitRange(packet, s, 'inputBuffer', 'inputBufferLength');
    packet['outputBufferLength'] = packet['inputBufferLength'] ?? 0;
    a['pVrp'] = packet as Struct;
    return r;
  },
  VideoPortFreePool: freeable('ptr', 'pool'),
  VideoPortReleaseBuffer: freeable('buffer', 'buffer'),
  VideoPortDeleteEvent: eventArg('pEvent'),
  VideoPortSetEvent: eventArg('pEvent'),
  VideoPortClearEvent: eventArg('pEvent'),
  VideoPortReadStateEvent: eventArg('pEvent'),
  VideoPortWaitForSingleObject: (a, s) => {
    if (a['timeout'] === undefined) a['timeout'] = 0n;
    return eventArg('object')(a, s);
  },
};

/** Applies the fix-up of `fn` (in place); calls without one are coherent as resolved. */
export function cohere(fn: string, a: MutArgs, s: ModelState): Verdict {
  return FIXUPS[fn as CallName]?.(a, s);
}
