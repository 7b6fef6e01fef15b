// Asking a target for its coverage once its calls are done: `vpdma fuzz` after each case
// (the edges guide it), `vpdma replay` after each trace (the answer is dropped), so that a
// target whose coverage answer is garbage, or hangs, shows as the same target-crashed or
// target-timeout at the last call in both, and a fuzz finding of it reproduces.
import type { Replayer } from './replay.js';
import type { Target } from './target.js';
import { edgesFromModule } from './targetCoverage.js';

/**
 * The edge ids the target hit since it was last asked (undefined: it offers no coverage, or
 * no call ran); false when the answer was a fault, recorded in `r` at the last call.
 */
export async function coverageAfterCalls(
  r: Replayer,
  target: Target,
  lastFn: string,
  calls: number,
): Promise<Uint32Array | undefined | false> {
  if (target.coverage === undefined || calls === 0) return undefined;
  try {
    // Checked again whatever answered: a library caller's own target is not behind a guard.
    return edgesFromModule(await target.coverage());
  } catch (e) {
    return r.fault(lastFn, e, calls - 1);
  }
}
