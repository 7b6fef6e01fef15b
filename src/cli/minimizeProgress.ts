// `vpdma minimize`'s progress through its phases: the first replay (the calls replayed so far,
// the fraction of the file read and an ETA), preparing (reading and linking the calls up to the
// failing one: linking holds the thread, so the phase is shown before it starts), then
// minimizing (attempts so far, the calls left, candidates accepted, the pass). No total: the
// attempts cap (--attempts-max) bounds the attempts, it does not measure the work (a cut and a
// chain are often all it takes: 2 attempts of 10,000).
import { stat } from 'node:fs/promises';
import { bytesRead, callsMade } from '../replay/heartbeat.js';
import type { PiscinaExecutor } from '../replay/pool.js';
import { Progress, type ProgressOptions } from './progress.js';

/** How often the first replay's progress is read from the running task's heartbeat. */
const tickMs = 1000;

/** The first replay's progress, till the returned function ends it with `calls` replayed. */
export async function firstReplayProgress(
  options: ProgressOptions,
  executor: Pick<PiscinaExecutor, 'inFlight'>,
  file: string,
): Promise<(calls: number | undefined) => void> {
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  const progress = new Progress('minimize', 0, options);
  progress.mark(0, { phase: 'replaying' });
  const ticker = setInterval(() => {
    // Bytes are counted only as a big file is streamed; a small one is read whole, and fast.
    const read = executor.inFlight(bytesRead);
    progress.update(
      0,
      { phase: 'replaying', calls: executor.inFlight(callsMade) },
      size > 0 && read > 0 ? read / size : undefined,
    );
  }, tickMs);
  return (calls) => {
    clearInterval(ticker);
    if (calls !== undefined) progress.update(0, { phase: 'replayed', calls });
    progress.stop();
  };
}
