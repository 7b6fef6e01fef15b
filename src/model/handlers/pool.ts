// G. Pool helpers (spec §1 G): relevant as allocation state and as driver-writable memory.
import { ERROR_NOT_ENOUGH_MEMORY, NO_ERROR } from '../../core/constants.js';
import { allocationBytesMax, objectsMax } from '../../core/limits.js';
import { big, num } from '../args.js';
import { leaving, misuse, ok, OK, type StepResult } from '../result.js';
import { pagesFor, type ModelState, type PoolBlock } from '../state.js';
import type { Args } from '../values.js';
import { pagesLocked } from './locking.js';

const POOL_TYPES = new Set([0, 1, 4, 5]);

function allocateBlock(s: ModelState, length: number, kind: 'pool' | 'buffer'): bigint | undefined {
  if (length === 0 || length > allocationBytesMax || s.blocks.size >= objectsMax) return undefined;
  const pages = s.phys.scattered(pagesFor(length));
  if (pages === undefined) return undefined;
  const va = s.kernelVa.take(length);
  s.blocks.set(va, { va, length, kind, pages });
  s.addRamRange(va, length, kind, pages);
  return va;
}

function freeBlock(s: ModelState, b: PoolBlock): void {
  s.blocks.delete(b.va);
  s.removeRange(b.va);
  s.phys.release(b.pages);
}

export function allocatePool(s: ModelState, a: Args): StepResult {
  if (!POOL_TYPES.has(num(a['poolType']))) return misuse('bad-pool-type', 0n);
  const va = allocateBlock(s, num(a['numberOfBytes']), 'pool');
  return va === undefined
    ? ok(num(a['numberOfBytes']) === 0 ? 'zero-length' : 'no-memory', 0n)
    : ok('ok', va);
}

export function freePool(s: ModelState, a: Args): StepResult {
  const b = s.blocks.get(big(a['ptr']));
  if (b === undefined || b.kind !== 'pool') return misuse('free-unknown-pool');
  if (pagesLocked(s, b.pages)) return misuse('free-locked-pool');
  freeBlock(s, b);
  return OK;
}

const BUFFER_OPEN = leaving(ok('no-memory', ERROR_NOT_ENOUGH_MEMORY), 'buffer');

export function allocateBuffer(s: ModelState, a: Args): StepResult {
  const va = allocateBlock(s, num(a['size']), 'buffer');
  if (va !== undefined) return ok('ok', NO_ERROR, { buffer: va });
  // ReactOS always writes *Buffer (spec §1 G); the docs promise nothing on failure.
  if (s.reactos) return ok('no-memory', ERROR_NOT_ENOUGH_MEMORY, { buffer: 0n });
  return BUFFER_OPEN;
}

export function releaseBuffer(s: ModelState, a: Args): StepResult {
  const b = s.blocks.get(big(a['buffer']));
  if (b === undefined || b.kind !== 'buffer') return misuse('release-unknown-buffer');
  if (pagesLocked(s, b.pages)) return misuse('release-locked-buffer');
  freeBlock(s, b);
  return OK;
}
