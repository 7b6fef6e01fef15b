// The NT4 driver's way of calling VideoPortMapDmaMemory: it insists on the documented NULL.
import type { Struct } from '../../src/model/values.js';
import type { Driver } from './driver.js';

/** VideoPortMapDmaMemory, as an NT4 driver calls it; insists on NULL. */
export function mapDmaMemory(
  d: Driver,
  a: {
    pVrp: Struct | bigint;
    boardAddress: bigint;
    length: number;
    inIoSpace: number;
    virtualAddress: bigint;
    events?: readonly [bigint, bigint];
  },
): void {
  const [mappedUserEvent, displayDriverEvent] = a.events ?? [0n, 0n];
  const pDma = d.ptr('VideoPortMapDmaMemory', {
    pVrp: a.pVrp,
    boardAddress: a.boardAddress,
    length: a.length,
    inIoSpace: a.inIoSpace,
    mappedUserEvent,
    displayDriverEvent,
    virtualAddress: a.virtualAddress,
  });
  if (pDma !== 0n) throw new Error('VideoPortMapDmaMemory returned a handle');
}
