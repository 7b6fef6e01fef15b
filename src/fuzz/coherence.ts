// Coherent calls: what a careful driver would pass. After a call's slots are resolved, these
// fix-ups make the arguments agree with the live objects they name (a release with the
// allocation's exact arguments, a CompleteDma on the adapter and direction of its list, a
// length that fits its buffer) or report what must exist first. Incoherent calls skip this,
// and are where hostile values reach the target.
import { VIDEO_MEMORY_SPACE_IO, VIDEO_MEMORY_SPACE_P6CACHE as P6 } from '../core/constants.js';
import type { ModelState } from '../model/state.js';
import type { Struct, Value } from '../model/values.js';
import { USER_BUFFER } from './program.js';
import type { Need } from './resolve.js';

export type MutArgs = Record<string, Value>;

/** undefined: the call is fine; a Need: produce that first; 'skip': no coherent form exists. */
export type Verdict = Need | 'skip' | undefined;

type Fixup = (a: MutArgs, s: ModelState) => Verdict;

/** A coherent view's length when the requested one does not fit (every live byte is checked). */
const viewBytesMax = 0x10000;
/** The user-buffer window coherent calls stay in. */
const userBytesMax = 0x100000;

const big = (v: Value | undefined): bigint => (typeof v === 'bigint' ? v : 0n);
const num = (v: Value | undefined): number => (typeof v === 'number' ? v : 0);

function commonBuffer(a: MutArgs, s: ModelState, api: 'allocate' | 'get'): Verdict {
  const hit = s.commonBuffers.get(big(a['virtualAddress']));
  const b = hit?.api === api ? hit : [...s.commonBuffers.values()].find((x) => x.api === api);
  if (b === undefined) return api === 'allocate' ? 'commonBuffer' : 'legacyBuffer';
  if (api === 'allocate') a['vpDmaAdapter'] = b.adapter;
  a['virtualAddress'] = b.va;
  a['length'] = b.length;
  a['logicalAddress'] = b.logical;
  a['cacheEnabled'] = b.cacheEnabled;
  return undefined;
}

/** Bytes from `va` to the end of its live range (user buffers: a fixed window). */
function roomAt(s: ModelState, va: bigint): number | undefined {
  if (va >= USER_BUFFER && va < USER_BUFFER + BigInt(userBytesMax))
    return Number(USER_BUFFER + BigInt(userBytesMax) - va);
  const r = s.ranges.find(va, 1);
  return r === undefined ? undefined : Number(r.va + BigInt(r.length) - va);
}

/** Clamps a length argument to what is left of the live range holding `va`. */
function fitRange(a: MutArgs, s: ModelState, vaArg: string, lenArg: string): Verdict {
  const va = big(a[vaArg]);
  const left = roomAt(s, va);
  if (left === undefined) return 'cpu';
  const len = num(a[lenArg]);
  if (len > left) a[lenArg] = left;
  return undefined;
}

function fitAperture(a: MutArgs, s: ModelState, bus: string, len: string, io: string): Verdict {
  const at = big(a[bus]);
  const ap = s.device.apertures.find((x) => at >= x.base && at < x.base + BigInt(x.length));
  if (ap === undefined) return undefined; // a defined failure (NULL / an error status)
  const left = Number(ap.base + BigInt(ap.length) - at);
  if (num(a[len]) === 0 || num(a[len]) > left) a[len] = Math.min(left, viewBytesMax);
  // Every alias of a range must agree on P6CACHE (spec §1 F): follow an existing view.
  const end = at + BigInt(num(a[len]));
  const alias = [...s.views.values()].find(
    (w) => w.space === ap.space && w.bus < end && at < w.bus + BigInt(w.length),
  );
  const p6 = alias === undefined ? num(a[io]) & P6 : alias.p6cache ? P6 : 0;
  const flags = ((num(a[io]) & ~(VIDEO_MEMORY_SPACE_IO | P6)) | p6) >>> 0;
  a[io] = (ap.space === 'io' ? flags | VIDEO_MEMORY_SPACE_IO : flags) >>> 0;
  return undefined;
}

function viewBase(a: MutArgs, s: ModelState, arg: string, kernelOnly: boolean): Verdict {
  const va = big(a[arg]);
  const v = [...s.views.values()].find(
    (w) =>
      va >= w.va &&
      va < w.va + BigInt(w.length) &&
      (!kernelOnly || (w.process === 0n && w.recorded)),
  );
  if (v === undefined) return 'view';
  a[arg] = v.va;
  if ('processHandle' in a) a['processHandle'] = v.process;
  return undefined;
}

function idle(s: ModelState, adapter: bigint): boolean {
  for (const b of s.commonBuffers.values()) if (b.adapter === adapter) return false;
  for (const t of s.transfers.values()) if (t.adapter === adapter) return false;
  return true;
}

function delivered(a: MutArgs, s: ModelState, arg: string): Verdict {
  const t = s.transfers.get(big(a[arg]));
  return t?.state === 'delivered' ? undefined : 'sgList';
}

const eventArg =
  (arg: string): Fixup =>
  (a, s) =>
    s.events.has(big(a[arg])) ? undefined : 'event';

const FIXUPS: Readonly<Record<string, Fixup>> = {
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
    if (m === undefined) return 'mdl';
    if (m.inFlight === 0) return undefined;
    const free = [...s.mdls.values()].find((x) => x.inFlight === 0);
    if (free === undefined) return 'skip';
    a['mdl'] = free.handle;
    return undefined;
  },
  VideoPortStartDma: (a, s) => {
    if (!s.adapters.has(big(a['vpDmaAdapter']))) return 'adapter';
    const m = s.mdls.get(big(a['mdl']));
    if (m === undefined) return 'mdl';
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
    const at = big(a['deviceAddress']);
    const fits = (base: bigint, len: number): boolean =>
      at >= base && at + BigInt(t.length) <= base + BigInt(len);
    const aps = s.device.apertures.filter((x) => x.space === 'memory');
    if (aps.some((x) => fits(x.base, x.length))) return undefined;
    const ap = aps.find((x) => x.length >= t.length);
    if (ap === undefined) return 'skip';
    a['deviceAddress'] = ap.base;
    return undefined;
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
    if (typeof vrp !== 'object' || vrp instanceof Uint8Array || Array.isArray(vrp)) return 'skip';
    const packet = { ...(vrp as Record<string, Value>) };
    const r = fitRange(packet, s, 'inputBuffer', 'inputBufferLength');
    packet['outputBufferLength'] = packet['inputBufferLength'] ?? 0;
    a['pVrp'] = packet as Struct;
    return r;
  },
  VideoPortFreePool: (a, s) => (s.blocks.get(big(a['ptr']))?.kind === 'pool' ? undefined : 'pool'),
  VideoPortReleaseBuffer: (a, s) =>
    s.blocks.get(big(a['buffer']))?.kind === 'buffer' ? undefined : 'buffer',
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
  return FIXUPS[fn]?.(a, s);
}
