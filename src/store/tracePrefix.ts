// A trace's first calls, read without holding the rest: what minimizing needs of a long
// capture, whose first pass cuts everything after the failing call anyway. The rest is
// streamed past (counted, when the caller does not know how many calls the trace holds).
import { callsMax } from '../core/limits.js';
import type { Result } from '../core/result.js';
import { err, ok } from '../core/result.js';
import type { TraceCall } from '../model/values.js';
import type { Trace, TraceHeader } from '../trace/trace.js';
import type { TraceError } from '../trace/traceError.js';
import { streamTraceBatches } from './traceFiles.js';

export interface TracePrefix {
  /** The header and the first `kept` calls (fewer when the trace has fewer). */
  readonly trace: Trace;
  /** Calls in the whole trace (its intact part when damaged): `callsKnown` when given. */
  readonly calls: number;
  /** What cut the trace short (undefined: it was whole, or the rest was not read). */
  readonly damage?: TraceError;
}

/**
 * The header and first `kept` calls of the trace at `path` (at most callsMax of them). Damage
 * ends the trace, as readTracePrefix's intact part; any other error is an error. With
 * `callsKnown` (how many calls the trace holds, say from a replay that ran to its end) the
 * rest is not read at all. Once `signal` aborts, the read ends at its next chunk with the
 * error `cannot read: interrupted` (the calls up to a late violation may take seconds to read).
 */
export async function readTraceStart(
  path: string,
  kept: number,
  callsKnown?: number,
  signal?: AbortSignal,
): Promise<Result<TracePrefix, TraceError>> {
  if (kept > callsMax)
    return err({
      file: path,
      message: `more than ${callsMax} calls to hold in memory (the first ${kept} are needed)`,
    });
  let header: TraceHeader | undefined;
  const calls: TraceCall[] = [];
  let count = 0;
  const done = (damage?: TraceError): Result<TracePrefix, TraceError> =>
    header === undefined
      ? err({ file: path, message: 'no header' })
      : ok({
          trace: { header, calls },
          calls: callsKnown ?? count,
          ...(damage === undefined ? {} : { damage }),
        });
  // No call limit on the stream: only the calls kept are held.
  const read = {
    traceCallsMax: Number.POSITIVE_INFINITY,
    ...(signal === undefined ? {} : { signal }),
  };
  for await (const item of streamTraceBatches(path, read)) {
    if (item.kind === 'error') {
      if (item.error.damaged !== true || header === undefined) return err(item.error);
      return done(item.error);
    }
    if (item.kind === 'header') header = item.header;
    else if (item.kind === 'calls') {
      // Only the calls kept are visited (push(...) of a large batch could overflow the stack).
      for (let i = 0; i < item.calls.length && calls.length < kept; i++)
        calls.push(item.calls[i] as TraceCall);
      count += item.calls.length;
      if (callsKnown !== undefined && calls.length >= kept) return done();
    }
  }
  return done();
}
