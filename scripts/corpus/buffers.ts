// Common-buffer helpers and a byte mirror: what the driver believes a buffer holds, so its
// later checks (@read) compare against exactly what it wrote or what DMA moved.
import type { Driver } from './driver.js';

export interface CommonBuffer {
  readonly va: bigint;
  readonly logical: bigint;
  readonly length: number;
  readonly cacheEnabled: boolean;
}

export function allocateCommonBuffer(
  d: Driver,
  vpDmaAdapter: bigint,
  desiredLength: number,
  cacheEnabled: boolean,
): CommonBuffer {
  const r = d.call('VideoPortAllocateCommonBuffer', {
    vpDmaAdapter,
    desiredLength,
    cacheEnabled,
    reserved: 0n,
  });
  const logical = d.out(r, 'logicalAddress');
  if (typeof r.ret !== 'bigint' || r.ret === 0n || typeof logical !== 'bigint') {
    throw new Error('AllocateCommonBuffer failed');
  }
  return { va: r.ret, logical, length: desiredLength, cacheEnabled };
}

/** ReleaseCommonBuffer with exactly the allocation's inputs and outputs (S4). */
export function releaseCommonBuffer(d: Driver, vpDmaAdapter: bigint, b: CommonBuffer): void {
  d.call('VideoPortReleaseCommonBuffer', {
    vpDmaAdapter,
    length: b.length,
    logicalAddress: b.logical,
    virtualAddress: b.va,
    cacheEnabled: b.cacheEnabled,
  });
}

/** The obsolete pair: GetCommonBuffer ... FreeCommonBuffer (VirtualAddress first!). */
export function getCommonBuffer(
  d: Driver,
  desiredLength: number,
  alignment: number,
  cacheEnabled: boolean,
): CommonBuffer {
  const r = d.call('VideoPortGetCommonBuffer', { desiredLength, alignment, cacheEnabled });
  const logical = d.out(r, 'logicalAddress');
  const actual = d.out(r, 'pActualLength');
  if (typeof r.ret !== 'bigint' || r.ret === 0n || typeof logical !== 'bigint') {
    throw new Error('GetCommonBuffer failed');
  }
  const length = typeof actual === 'number' ? actual : desiredLength;
  return { va: r.ret, logical, length, cacheEnabled };
}

export function freeCommonBuffer(d: Driver, b: CommonBuffer): void {
  d.call('VideoPortFreeCommonBuffer', {
    length: b.length,
    virtualAddress: b.va,
    logicalAddress: b.logical,
    cacheEnabled: b.cacheEnabled,
  });
}

/** A buffer's expected contents, kept by the driver alongside its writes. */
export class Mirror {
  readonly bytes: Uint8Array;

  constructor(
    private readonly d: Driver,
    readonly va: bigint,
    length: number,
  ) {
    this.bytes = new Uint8Array(length);
  }

  /** Writes data at offset, through the driver, and remembers it. */
  put(offset: number, data: Uint8Array): void {
    this.bytes.set(data, offset);
    this.d.write(this.va + BigInt(offset), data);
  }

  /** Checks `length` bytes at `offset` of `va` (another view of the same data, or this). */
  check(offset: number, length: number, va: bigint = this.va): void {
    this.d.expect(va + BigInt(offset), this.bytes.subarray(offset, offset + length));
  }
}
