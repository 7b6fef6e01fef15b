// The minimizer: pure orchestration around an injected, batched "still fails the same way"
// predicate (STYLE lesson 7). It never replays anything itself; the CLI or the fuzzer wires
// the predicate to a pool. Passes, in order (syzkaller's prog/minimization.go shape):
//   (a) cut everything after the failing call;
//   (b) keep only the failing call's resource chain;
//   (c) delta debugging: remove chunks of calls, halving down to single calls, repeated at
//       single calls until none can go;
//   (d) argument simplification;
//   (e) swaps (swaps.ts): a call removed while one argument of a call sharing an object with
//       it takes another of its table values, when (c) and (d) are stuck;
// then (c), (d) and (e) again until neither (d) nor (e) changes anything, so the result is
// 1-minimal: removing any single call (in every removal variant), even with one such argument
// changed, no longer fails. Only an exhausted budget or an abort ends earlier, and the result
// says so.
import type { Profile } from '../model/device.js';
import type { Trace } from '../trace/trace.js';
import { Driver, roundsMax } from './driver.js';
import type { Resolution } from './materialize.js';
import {
  chainOnly,
  cutAfter,
  DEFAULT_VARIANTS,
  simplifications,
  type RemovalVariant,
  type SlotCursor,
} from './passes.js';
import type { StillFails } from '../trace/stillFails.js';
import { Search } from './search.js';
import { swaps } from './swaps.js';

export type { StillFails } from '../trace/stillFails.js';
export type { RemovalVariant } from './passes.js';

export interface MinimizeOptions {
  /** Logical candidate attempts at most (the same count for every batch size). */
  readonly attemptsMax: number;
  /** Index of the failing call (the violation's callIndex); enables passes (a) and (b). */
  readonly failingIndex?: number;
  /**
   * The trace is a longer one already cut after the failing call (the caller read or kept no
   * further): it is not marked as tried, so pass (a) tries it exactly as it would have tried
   * the cut of the longer trace (the same attempts, the same result).
   */
  readonly inputCut?: boolean;
  /** Candidates handed to the predicate at once (default 1). Never changes the result. */
  readonly batchSize?: number;
  /** The oracle profile the predicate replays with (default: the header's, else docs). */
  readonly profile?: Profile;
  /** 'oracle' (default) or 'recorded': see materialize.ts. */
  readonly resolution?: Resolution;
  /** Removal variants, in the order tried (default: drop, null, literal). */
  readonly variants?: readonly RemovalVariant[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: MinimizeProgress) => void;
}

export interface MinimizeProgress {
  readonly pass: PassName;
  readonly calls: number;
  readonly attempts: number;
  readonly accepted: number;
}

export type PassName = 'cut' | 'chain' | 'remove' | 'simplify' | 'swap';

export interface PassStats {
  readonly pass: PassName;
  readonly attempts: number;
  readonly accepted: number;
  readonly callsAfter: number;
}

export interface MinimizeResult {
  readonly trace: Trace;
  /** Candidates tried, in order, up to and including each accepted one. */
  readonly attempts: number;
  readonly accepted: number;
  readonly passesRun: number;
  /** The attempt budget ran out: the result still fails, but may not be 1-minimal. */
  readonly exhausted: boolean;
  readonly aborted: boolean;
  readonly passes: readonly PassStats[];
  /** Predicate evaluations, speculative ones included: the only batch-dependent figure. */
  readonly evaluated: number;
}

export async function minimize(
  trace: Trace,
  stillFails: StillFails,
  options: MinimizeOptions,
): Promise<MinimizeResult> {
  const search = new Search(
    stillFails,
    options.attemptsMax,
    options.batchSize ?? 1,
    options.signal,
  );
  const d = new Driver(trace, search, options);
  const variants = options.variants ?? DEFAULT_VARIANTS;
  const failing = options.failingIndex;
  if (failing !== undefined && failing < d.length) {
    const cut = await d.once('cut', (l) => cutAfter(l, failing));
    // After a cut the failing call is the last one.
    const last = cut ? d.length - 1 : failing;
    await d.once('chain', (l) => chainOnly(l, last));
  }
  for (let round = 0; round < roundsMax && search.stopped === undefined; round++) {
    await d.ddmin(variants);
    if (search.stopped !== undefined) break;
    const origin: SlotCursor = { call: 0, slot: 0 };
    if (await d.pass('simplify', origin, simplifications)) continue;
    if (search.stopped !== undefined) break;
    // Only once removal and simplification are stuck: every candidate is a call shorter.
    if (!(await d.pass('swap', 0, (l, at: number) => swaps(l, at, variants)))) break;
  }
  return {
    trace: d.linked.trace,
    attempts: search.attempts,
    accepted: search.accepted,
    passesRun: d.passes.length,
    exhausted: search.stopped === 'attempts',
    aborted: search.stopped === 'aborted',
    passes: d.passes,
    evaluated: search.evaluated,
  };
}
