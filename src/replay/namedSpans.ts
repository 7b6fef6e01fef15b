// The memory an obsolete call's own arguments name (VideoPortMapDmaMemory's and
// UnmapDmaMemory's virtualAddress): compared around the call even when touched() claims no
// write there. A target whose obsolete call writes into the very buffer it was handed, and
// does not list the write in touched(), is the bug this tool exists for; left to the rotating
// sample, it was found late (a mismatch calls later) or not at all.
import type { ArgDesc } from '../model/callTypes.js';
import { isStruct, type Args } from '../model/values.js';
import type { Span } from './memory.js';

/** Read at the head and the tail of the live range from the named address, this many bytes each. */
export const namedEdgeBytes = 256;

function namesCpu(a: ArgDesc): boolean {
  return a.role.kind === 'consumes' && a.role.res === 'cpu';
}

/** The live range (oracle space) holding an address, if any: the model's O(log n) lookup. */
export type RangeAt = (address: bigint) => Span | undefined;

/**
 * For each CPU-address argument in `args` (oracle space) inside a live range: the bytes from
 * it to the end of that range, whole up to two edges' worth, else their head and tail.
 */
export function namedSpans(args: readonly ArgDesc[], values: Args, rangeAt: RangeAt): Span[] {
  return edgeSpans(cpuArgRegions(args, values, rangeAt));
}

/** The regions cpuArgRegions found, as namedSpans reads them (whole, or head and tail). */
export function edgeSpans(regions: readonly Region[]): Span[] {
  const spans: Span[] = [];
  for (const { address, length } of regions) {
    if (length <= 2 * namedEdgeBytes) spans.push({ address, length });
    else {
      spans.push({ address, length: namedEdgeBytes });
      spans.push({ address: address + BigInt(length - namedEdgeBytes), length: namedEdgeBytes });
    }
  }
  return spans;
}

/** Each CPU-address argument inside a live range, from it to that range's end (oracle space). */
export function cpuArgRegions(args: readonly ArgDesc[], values: Args, rangeAt: RangeAt): Region[] {
  const regions: Region[] = [];
  for (const a of args) {
    if (!namesCpu(a)) continue;
    const address = values[a.name];
    if (typeof address !== 'bigint' || address === 0n) continue;
    const r = rangeAt(address);
    if (r === undefined) continue;
    regions.push({ name: a.name, address, length: Number(r.address + BigInt(r.length) - address) });
  }
  return regions;
}

/** Whether `address` lies in one of `spans`. */
export function inSpans(spans: readonly Span[], address: bigint): boolean {
  return spans.some((s) => address >= s.address && address < s.address + BigInt(s.length));
}

/** The request packet's buffers, whole (oracle space), named as their members are. */
export function vrpBuffers(args: Args): Region[] {
  const s = args['pVrp'];
  if (!isStruct(s)) return [];
  const out: Region[] = [];
  for (const [p, n] of [
    ['inputBuffer', 'inputBufferLength'],
    ['outputBuffer', 'outputBufferLength'],
  ] as const) {
    const address = s[p];
    const length = s[n];
    if (typeof address === 'bigint' && address !== 0n && typeof length === 'number' && length > 0)
      out.push({ name: `pVrp.${p}`, address, length });
  }
  return out;
}

/** Memory an argument names, whole: a request packet's buffer, or an address to its range's end. */
export interface Region {
  readonly name: string;
  readonly address: bigint;
  readonly length: number;
}

/** Where in the regions an address lies, as "pVrp.outputBuffer+0x4" (undefined: none). */
export function regionAt(regions: readonly Region[], address: bigint): string | undefined {
  const r = regions.find((x) => address >= x.address && address < x.address + BigInt(x.length));
  if (r === undefined) return undefined;
  const off = address - r.address;
  return off === 0n ? r.name : `${r.name}+0x${off.toString(16)}`;
}
