// Test support: waiting for a child process to reach a point (a line printed, a file written)
// before acting on it, such as sending it SIGINT.

/** How long a wait may last: a CLI's start alone took 26 s at load 25 on two cores. */
export const WAIT_BOUND_MS = 120_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `look` every 50 ms until it is true or `boundMs` of wall time has passed: whether it
 * became true. The bound is a deadline, not a count of polls, and only ends a wait for what
 * never comes; a test that waits longer than its timeout allows fails by the timeout instead.
 */
export async function waitFor(look: () => boolean, boundMs = WAIT_BOUND_MS): Promise<boolean> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    if (look()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
}
