// Function names as small integers, for the shared-memory heartbeat.
import { CALLS } from '../model/calls.js';

const INDEX = new Map(CALLS.map((c, i) => [c.fn, i]));

export function fnIndex(fn: string): number {
  return INDEX.get(fn) ?? -1;
}

export function fnName(index: number): string {
  return CALLS[index]?.fn ?? '(unknown call)';
}
