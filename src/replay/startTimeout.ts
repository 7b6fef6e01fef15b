// How long a target may take to start. A program (Python with its imports, a target under
// valgrind) often needs more than the second a call gets under `vpdma fuzz`'s default --timeout.

/**
 * How long a fresh process child may take to start and answer hello, whatever --timeout says,
 * unless --load-timeout says (`given`). Not the module load's 30 s: a child that never answers
 * hello is started afresh for each trace or case, so this wait is paid again and again.
 */
export const START_TIMEOUT_MS = 5000;

/** A fresh process child's hello allowance: --load-timeout's, else the default above. */
export function helloTimeoutMs(timeoutMs: number, given: number | undefined): number {
  return given ?? Math.max(timeoutMs, START_TIMEOUT_MS);
}

/** The start allowance of the target given by `spec` (the pool's watchdog waits this long). */
export function startTimeoutMs(spec: string, timeoutMs: number, given?: number): number {
  return spec.startsWith('process:') ? helloTimeoutMs(timeoutMs, given) : timeoutMs;
}
