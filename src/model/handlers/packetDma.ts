// D. Packet-based DMA (spec §1 D) and the two environment events that drive it: the port
// calling HwVidExecuteDma with the list, and the device moving the bytes it describes.
import { ERROR_NOT_ENOUGH_MEMORY, NO_ERROR } from '../../core/constants.js';
import { objectsMax, PAGE_SIZE } from '../../core/limits.js';
import { big, flag, num } from '../args.js';
import { misuse, ok, type StepResult } from '../result.js';
import type { Adapter, Mdl, ModelState, SgElement, Transfer } from '../state.js';
import type { Args } from '../values.js';
import { coalesce } from './locking.js';

/**
 * The largest run of consecutive free map registers (the first of equal ones). A transfer
 * takes consecutive registers, so two live lists never share a logical address.
 */
function freeRun(s: ModelState, adapter: Adapter): { first: number; count: number } {
  if (adapter.mapRegistersUsed === 0) return { first: 0, count: adapter.mapRegisters };
  const used: Array<[number, number]> = [];
  for (const t of s.transfers.values())
    if (t.adapter === adapter.handle && t.state !== 'queued')
      used.push([t.firstRegister, t.mapRegisters]);
  used.sort((x, y) => x[0] - y[0]);
  used.push([adapter.mapRegisters, 0]);
  let best = { first: 0, count: 0 };
  let at = 0;
  for (const [first, count] of used) {
    if (first - at > best.count) best = { first: at, count: first - at };
    at = Math.max(at, first + count);
  }
  return best;
}

function grant(
  adapter: Adapter,
  mdl: Mdl,
  offset: number,
  requested: number,
  free: number,
): number {
  const startInPage = Number((mdl.va + BigInt(offset)) & 0xfffn);
  const byRegisters = free * PAGE_SIZE - startInPage;
  const wanted = Math.min(requested, mdl.length - offset);
  return Math.max(0, Math.min(wanted, adapter.maximumLength, byRegisters));
}

/** Pages a 32-bit adapter's device cannot reach: at or above 4 GiB. */
const FIRST_HIGH_PAGE = 0x100000000 / PAGE_SIZE;

/**
 * The page keys a device sees for a transfer's pages: the pages themselves, but for an adapter
 * without 64-bit addressing a page above 4 GiB is seen through the transfer's own map register
 * (its page of the adapter's logical window, below 4 GiB), as the HAL double-buffers it.
 */
function reachable(
  adapter: Adapter,
  keys: readonly number[],
  firstRegister: number,
): readonly number[] {
  if (adapter.dma64 || keys.every((k) => k < FIRST_HIGH_PAGE)) return keys;
  const window = Number(adapter.logicalWindow) / PAGE_SIZE + firstRegister;
  return keys.map((k, i) => (k < FIRST_HIGH_PAGE ? k : window + i));
}

function elementsFor(
  adapter: Adapter,
  mdl: Mdl,
  offset: number,
  length: number,
  firstRegister: number,
): SgElement[] {
  const startByte = Number(mdl.va & 0xfffn) + offset;
  const firstPage = Math.floor(startByte / PAGE_SIZE);
  const keys = mdl.keys.slice(
    firstPage,
    firstPage + Math.ceil(((startByte % PAGE_SIZE) + length) / PAGE_SIZE),
  );
  if (adapter.scatterGather)
    return coalesce(reachable(adapter, keys, firstRegister), startByte % PAGE_SIZE, length);
  // Without scatter/gather the map registers present one contiguous logical window.
  return [
    {
      address: adapter.logicalWindow + BigInt(firstRegister * PAGE_SIZE + (startByte % PAGE_SIZE)),
      length,
    },
  ];
}

export function startDma(s: ModelState, a: Args): StepResult {
  const pLength = num(a['pLength']);
  const adapter = s.adapters.get(big(a['vpDmaAdapter']));
  const mdl = s.mdls.get(big(a['mdl']));
  if (adapter === undefined) return misuse('unknown-adapter', ERROR_NOT_ENOUGH_MEMORY);
  if (mdl === undefined) return misuse('unknown-mdl', ERROR_NOT_ENOUGH_MEMORY);
  if (s.reactos) return startWhole(s, a, adapter, mdl);
  const offset = num(a['offset']);
  if (offset >= mdl.length)
    return misuse('offset-beyond-buffer', ERROR_NOT_ENOUGH_MEMORY, { pLength: 0 });
  if (pLength === 0) return ok('zero-length', ERROR_NOT_ENOUGH_MEMORY, { pLength: 0 });
  const run = freeRun(s, adapter);
  const granted =
    s.transfers.size >= objectsMax ? 0 : grant(adapter, mdl, offset, pLength, run.count);
  if (granted === 0) return ok('no-map-registers', ERROR_NOT_ENOUGH_MEMORY, { pLength: 0 });
  const t: Transfer = {
    sgList: s.newHandle(),
    adapter: adapter.handle,
    mdl: mdl.handle,
    offset,
    length: granted,
    writeToDevice: flag(a['writeToDevice']),
    context: big(a['context']),
    mapRegisters: registersFor(mdl, offset, granted),
    firstRegister: run.first,
    elements: elementsFor(adapter, mdl, offset, granted, run.first),
    state: 'pending',
  };
  adapter.mapRegistersUsed += t.mapRegisters;
  mdl.inFlight++;
  s.transfers.set(t.sgList, t);
  s.bump();
  return ok(granted < pLength ? 'partial' : 'ok', NO_ERROR, { pLength: granted });
}

function registersFor(mdl: Mdl, offset: number, length: number): number {
  return Math.ceil((Number((mdl.va + BigInt(offset)) & 0xfffn) + length) / PAGE_SIZE);
}

/**
 * ReactOS asks the HAL for the whole MDL at once, Offset and *pLength ignored (spec §1 D). The
 * HAL fails only a request that needs more map registers than the adapter has (8, *pLength =
 * 0); one that must wait for busy registers it queues behind any already waiting on the
 * adapter and returns success, and a CompleteDma that frees enough grants it
 * (hal/halx86/generic/dma.c HalAllocateAdapterChannel, IoFreeAdapterChannel: spec-gaps.md).
 * *pLength is never written on success.
 */
function startWhole(s: ModelState, a: Args, adapter: Adapter, mdl: Mdl): StepResult {
  const registers = registersFor(mdl, 0, mdl.length);
  if (
    s.transfers.size >= objectsMax ||
    mdl.length > adapter.maximumLength ||
    registers > adapter.mapRegisters
  )
    return ok('no-map-registers', ERROR_NOT_ENOUGH_MEMORY, { pLength: 0 });
  const t: Transfer = {
    sgList: s.newHandle(),
    adapter: adapter.handle,
    mdl: mdl.handle,
    offset: 0,
    length: mdl.length,
    writeToDevice: flag(a['writeToDevice']),
    context: big(a['context']),
    mapRegisters: registers,
    firstRegister: 0,
    // Placed at register 0; grantQueued moves a non-scatter/gather window to its registers.
    elements: elementsFor(adapter, mdl, 0, mdl.length, 0),
    state: 'queued',
  };
  mdl.inFlight++;
  s.transfers.set(t.sgList, t);
  grantQueued(s, adapter);
  s.bump();
  return s.transfers.get(t.sgList)?.state === 'queued'
    ? ok('queued', NO_ERROR)
    : ok('ok', NO_ERROR);
}

/**
 * Grants the adapter's queued transfers in the order they were started, stopping at the first
 * that does not fit the free map registers (as ReactOS's channel wait queue does). Replacing a
 * map entry keeps its place, so @executeDma still delivers in start order.
 */
function grantQueued(s: ModelState, adapter: Adapter): void {
  for (const t of s.transfers.values()) {
    if (t.adapter !== adapter.handle || t.state !== 'queued') continue;
    const run = freeRun(s, adapter);
    if (t.mapRegisters > run.count) return;
    // Placed at register 0 when queued: the window addresses move to the registers granted.
    const shift = BigInt(run.first * PAGE_SIZE);
    const mdl = adapter.dma64 ? undefined : s.mdls.get(t.mdl);
    const elements = !adapter.scatterGather
      ? t.elements.map((e) => ({ address: e.address + shift, length: e.length }))
      : mdl === undefined
        ? t.elements
        : elementsFor(adapter, mdl, t.offset, t.length, run.first);
    s.transfers.set(t.sgList, { ...t, firstRegister: run.first, elements, state: 'pending' });
    adapter.mapRegistersUsed += t.mapRegisters;
  }
}

export function completeDma(s: ModelState, a: Args): StepResult {
  const t = s.transfers.get(big(a['vpScatterGather']));
  if (t === undefined) return misuse('complete-unknown-list', NO_ERROR);
  // A queued transfer's list does not exist yet: completing its handle is as early.
  if (t.state !== 'delivered') return misuse('complete-before-execute', NO_ERROR);
  s.transfers.delete(t.sgList);
  const adapter = s.adapters.get(t.adapter);
  if (adapter !== undefined) adapter.mapRegistersUsed -= t.mapRegisters;
  if (adapter !== undefined && s.reactos) grantQueued(s, adapter);
  const mdl = s.mdls.get(t.mdl);
  if (mdl !== undefined) mdl.inFlight--;
  s.bump();
  if (big(a['vpDmaAdapter']) !== t.adapter) return misuse('complete-wrong-adapter', NO_ERROR);
  if (flag(a['writeToDevice']) !== t.writeToDevice)
    return misuse('complete-direction-mismatch', NO_ERROR);
  return ok(t.length === mdl?.length ? 'ok' : 'ok-partial', NO_ERROR);
}

export function executeDma(s: ModelState, a: Args): StepResult {
  const adapter = big(a['vpDmaAdapter']);
  for (const t of s.transfers.values()) {
    if (t.adapter !== adapter || t.state !== 'pending') continue;
    t.state = 'delivered';
    s.bump();
    const elements = t.elements.map((e) => ({ address: e.address, length: e.length }));
    return ok(t.elements.length > 1 ? 'many-elements' : 'one-element', undefined, {
      sgList: t.sgList,
      context: t.context,
      elements,
    });
  }
  return misuse('no-pending-transfer', undefined, { sgList: 0n, context: 0n, elements: [] });
}

/** The device executes a delivered list: bytes move between the MDL's pages and the aperture. */
export function deviceDma(s: ModelState, a: Args): StepResult {
  const t = s.transfers.get(big(a['sgList']));
  if (t === undefined || t.state !== 'delivered') return misuse('device-dma-without-list', 0);
  const mdl = s.mdls.get(t.mdl);
  if (mdl === undefined) return misuse('device-dma-after-unlock', 0);
  const device = big(a['deviceAddress']);
  const end = device + BigInt(t.length);
  if (s.apertureOf('memory', device, end) < 0) return misuse('device-address-outside-aperture', 0);
  moveBytes(s, mdl, t, device);
  return ok(t.writeToDevice ? 'to-device' : 'from-device', t.length);
}

/** Device addresses below this stay exact in Number arithmetic for any transfer (< 2^32). */
const exactDeviceMax = BigInt(Number.MAX_SAFE_INTEGER) - 0x100000000n;

function moveBytes(s: ModelState, mdl: Mdl, t: Transfer, device: bigint): void {
  let done = 0;
  let byte = Number(mdl.va & 0xfffn) + t.offset;
  // Apertures sit far below 2^53: each chunk's page and offset without BigInt arithmetic.
  const exact = device <= exactDeviceMax;
  const base = exact ? Number(device) : 0;
  while (done < t.length) {
    const ramKey = mdl.keys[Math.floor(byte / PAGE_SIZE)] ?? 0;
    const ramOff = byte % PAGE_SIZE;
    const devAddr = exact ? 0n : device + BigInt(done);
    const devKey = exact ? Math.floor((base + done) / PAGE_SIZE) : Number(devAddr >> 12n);
    const devOff = exact ? (base + done) % PAGE_SIZE : Number(devAddr & 0xfffn);
    const n = Math.min(PAGE_SIZE - ramOff, PAGE_SIZE - devOff, t.length - done);
    if (t.writeToDevice) s.mem.copy(ramKey, ramOff, devKey, devOff, n);
    else s.mem.copy(devKey, devOff, ramKey, ramOff, n);
    done += n;
    byte += n;
  }
}
