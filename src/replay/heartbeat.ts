// The shared-memory heartbeat between a worker and the pool's watchdog (HEARTBEAT_SLOTS Int32
// slots): 0 = the item or case running (-1 when idle), 1 = the index of the call in progress,
// 2 = a counter bumped at every call, 3 = that call's function (fnIndex.ts), 4 = the item or
// case in hand, loading included (-1 when none): what a worker that died was working on;
// 5 = a counter bumped at every answer a process target sends, so one call made of many
// requests (the call, touched, state, reads) is not taken for a hang while answers come;
// 6 = the targets started (each start bumps 2 as well, as progress: callsMade subtracts it);
// 7 = stop: set by the pool when the run is interrupted, read by the replay loop before each
// call, which then returns what it has so far; 8 = violations found in the task so far
// (listed or not), for progress; 9 = KiB of streamed trace files read in the task so far (a
// long trace's fraction done: Int32 KiB reach 2 TiB).
import { fnIndex, fnName } from './fnIndex.js';
import { HEARTBEAT_SLOTS } from './protocol.js';
import { NOT_STARTED, violation, type Violation } from './violation.js';

/** A task's heartbeat (shared, for a worker) before it starts: no item, case or call in hand. */
export function newHeartbeat(): { readonly buffer: SharedArrayBuffer; readonly beat: Int32Array } {
  const buffer = new SharedArrayBuffer(HEARTBEAT_SLOTS * 4);
  const beat = new Int32Array(buffer);
  Atomics.store(beat, 0, -1);
  Atomics.store(beat, 3, -1);
  Atomics.store(beat, 4, -1);
  return { buffer, beat };
}

/** Worker side: item or case `id` is in hand (reading it, starting its target, replaying it). */
export function holding(hb: Int32Array | undefined, id: number): void {
  if (hb === undefined) return;
  Atomics.store(hb, 4, id);
  Atomics.store(hb, 0, -1);
  Atomics.store(hb, 1, 0);
  Atomics.store(hb, 3, -1);
}

/**
 * Worker side: item or case `id`'s target is being created. The watchdog times its factory as
 * a call (one that loops synchronously can only be stopped by terminating the worker); no
 * function is in progress, which is how hungCallViolation tells a start from a call.
 */
export function starting(hb: Int32Array | undefined, id: number): void {
  if (hb === undefined) return;
  Atomics.store(hb, 1, 0);
  Atomics.store(hb, 3, -1);
  Atomics.store(hb, 0, id);
  Atomics.add(hb, 2, 1);
  Atomics.add(hb, 6, 1);
}

/**
 * Worker side: `read` (the next batch of a streamed trace) runs outside the target, so the
 * watchdog does not time it: a slow line (a 4 MiB line nested 2,000,000 deep, megabytes of
 * blank lines) is not the target's hang. The item stays in hand (slot 4) for a crash.
 */
export async function outsideTarget<T>(
  hb: Int32Array | undefined,
  read: () => Promise<T>,
): Promise<T> {
  if (hb === undefined) return read();
  const running = Atomics.exchange(hb, 0, -1);
  try {
    return await read();
  } finally {
    Atomics.store(hb, 0, running);
  }
}

/** The heartbeat of the task this worker runs (one task at a time per worker). */
let current: Int32Array | undefined;

/** Worker side: the task now running beats `hb`. */
export function watchedBy(hb: Int32Array | undefined): void {
  current = hb;
}

/** Worker side: the target answered a request; the call it belongs to is not hung. */
export function answered(): void {
  if (current !== undefined) Atomics.add(current, 5, 1);
}

/** Pool side: changes while the worker makes progress (calls, or answers within one). */
export function progressCount(hb: Int32Array): number {
  return Atomics.load(hb, 2) + Atomics.load(hb, 5);
}

/** Pool side: calls begun in the task so far (the progress display's; starts not counted). */
export function callsMade(hb: Int32Array): number {
  return Atomics.load(hb, 2) - Atomics.load(hb, 6);
}

/** Pool side: asks the task to stop where it is and return what it has so far. */
export function askStop(hb: Int32Array): void {
  Atomics.store(hb, 7, 1);
}

/** Worker side: the pool asked the task to stop (askStop). */
export function stopAsked(hb: Int32Array | undefined): boolean {
  return hb !== undefined && Atomics.load(hb, 7) !== 0;
}

/** Worker side: a violation was found (listed or not). */
export function violationFound(hb: Int32Array): void {
  Atomics.add(hb, 8, 1);
}

/** Pool side: violations found in the task so far (the progress display's). */
export function violationsFound(hb: Int32Array): number {
  return Atomics.load(hb, 8);
}

/** Worker side: `kib` more KiB of a streamed trace file were read. */
export function readKib(hb: Int32Array, kib: number): void {
  Atomics.add(hb, 9, kib);
}

/** Pool side: bytes of streamed trace files read in the task so far (to the KiB). */
export function bytesRead(hb: Int32Array): number {
  return Atomics.load(hb, 9) * 1024;
}

/** Worker side: call `callIndex` (function `fn`) is starting. */
export function beat(hb: Int32Array, callIndex: number, fn: string): void {
  Atomics.store(hb, 1, callIndex);
  Atomics.store(hb, 3, fnIndex(fn));
  Atomics.add(hb, 2, 1);
}

/** Pool side, after the watchdog killed a worker: the target-timeout of the call it hung in. */
export function hungCallViolation(hb: Int32Array, timeoutMs: number): Violation {
  if (Atomics.load(hb, 3) < 0)
    return violation(
      'target-timeout',
      '(start)',
      0,
      `${NOT_STARTED}: the factory did not return within ${timeoutMs} ms; its worker was terminated`,
    );
  const fn = fnName(Atomics.load(hb, 3));
  return violation(
    'target-timeout',
    fn,
    Atomics.load(hb, 1),
    `${fn} did not return within ${timeoutMs} ms; its worker was terminated`,
  );
}

/** Pool side: the item or case the worker had in hand when it died, or -1. */
export function heldItem(hb: Int32Array): number {
  return Atomics.load(hb, 4);
}

/**
 * Pool side, after a worker thread died under a target (it exited, ran out of memory, or threw
 * outside any call): a target-crashed violation at the call it was in, if it was in one.
 */
export function deadWorkerViolation(hb: Int32Array, why: string): Violation {
  const fnAt = Atomics.load(hb, 3);
  const inCall = Atomics.load(hb, 0) === Atomics.load(hb, 4) && fnAt >= 0;
  const fn = inCall ? fnName(fnAt) : '(start)';
  const at = inCall ? Atomics.load(hb, 1) : 0;
  const what = inCall
    ? `${fn} killed its worker thread`
    : 'the worker thread died before the first call (reading the trace or starting the target)';
  return violation('target-crashed', fn, at, `${what} (${why})`);
}
