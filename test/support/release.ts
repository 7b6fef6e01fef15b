// Test support: a fixture held at the point a test needs it (a target's start, a call) until
// the test writes a release file, so that what happens in the child before and after a signal
// is decided by the test, not by how fast a loaded machine runs the child.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { interruptCli } from './runCli.js';
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

/**
 * The CLI run with `fifo` made a FIFO nobody reads yet (a report its `argv` names), SIGTERM sent
 * once `ready`: the report's write holds there until the test reads it, once the child has
 * heard the signal, so the signal lands while the reports are written. Its text comes back
 * ('' if the child never said it heard: killed by the signal, it opens no FIFO, and a read
 * would wait for ever).
 */
export async function signalWhileWriting(
  argv: readonly string[],
  fifo: string,
  ready: (stderr: () => string, stdout: () => string) => Promise<unknown>,
): Promise<Awaited<ReturnType<typeof interruptCli>> & { text: string }> {
  execFileSync('mkfifo', [fifo]);
  let text = '';
  const r = await interruptCli(argv, ready, false, {
    signal: 'SIGTERM',
    afterSignal: async (stderr) => {
      if (await waitFor(() => stderr().includes('vpdma: SIGTERM: '), 30_000))
        text = await readFile(fifo, 'utf8');
    },
  });
  return { ...r, text };
}
