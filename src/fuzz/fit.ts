// The fix-ups' helpers (coherence.ts): fitting lengths to ranges and apertures, matching a
// release to its allocation, picking live objects in the state a call needs.
import { VIDEO_MEMORY_SPACE_IO, VIDEO_MEMORY_SPACE_P6CACHE as P6 } from '../core/constants.js';
import type { ModelState } from '../model/state.js';
import type { Value } from '../model/values.js';
import { USER_BUFFER } from './program.js';
import type { Need } from './resolve.js';

export type MutArgs = Record<string, Value>;

/** undefined: the call is fine; a Need: produce that first; 'skip': no coherent form exists. */
export type Verdict = Need | 'skip' | undefined;

export const big = (v: Value | undefined): bigint => (typeof v === 'bigint' ? v : 0n);
export const num = (v: Value | undefined): number => (typeof v === 'number' ? v : 0);

/** A coherent view's length when the requested one does not fit (every live byte is checked). */
const viewBytesMax = 0x10000;
/** The user-buffer window coherent calls stay in. */
const userBytesMax = 0x100000;

export function commonBuffer(a: MutArgs, s: ModelState, api: 'allocate' | 'get'): Verdict {
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
export function roomAt(s: ModelState, va: bigint): number | undefined {
  if (va >= USER_BUFFER && va < USER_BUFFER + BigInt(userBytesMax))
    return Number(USER_BUFFER + BigInt(userBytesMax) - va);
  const r = s.ranges.find(va, 1);
  return r === undefined ? undefined : Number(r.va + BigInt(r.length) - va);
}

/** Clamps a length argument to what is left of the live range holding `va`. */
export function fitRange(a: MutArgs, s: ModelState, vaArg: string, lenArg: string): Verdict {
  const va = big(a[vaArg]);
  const left = roomAt(s, va);
  if (left === undefined) return 'cpu';
  const len = num(a[lenArg]);
  if (len > left) a[lenArg] = left;
  return undefined;
}

export function fitAperture(
  a: MutArgs,
  s: ModelState,
  bus: string,
  len: string,
  io: string,
): Verdict {
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

export function viewBase(a: MutArgs, s: ModelState, arg: string, kernelOnly: boolean): Verdict {
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

export function idle(s: ModelState, adapter: bigint): boolean {
  for (const b of s.commonBuffers.values()) if (b.adapter === adapter) return false;
  for (const t of s.transfers.values()) if (t.adapter === adapter) return false;
  return true;
}

export function delivered(a: MutArgs, s: ModelState, arg: string): Verdict {
  const t = s.transfers.get(big(a[arg]));
  return t?.state === 'delivered' ? undefined : 'sgList';
}
