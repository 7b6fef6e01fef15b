// The fuzz options' defaults and bounds, shared by `vpdma fuzz`, `vpdma nightly`, fuzzTarget()
// and what reads their reports back: merge's checks of older reports, and rerunOptions, which
// leaves an option at its default out of the command it prints (so the two must agree).
import { timeoutMsMax } from '../core/limits.js';

export const FUZZ_DEFAULTS = {
  /** Cases without --time (fuzz, fuzzTarget). */
  runs: 1000,
  /** --calls-max: calls per case at most. */
  callsMax: 64,
  /** --timeout, ms: a target call that takes longer is a hang. */
  timeoutMs: 1000,
  /** --attempts-max: replays one minimization may use. */
  attemptsMax: 2000,
  /** --repros-per-kind: failing cases minimized per violation kind and function. */
  reprosPerKind: 2,
} as const;

/** The most each option takes (a usage error above). */
export const FUZZ_MAX = {
  callsMax: 100_000,
  timeoutMs: timeoutMsMax,
  attemptsMax: 10_000_000,
  reprosPerKind: 1000,
} as const;
