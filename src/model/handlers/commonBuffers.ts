// B. Common buffers and contiguous memory (spec §1 B). Common buffers are physically
// contiguous; the logical address the device uses is the physical one.
import { allocationBytesMax, objectsMax, PAGE_SIZE } from '../../core/limits.js';
import { big, flag, num } from '../args.js';
import { leaving, misuse, ok, OK, type StepResult } from '../result.js';
import { pagesFor, type CommonBuffer, type ModelState } from '../state.js';
import type { Args } from '../values.js';
import { pagesLocked } from './locking.js';

const REACTOS_GET_MAX = 0x40000;
const U32_MAX_ADDR = 0xffffffffn;
const U64_MAX_ADDR = 0xffffffffffffffffn;

function allocate(
  s: ModelState,
  length: number,
  highest: bigint,
  api: CommonBuffer['api'],
  adapter: bigint,
  cacheEnabled: boolean,
): CommonBuffer | undefined {
  if (length === 0 || length > allocationBytesMax || s.commonBuffers.size >= objectsMax)
    return undefined;
  const n = pagesFor(length);
  const first = s.phys.contiguous(n, highest);
  if (first === undefined) return undefined;
  const pages = run(first, n);
  const va = s.kernelVa.take(length);
  const buffer: CommonBuffer = {
    va,
    logical: BigInt(first) * BigInt(PAGE_SIZE),
    length,
    cacheEnabled,
    api,
    adapter,
    pages,
  };
  s.commonBuffers.set(va, buffer);
  s.addRamRange(va, length, 'commonBuffer', pages);
  return buffer;
}

/** Pages first .. first + n - 1, in a loop: Array.from({ length }, f) takes a slow generic path. */
function run(first: number, n: number): number[] {
  const pages: number[] = [];
  for (let i = 0; i < n; i++) pages.push(first + i);
  return pages;
}

function free(s: ModelState, b: CommonBuffer): void {
  s.commonBuffers.delete(b.va);
  s.removeRange(b.va);
  s.phys.release(b.pages);
}

// Neither source says what a failure leaves in *LogicalAddress (ReactOS: "unverified").
const ALLOCATE_ZERO = leaving(ok('zero-length', 0n), 'logicalAddress');
const ALLOCATE_FAILED = leaving(ok('no-memory', 0n), 'logicalAddress');

// A failed GetCommonBuffer, [zero length, no memory]. ReactOS writes *pActualLength = 0 once
// it reaches the allocation (spec §4.6); the docs promise neither out-parameter on a failure.
const getFailed = (...open: string[]): readonly [StepResult, StepResult] => [
  leaving(ok('zero-length', 0n, { pActualLength: 0 }), ...open),
  leaving(ok('no-memory', 0n, { pActualLength: 0 }), ...open),
];
const GET_FAILED = getFailed('logicalAddress', 'pActualLength');
const GET_FAILED_REACTOS = getFailed('logicalAddress');

export function allocateCommonBuffer(s: ModelState, a: Args): StepResult {
  const handle = big(a['vpDmaAdapter']);
  const adapter = s.adapters.get(handle);
  if (adapter === undefined) {
    if (handle === 0n && s.reactos) return ok('null-adapter', 0n);
    return misuse('unknown-adapter', 0n);
  }
  const highest = adapter.dma64 ? U64_MAX_ADDR : U32_MAX_ADDR;
  const b = allocate(
    s,
    num(a['desiredLength']),
    highest,
    'allocate',
    handle,
    flag(a['cacheEnabled']),
  );
  if (b === undefined) return num(a['desiredLength']) === 0 ? ALLOCATE_ZERO : ALLOCATE_FAILED;
  return ok('ok', b.va, { logicalAddress: b.logical });
}

function matches(b: CommonBuffer, a: Args, adapter: bigint): boolean {
  return (
    b.adapter === adapter &&
    b.length === num(a['length']) &&
    b.logical === big(a['logicalAddress']) &&
    b.cacheEnabled === flag(a['cacheEnabled'])
  );
}

export function releaseCommonBuffer(s: ModelState, a: Args): StepResult {
  const adapter = big(a['vpDmaAdapter']);
  if (adapter === 0n && s.reactos) return ok('null-adapter');
  const b = s.commonBuffers.get(big(a['virtualAddress']));
  if (b === undefined) return misuse('release-unknown-buffer');
  if (pagesLocked(s, b.pages)) return misuse('release-locked-buffer');
  const exact = b.api === 'allocate' && matches(b, a, adapter);
  if (exact) {
    free(s, b);
    return OK;
  }
  // ReactOS forwards to the kernel unvalidated: the buffer at that address goes.
  if (s.reactos) free(s, b);
  return misuse(b.api === 'allocate' ? 'release-mismatch' : 'release-of-get-buffer');
}

export function getCommonBuffer(s: ModelState, a: Args): StepResult {
  const length = num(a['desiredLength']);
  let adapter = 0n;
  let highest = U32_MAX_ADDR;
  if (s.reactos) {
    if (length > REACTOS_GET_MAX) return ok('over-palette-cap', 0n);
    const first = s.adapters.values().next();
    if (first.done === true) return ok('no-adapter', 0n);
    adapter = first.value.handle;
    if (first.value.dma64) highest = U64_MAX_ADDR;
  }
  const b = allocate(s, length, highest, 'get', adapter, flag(a['cacheEnabled']));
  if (b === undefined) {
    const failed = s.reactos ? GET_FAILED_REACTOS : GET_FAILED;
    return failed[length === 0 ? 0 : 1];
  }
  return ok('ok', b.va, { logicalAddress: b.logical, pActualLength: length });
}

export function freeCommonBuffer(s: ModelState, a: Args): StepResult {
  let adapter = 0n;
  if (s.reactos) {
    const first = s.adapters.values().next();
    if (first.done === true) return misuse('free-without-adapter-asserts');
    adapter = first.value.handle;
  }
  const b = s.commonBuffers.get(big(a['virtualAddress']));
  if (b === undefined) return misuse('free-unknown-buffer');
  if (pagesLocked(s, b.pages)) return misuse('free-locked-buffer');
  if (b.api === 'get' && matches(b, a, adapter)) {
    free(s, b);
    return OK;
  }
  if (s.reactos) free(s, b);
  return misuse(b.api === 'get' ? 'free-mismatch' : 'free-of-allocate-buffer');
}

export function allocateContiguousMemory(s: ModelState, a: Args): StepResult {
  const length = num(a['numberOfBytes']);
  if (length === 0 || length > allocationBytesMax || s.blocks.size >= objectsMax) {
    return ok(length === 0 ? 'zero-length' : 'too-large', 0n);
  }
  const n = pagesFor(length);
  const first = s.phys.contiguous(n, big(a['highestAcceptableAddress']));
  if (first === undefined) return ok('no-memory', 0n);
  const pages = run(first, n);
  const va = s.kernelVa.take(length);
  s.blocks.set(va, { va, length, kind: 'contiguous', pages });
  s.addRamRange(va, length, 'contiguous', pages);
  return ok('ok', va);
}
