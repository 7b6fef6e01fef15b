// Test support: a fixture held at the point a test needs it (a target's start, a call) until
// the test writes a release file, so that what happens in the child before and after a signal
// is decided by the test, not by how fast a loaded machine runs the child.
import { writeFileSync } from 'node:fs';
import { waitFor } from './waitFor.js';

/** What the CLI prints when it hears SIGINT (src/cli/interrupt.ts): its abort has been asked. */
export const HEARD_SIGINT = 'vpdma: SIGINT: ';

/**
 * For interruptCli's afterSignal: once the child says it heard the signal (its stop is asked
 * by then), `release` is written and the held fixture goes on, to stop where the stop is seen.
 */
export function releaseOnceHeard(release: string): (stderr: () => string) => Promise<void> {
  return async (stderr) => {
    await waitFor(() => stderr().includes(HEARD_SIGINT));
    writeFileSync(release, '');
  };
}
