// What streaming decoders yield: the header once, then calls, and at most one error, last.
// Everything yielded before an error is valid, so a damaged file is readable up to the damage.
import type { TraceCall } from '../model/values.js';
import type { Result } from '../core/result.js';
import { err, ok } from '../core/result.js';
import { callsMax } from '../core/limits.js';
import type { Trace, TraceHeader } from './trace.js';
import type { TraceError } from './traceError.js';

export type TraceItem =
  | { readonly kind: 'header'; readonly header: TraceHeader; readonly modelRevision?: string }
  | { readonly kind: 'call'; readonly call: TraceCall }
  | { readonly kind: 'error'; readonly error: TraceError };

/** The same stream a frame at a time: what a .vpt frame held, as one batch of calls. */
export type TraceBatchItem =
  | Exclude<TraceItem, { readonly kind: 'call' }>
  | { readonly kind: 'calls'; readonly calls: readonly TraceCall[] };

export interface StreamOptions {
  /**
   * Calls a trace may hold (default callsMax): a consumer that keeps no calls (a conversion,
   * a streamed replay, a summary) passes Infinity, since its memory does not grow with them.
   */
  readonly traceCallsMax?: number;
  /** Hears the bytes read from the file so far, after each chunk (progress through a big file). */
  readonly onBytes?: (bytesRead: number) => void;
}

/** A batched stream one call at a time (for consumers that take calls singly). */
export async function* perCall(batches: AsyncIterable<TraceBatchItem>): AsyncGenerator<TraceItem> {
  for await (const item of batches) {
    if (item.kind !== 'calls') yield item;
    else for (const call of item.calls) yield { kind: 'call', call };
  }
}

/** A damaged trace's intact part: the header and every call before the damage. */
export interface SalvagedTrace {
  readonly trace: Trace;
  /** What cut it short (undefined: the trace was whole). */
  readonly damage?: TraceError;
}

/** Gathers a stream into one Trace (at most callsMax calls). */
export async function collectTrace(
  items: AsyncIterable<TraceItem | TraceBatchItem> | Iterable<TraceItem | TraceBatchItem>,
): Promise<Result<Trace, TraceError>> {
  const r = await collectTracePrefix(items);
  if (!r.ok) return r;
  return r.value.damage === undefined ? ok(r.value.trace) : err(r.value.damage);
}

/** collectTrace, but damage (TraceError.damaged) ends the trace instead of failing it. */
export async function collectTracePrefix(
  items: AsyncIterable<TraceItem | TraceBatchItem> | Iterable<TraceItem | TraceBatchItem>,
): Promise<Result<SalvagedTrace, TraceError>> {
  let header: TraceHeader | undefined;
  const calls: TraceCall[] = [];
  for await (const item of items) {
    if (item.kind === 'error') {
      if (item.error.damaged !== true || header === undefined) return err(item.error);
      return ok({ trace: { header, calls }, damage: item.error });
    }
    if (item.kind === 'header') header = item.header;
    else {
      if (item.kind === 'call') calls.push(item.call);
      else for (const call of item.calls) calls.push(call);
      // Only a stream read without the decoders' own limit gets here with more.
      if (calls.length > callsMax)
        return err({ message: `more than ${callsMax} calls: too many to hold in memory` });
    }
  }
  if (header === undefined) return err({ message: 'no header' });
  return ok({ trace: { header, calls } });
}

/** Yields a finished Trace as items (for writers that take a stream). */
export function* traceItems(trace: Trace): Generator<TraceItem> {
  yield { kind: 'header', header: trace.header };
  for (const call of trace.calls) yield { kind: 'call', call };
}

/**
 * The stream up to damage (TraceError.damaged), which ends it cleanly and is handed to
 * `onDamage` instead: the intact part of a damaged trace, for a reader that salvages it.
 * Any other error passes through, unless `anyError`: then an invalid call after a valid one
 * ends it too (the valid calls before it kept, as replay replays up to it).
 */
export async function* untilDamage<T extends TraceItem | TraceBatchItem>(
  items: AsyncIterable<T>,
  onDamage: (e: TraceError) => void,
  anyError = false,
): AsyncGenerator<T> {
  /** A valid call was passed on: an invalid one after it may end the stream. */
  let called = false;
  for await (const item of items) {
    if (item.kind === 'call' || (item.kind === 'calls' && item.calls.length > 0)) called = true;
    if (item.kind === 'error' && (item.error.damaged === true || (anyError && called))) {
      onDamage(item.error);
      return;
    }
    yield item;
  }
}
