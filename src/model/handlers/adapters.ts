// A. DMA adapter objects (spec §1 A).
import { deadAdaptersMax, objectsMax, PAGE_SIZE } from '../../core/limits.js';
import { field, struct } from '../args.js';
import { misuse, ok, OK, type StepResult } from '../result.js';
import type { ModelState } from '../state.js';
import type { Args } from '../values.js';

export function getDmaAdapter(s: ModelState, a: Args): StepResult {
  const desc = struct(a['vpDeviceDescription']);
  if (desc === undefined)
    return misuse(s.reactos ? 'null-description-crash' : 'null-description', 0n);
  if (s.adapters.size >= objectsMax) return ok('limit', 0n);
  const dma = s.device.dma;
  const requested = Number(field(desc, 'maximumLength'));
  const maximumLength = Math.min(requested, dma.maximumLength);
  const handle = s.newHandle();
  s.adapters.set(handle, {
    handle,
    scatterGather: field(desc, 'scatterGather') === true && dma.scatterGather,
    dma64: field(desc, 'dma64BitAddresses') === true && dma.dma64BitAddresses,
    maximumLength,
    // Enough registers for the largest transfer, plus one for a page-straddling start.
    mapRegisters: Math.min(dma.mapRegisters, Math.ceil(maximumLength / PAGE_SIZE) + 1),
    mapRegistersUsed: 0,
    logicalWindow: s.newMapWindow(),
  });
  s.bump();
  return ok('ok', handle);
}

export function putDmaAdapter(s: ModelState, a: Args): StepResult {
  const handle = a['vpDmaAdapter'];
  if (typeof handle !== 'bigint' || !s.adapters.has(handle)) {
    const dead = typeof handle === 'bigint' && s.deadAdapters.has(handle);
    return misuse(dead ? 'double-put' : 'put-unknown-adapter');
  }
  s.adapters.delete(handle);
  s.deadAdapters.add(handle);
  if (s.deadAdapters.size > deadAdaptersMax)
    s.deadAdapters.delete(s.deadAdapters.values().next().value as bigint);
  s.bump();
  for (const b of s.commonBuffers.values())
    if (b.adapter === handle) return misuse('put-with-live-buffers');
  for (const t of s.transfers.values())
    if (t.adapter === handle) return misuse('put-with-live-transfers');
  return OK;
}
