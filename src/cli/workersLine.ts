// The start lines' `workers=`: what is known before the first case or trace of the threads a
// run will use, never more (the summary says what happened: fuzzReport.ts `threads`). A
// replay uses no more workers than it has traces; the campaign's pool for an in-process target
// starts its workers only once this thread has run cases for SOLO_MS (executor.ts), so a short
// run may start none; any other target's pool starts them all at once.
import { SOLO_MS, startsWorkersLate } from '../fuzz/executor.js';

/** `vpdma fuzz`'s: "2", or "up to 2 (...)" for a target whose workers start late. */
export function fuzzWorkersText(workers: number, target: string): string {
  return startsWorkersLate(target)
    ? `up to ${workers} (started if the cases outlast ${SOLO_MS} ms in this thread)`
    : String(workers);
}

/**
 * `vpdma nightly`'s: its corpus replay's workers (`replaying`: none when the target could not
 * be loaded) and its campaign's. One number when both are that number.
 */
export function nightlyWorkersText(replaying: number, workers: number, target: string): string {
  const fuzzing = fuzzWorkersText(workers, target);
  return fuzzing === String(replaying) ? fuzzing : `${replaying} replaying, ${fuzzing} fuzzing`;
}
