// How long a target may take to start. A program (Python with its imports, a target under
// valgrind) often needs more than the second a call gets under `vpdma fuzz`'s default --timeout.

/** How long a fresh process child may take to start and answer hello, whatever --timeout says. */
export const START_TIMEOUT_MS = 5000;

/** The start allowance of the target given by `spec` (the pool's watchdog waits this long). */
export function startTimeoutMs(spec: string, timeoutMs: number): number {
  return spec.startsWith('process:') ? Math.max(timeoutMs, START_TIMEOUT_MS) : timeoutMs;
}
