// A target's own coverage (Target.coverage, the process protocol's `coverage` op): the edge
// ids, unsigned 32-bit, it hit since it was last asked or since it was created (a process
// child: since hello). Answers are checked here, one way for both kinds of target: anything
// but a list of such ids, or more than coverageEdgesMax of them, is garbage (a TargetFault,
// so the trace or case is target-crashed).
import { coverageEdgesMax } from '../core/limits.js';
import { garbageText, TargetFault } from './callTarget.js';

const U32_MAX = 0xffff_ffff;

function tooMany(n: number, where: string): never {
  throw new TargetFault(
    `sent garbage: ${where} listed ${n} edge ids, more than ${coverageEdgesMax} in one answer`,
  );
}

/** A process child's `edges` bin: little-endian u32 ids, any order, duplicates allowed. */
export function edgesFromBin(raw: unknown): Uint32Array {
  if (!(raw instanceof Uint8Array))
    throw new TargetFault(
      `sent garbage: coverage answered edges that are not bin (${garbageText(raw)}); expected {edges: bin} of little-endian u32 ids`,
    );
  if (raw.length % 4 !== 0)
    throw new TargetFault(
      `sent garbage: coverage answered ${raw.length} bytes of edges, not a multiple of 4 (little-endian u32 ids)`,
    );
  if (raw.length / 4 > coverageEdgesMax) tooMany(raw.length / 4, 'coverage');
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const ids = new Uint32Array(raw.length / 4);
  for (let i = 0; i < ids.length; i++) ids[i] = view.getUint32(4 * i, true);
  return ids;
}

/** A module target's coverage() answer: a Uint32Array, or an array of integers 0..2^32-1. */
export function edgesFromModule(raw: unknown): Uint32Array {
  if (raw instanceof Uint32Array) {
    if (raw.length > coverageEdgesMax) tooMany(raw.length, 'coverage()');
    return new Uint32Array(raw);
  }
  if (!Array.isArray(raw))
    throw new TargetFault(
      `coverage() answered ${garbageText(raw)}; expected a Uint32Array or an array of edge ids`,
    );
  if (raw.length > coverageEdgesMax) tooMany(raw.length, 'coverage()');
  const ids = new Uint32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const v: unknown = raw[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > U32_MAX)
      throw new TargetFault(
        `coverage() answered ${garbageText(v)} at index ${i}; edge ids are integers from 0 to ${U32_MAX}`,
      );
    ids[i] = v;
  }
  return ids;
}

/**
 * Collects a task's edges: each case's ids that no earlier case of the same task reported,
 * sorted and without duplicates (the main thread decides what is new over the whole run).
 */
export function newEdges(ids: Uint32Array, seenInTask: Set<number>): number[] {
  const fresh: number[] = [];
  for (const id of ids) {
    if (seenInTask.has(id)) continue;
    seenInTask.add(id);
    fresh.push(id);
  }
  return fresh.sort((a, b) => a - b);
}
