// One minimization the way `vpdma minimize` does it: minimize, then reshape and minimize again
// as fuzz does (minimizeDeep), the rounds summed into one result. The command and the
// library's minimizeTrace share it, so a finding minimized again, by either, comes out as the
// repro fuzz wrote.
import { minimizeDeep } from '../fuzz/shorten.js';
import { profileOf } from '../model/device.js';
import {
  minimize,
  type MinimizeProgress,
  type MinimizeResult,
  type StillFails,
} from '../minimize/minimize.js';
import { plural } from '../core/plural.js';
import type { Violation } from '../replay/violation.js';
import { validateMeta } from '../trace/meta.js';
import type { Trace } from '../trace/trace.js';
import { Bad } from '../trace/validateValue.js';

export interface ShrinkOptions {
  readonly attemptsMax: number;
  /** Candidates judged at once (speculative parallelism: the result is the same for any). */
  readonly batchSize: number;
  readonly signal?: AbortSignal;
  /** Progress with attempts and acceptances counted over all rounds. */
  readonly onProgress?: (p: MinimizeProgress) => void;
  /**
   * Calls in the trace `trace` was read from, when `trace` holds only its calls up to `v`'s
   * (read no further): more than `trace` has makes the first round's input a cut
   * (MinimizeOptions.inputCut). Default: `trace` is all of it.
   */
  readonly traceCalls?: number;
}

/** `trace` shrunk while it fails as `v` did (`stillFails` decides). */
export async function shrinkTrace(
  trace: Trace,
  v: Violation,
  stillFails: StillFails,
  o: ShrinkOptions,
): Promise<MinimizeResult> {
  const rounds: MinimizeResult[] = [];
  // The calls after v's go first: the first pass would cut them anyway, and this way they are
  // never linked or keyed (the work before the cut grew with the whole trace).
  const end = v.callIndex + 1;
  const start =
    trace.calls.length > end ? { header: trace.header, calls: trace.calls.slice(0, end) } : trace;
  // The one place that says whether the first round starts from a cut: this one, or the
  // caller's, who read no further than v's call.
  const inputCut = start.calls.length < Math.max(trace.calls.length, o.traceCalls ?? 0);
  const deep = await minimizeDeep(
    start,
    v.callIndex,
    stillFails,
    async (t, fails, failingIndex, attemptsMax) => {
      const before = sum(rounds, t);
      const m = await minimize(t, fails, {
        // What the earlier rounds left: --attempts-max caps them all together.
        attemptsMax,
        ...(failingIndex === undefined ? {} : { failingIndex }),
        ...(inputCut && t === start ? { inputCut } : {}),
        batchSize: o.batchSize,
        profile: profileOf(trace.header),
        // Only a captured trace can show a recorded-mismatch: keep what it recorded.
        resolution: v.kind === 'recorded-mismatch' ? 'recorded' : 'oracle',
        ...(o.signal === undefined ? {} : { signal: o.signal }),
        onProgress: (p) =>
          o.onProgress?.({
            ...p,
            attempts: before.attempts + p.attempts,
            accepted: before.accepted + p.accepted,
          }),
      });
      rounds.push(m);
      return m;
    },
    o.attemptsMax,
    o.signal,
  );
  return sum(rounds, deep.trace);
}

/** The rounds of one minimization as one result, ending at `trace`. */
function sum(rounds: readonly MinimizeResult[], trace: Trace): MinimizeResult {
  return {
    trace,
    attempts: rounds.reduce((n, m) => n + m.attempts, 0),
    accepted: rounds.reduce((n, m) => n + m.accepted, 0),
    passesRun: rounds.reduce((n, m) => n + m.passesRun, 0),
    exhausted: rounds.some((m) => m.exhausted),
    aborted: rounds.some((m) => m.aborted),
    passes: rounds.flatMap((m) => m.passes),
    evaluated: rounds.reduce((n, m) => n + m.evaluated, 0),
  };
}

/**
 * What `vpdma minimize` records beside what the repro was minimized from: everything that
 * decides the repro, so that the same input and these give the same repro, byte for byte.
 * `seed` is null: minimizing draws nothing at random (the input's own `seed`, the one that
 * finds its case with `vpdma fuzz`, stays in the meta as it was).
 */
export interface MinimizedRun {
  readonly seed: null;
  readonly target: string;
  readonly timeoutMs: number;
  /** --attempts: the candidate budget, which decides the repro when it runs out. */
  readonly attempts: number;
  /** --worker-heap-mb, when given. */
  readonly workerHeapMb?: number;
  /** --rss-limit-mb for a process: target, when not the default. */
  readonly rssLimitMb?: number;
}

/**
 * The repro as written: its header's meta says what it was minimized from (`minimized`:
 * `from`, `calls`, `kind`, `fn`, and for the command how: `run`). A description of the
 * original no longer describes the calls left, so it is kept behind what was done: "minimized
 * from a.jsonl (32 calls -> 4 calls): A texture upload ..." (one that is not a string moves
 * to `minimized.description`). Shrunk against the oracle, a repro of a capture records none
 * of its values: then it is not `captured` now.
 */
export function reproOf(
  shrunk: Trace,
  v: Violation,
  from: { readonly from?: string; readonly calls: number },
  run?: MinimizedRun,
): Trace {
  const h = shrunk.header;
  const { captured, description, ...rest } = h.meta;
  const recorded = shrunk.calls.some((c) => c.ret !== undefined || c.out !== undefined);
  const what = `minimized from ${from.from ?? 'a trace'} (${plural(from.calls, 'call')} -> ${plural(shrunk.calls.length, 'call')})`;
  const told = typeof description === 'string' ? { description: `${what}: ${description}` } : {};
  const moved = description === undefined || typeof description === 'string' ? {} : { description };
  const minimized = { ...from, kind: v.kind, fn: v.fn, ...moved, ...run };
  const kept = recorded && captured !== undefined ? { captured } : {};
  const meta = { ...rest, ...kept, ...told, minimized };
  // The description grew: should meta outgrow its limit, the original's text goes.
  const fits = told.description === undefined || !(validateMeta(meta) instanceof Bad);
  return {
    header: { ...h, meta: fits ? meta : { ...meta, description: what } },
    calls: shrunk.calls,
  };
}
