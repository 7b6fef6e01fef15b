// Replaying a whole trace: the calls in memory, or batches streamed from a big file, through
// one Replayer, awaiting only when a step really is asynchronous.
import type { TraceCall } from '../model/values.js';
import type { TraceHeader } from '../trace/trace.js';
import { coverageAfterCalls } from './coverageAsk.js';
import { Replayer } from './replay.js';
import type { ReplayOptions, ReplayResult } from './replayTypes.js';
import type { Target } from './target.js';

/** A whole trace's calls, or a stream of them in batches (a .vpt file's frames). */
type Calls = readonly TraceCall[] | AsyncIterable<readonly TraceCall[]>;

/**
 * Replays a whole trace (an array, or batches streamed from a big file) against a target. The
 * header and calls must be valid, as the readers (readTrace, parseJsonl) make them; build
 * them in code and check them with validateHeader and validateCall (an unknown function
 * throws a TypeError; a missing argument would be blamed on the target). The target's
 * failures are values in the result; `close()` is the caller's to call.
 */
export async function replayTrace(
  header: TraceHeader,
  calls: Calls,
  target: Target,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const r = new Replayer(header, target, options);
  const stopped = options.stopped;
  const after = options.afterCall;
  const view = { model: r.model, book: r.book, target, timeoutMs: options.callTimeoutMs ?? 5000 };
  let lastFn = '';
  let count = 0;
  let stop = false;
  // A plain loop per batch: awaiting only when a step really is asynchronous.
  const batch = async (list: readonly TraceCall[]): Promise<boolean> => {
    for (const call of list) {
      if (stopped?.() === true) {
        stop = true;
        return false;
      }
      lastFn = call.fn;
      count++;
      const ok = r.step(call);
      if (!(ok instanceof Promise ? await ok : ok)) return false;
      const done = after?.(count - 1, view);
      if (done instanceof Promise) await done;
    }
    return true;
  };
  if (isBatch(calls)) {
    if (!(await batch(calls))) return stop ? interrupted(r) : crashed(r);
  } else {
    for await (const list of calls)
      if (!(await batch(list))) return stop ? interrupted(r) : crashed(r);
  }
  if (!(await r.finish(lastFn))) return crashed(r);
  // Asked and dropped: a bad answer is the same fault here as under vpdma fuzz (coverageAsk.ts).
  if ((await coverageAfterCalls(r, target, lastFn, count)) === false) return crashed(r);
  return r.result();
}

function isBatch(calls: Calls): calls is readonly TraceCall[] {
  return Array.isArray(calls);
}

/** Stopped when asked, before the trace's end: what was found so far. */
function interrupted(r: Replayer): ReplayResult {
  return { ...r.result(), interrupted: true };
}

function crashed(r: Replayer): ReplayResult {
  const last = r.violations[r.violations.length - 1];
  return r.result(last?.kind === 'target-timeout' ? 'timeout' : 'crash');
}
