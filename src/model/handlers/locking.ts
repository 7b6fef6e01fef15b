// C. Buffer locking and MDLs (spec §1 C).
import {
  SG_ELEMENT_BYTES,
  SG_LIST_HEADER_BYTES,
  VideoPortDmaInitOnly,
} from '../../core/constants.js';
import { objectsMax, PAGE_SIZE } from '../../core/limits.js';
import { zeroed } from '../../core/zeroed.js';
import { pinPages } from '../access.js';
import { big, field, num, struct } from '../args.js';
import { misuse, ok, OK, type StepResult } from '../result.js';
import { writeRange } from '../ranges.js';
import { pagesFor, type Mdl, type ModelState, type SgElement } from '../state.js';
import type { Args, Struct } from '../values.js';

type LockResult = { mdl: Mdl } | { fail: string; misuse: boolean };

/**
 * Whether a live MDL locks any of these RAM pages. Freeing memory under a lock is a use after
 * free (spec §3: an MDL stays locked until unlocked): the device's DMA would land in whatever
 * reuses the pages, and which allocation that is belongs to the implementation.
 */
export function pagesLocked(s: ModelState, pages: readonly number[]): boolean {
  if (s.lockedPages.size === 0) return false;
  for (const k of pages) if (s.lockedPages.has(k)) return true;
  return false;
}

/** Counts (+1) or uncounts (-1) the pages an MDL locks in s.lockedPages. */
function countLocks(s: ModelState, mdl: Mdl, by: 1 | -1): void {
  for (const k of mdl.keys) {
    const n = (s.lockedPages.get(k) ?? 0) + by;
    if (n > 0) s.lockedPages.set(k, n);
    else s.lockedPages.delete(k);
  }
}

function lock(
  s: ModelState,
  va: bigint,
  length: number,
  op: number,
  origin: Mdl['origin'],
): LockResult {
  if (length === 0) return { fail: 'zero-length', misuse: false };
  if (op < 0 || op > 2) return { fail: 'bad-operation', misuse: true };
  if (s.mdls.size >= objectsMax) return { fail: 'limit', misuse: false };
  const keys = pinPages(s, va, length);
  // Windows would raise from MmProbeAndLockPages; ReactOS does not catch it (spec §1 C).
  if (keys === undefined)
    return { fail: s.reactos ? 'unhandled-probe-exception' : 'invalid-buffer', misuse: true };
  const mdl: Mdl = { handle: s.newHandle(), va, length, operation: op, origin, keys, inFlight: 0 };
  s.mdls.set(mdl.handle, mdl);
  countLocks(s, mdl, 1);
  s.bump();
  return { mdl };
}

export function lockBuffer(s: ModelState, a: Args): StepResult {
  const r = lock(s, big(a['baseAddress']), num(a['length']), num(a['operation']), 'LockBuffer');
  if ('mdl' in r) return ok('ok', r.mdl.handle);
  return r.misuse ? misuse(r.fail, 0n) : ok(r.fail, 0n);
}

export function unlockBuffer(s: ModelState, a: Args): StepResult {
  const handle = big(a['mdl']);
  if (handle === 0n) return s.reactos ? ok('null') : misuse('unlock-null');
  const mdl = s.mdls.get(handle);
  if (mdl === undefined) return misuse('unlock-unknown-mdl');
  s.mdls.delete(handle);
  countLocks(s, mdl, -1);
  s.bump();
  return mdl.inFlight > 0 ? misuse('unlock-with-transfer-in-flight') : OK;
}

/** Physically contiguous runs of a page list, as scatter/gather elements. */
export function coalesce(
  keys: readonly number[],
  firstOffset: number,
  length: number,
): SgElement[] {
  const out: SgElement[] = [];
  let done = 0;
  let runKey = 0; // first page of the current run
  let runOff = 0;
  let runLength = 0;
  for (let i = 0; i < keys.length && done < length; i++) {
    const key = keys[i] ?? 0;
    const off = i === 0 ? firstOffset : 0;
    const n = Math.min(PAGE_SIZE - off, length - done);
    // Every chunk but the last ends at its page's end, so the next page continues the run
    // exactly when it is the physically next page.
    if (runLength > 0 && key === runKey + Math.ceil((runOff + runLength) / PAGE_SIZE)) {
      runLength += n;
    } else {
      if (runLength > 0) out.push(element(runKey, runOff, runLength));
      runKey = key;
      runOff = off;
      runLength = n;
    }
    done += n;
  }
  if (runLength > 0) out.push(element(runKey, runOff, runLength));
  return out;
}

function element(key: number, off: number, length: number): SgElement {
  // One conversion while the byte address is exact as a number (below 2^53).
  const address =
    key < 2 ** 41 ? BigInt(key * PAGE_SIZE + off) : BigInt(key) * BigInt(PAGE_SIZE) + BigInt(off);
  return { address, length };
}

/** Docs: the port hands back a VP_SCATTER_GATHER_LIST (x64 layout) in OutputBuffer. */
function buildSgListBlock(s: ModelState, mdl: Mdl): [bigint, number] | undefined {
  const elements = coalesce(mdl.keys, Number(mdl.va & 0xfffn), mdl.length);
  const size = SG_LIST_HEADER_BYTES + elements.length * SG_ELEMENT_BYTES;
  const pages = s.phys.scattered(pagesFor(size));
  if (pages === undefined) return undefined;
  const va = s.kernelVa.take(size);
  s.blocks.set(va, { va, length: size, kind: 'lockedList', pages });
  s.addRamRange(va, size, 'lockedList', pages);
  const bytes = zeroed(size); // a slab region: an array of its own costs microseconds
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(0, elements.length, true);
  elements.forEach((e, i) => {
    view.setBigUint64(SG_LIST_HEADER_BYTES + i * SG_ELEMENT_BYTES, e.address, true);
    view.setUint32(SG_LIST_HEADER_BYTES + i * SG_ELEMENT_BYTES + 8, e.length, true);
  });
  const range = s.ranges.at(va);
  if (range !== undefined) writeRange(s.mem, range, 0, bytes);
  return [va, size];
}

export function lockPages(s: ModelState, a: Args): StepResult {
  const vrp = struct(a['pVrp']);
  if (vrp === undefined) return misuse('null-vrp', false);
  const flags = num(a['dmaFlags']);
  // ReactOS clears OutputBuffer before looking at anything else.
  const cleared: Struct = s.reactos ? { ...vrp, outputBuffer: 0n } : vrp;
  if (flags !== VideoPortDmaInitOnly) return ok('not-init-only', false, { pVrp: cleared });
  const input = field(vrp, 'inputBuffer');
  const length = Number(field(vrp, 'inputBufferLength'));
  const r = lock(s, typeof input === 'bigint' ? input : 0n, length, 2, 'LockPages');
  if (!('mdl' in r)) {
    const res = r.misuse
      ? misuse(r.fail, false, { pVrp: cleared })
      : ok(r.fail, false, { pVrp: cleared });
    return res;
  }
  if (s.reactos) {
    return ok('ok', true, {
      pVrp: { ...vrp, outputBuffer: r.mdl.handle, outputBufferLength: length },
    });
  }
  const list = buildSgListBlock(s, r.mdl);
  if (list === undefined) return ok('no-memory', false, { pVrp: vrp });
  return ok('ok', true, { pVrp: { ...vrp, outputBuffer: list[0], outputBufferLength: list[1] } });
}

export function unlockPages(s: ModelState): StepResult {
  // Docs: always TRUE; ReactOS: a stub returning FALSE. Neither unlocks anything.
  return s.reactos ? ok('stub', false) : ok('ok', true);
}
