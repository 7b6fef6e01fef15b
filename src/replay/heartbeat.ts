// The shared-memory heartbeat between a worker and the pool's watchdog (HEARTBEAT_SLOTS Int32
// slots): 0 = the item or case running (-1 when idle), 1 = the index of the call in progress,
// 2 = a counter bumped at every call, 3 = that call's function (fnIndex.ts).
import { fnIndex, fnName } from './fnIndex.js';
import { violation, type Violation } from './violation.js';

/** Worker side: call `callIndex` (function `fn`) is starting. */
export function beat(hb: Int32Array, callIndex: number, fn: string): void {
  Atomics.store(hb, 1, callIndex);
  Atomics.store(hb, 3, fnIndex(fn));
  Atomics.add(hb, 2, 1);
}

/** Pool side, after the watchdog killed a worker: the target-timeout of the call it hung in. */
export function hungCallViolation(hb: Int32Array, timeoutMs: number): Violation {
  const fn = fnName(Atomics.load(hb, 3));
  return violation(
    'target-timeout',
    fn,
    Atomics.load(hb, 1),
    `${fn} did not return within ${timeoutMs} ms; its worker was terminated`,
  );
}
