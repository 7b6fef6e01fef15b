// The target's own edges a kept case reached, recorded in its corpus entry (docs/fuzzing.md,
// "Target coverage"): the header's meta gets `targetEdges`, the case's edge ids ascending, at
// most edgesRecordedMax of them (the lowest; `targetEdgesTotal` then says how many there were).
// The whole set the case hit, not the ones new to the run: that is the same whichever shard or
// worker ran it, so the entry's bytes are too. The base reads them back (base.ts): they count
// as covered, and in the energy, as coverage keys of their own namespace (edgeKey).
import type { JsonValue, Trace, TraceHeader } from '../trace/trace.js';

/** Edge ids recorded per corpus entry at most (8 KiB of meta's 64 KiB budget). */
export const edgesRecordedMax = 1024;

const U32_MAX = 0xffffffff;

/** `trace` with `edges` (ascending, distinct) recorded in its meta. */
export function withEdges(trace: Trace, edges: readonly number[]): Trace {
  const ids: JsonValue[] = edges.slice(0, edgesRecordedMax);
  const total = edges.length > edgesRecordedMax ? { targetEdgesTotal: edges.length } : {};
  const meta = { ...trace.header.meta, targetEdges: ids, ...total };
  return { ...trace, header: { ...trace.header, meta } };
}

/**
 * The edge ids an entry's meta records: none when `targetEdges` is absent or not a list of
 * integers 0..2^32-1 (a capture tool's own field of that name is ignored, not an error).
 */
export function recordedEdges(header: TraceHeader): number[] {
  const v = header.meta['targetEdges'];
  if (!Array.isArray(v)) return [];
  const out: number[] = [];
  for (const x of v) {
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > U32_MAX) return [];
    out.push(x);
  }
  return out;
}

/**
 * An edge id as a coverage key beside the model's: model keys are non-negative (hash.ts), so
 * edges are the negative numbers, and neither namespace can collide with the other.
 */
export function edgeKey(id: number): number {
  return -1 - id;
}
