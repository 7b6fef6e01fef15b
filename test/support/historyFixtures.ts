// Test support: the findings, runs and sightings the --history tests (src/report/history*.test.ts)
// feed updateHistory, and the key order a written bucket starts with.
import type { FindingKey, HistoryRun, Sighting } from '../../src/report/history.js';

/** A finding in VideoPortMapDmaMemory; its signature sorts first. */
export const A: FindingKey = {
  signature: 'sha256:aaaa',
  kind: 'memory-corrupted',
  fn: 'VideoPortMapDmaMemory',
};

/** A finding in VideoPortDoDma; its signature sorts after A's. */
export const B: FindingKey = {
  signature: 'sha256:bbbb',
  kind: 'inert-return-mismatch',
  fn: 'VideoPortDoDma',
};

/** A run that replayed both regression repros and saw them pass (unless it saw them fail). */
export const run = (runId: string, complete = true, target = 'model:reactos'): HistoryRun => ({
  runId,
  target,
  complete,
  passing: new Set([A.signature, B.signature]),
});

/** `shown` of a run in which `traces` failed first with the signature of `f`. */
export const showing = (f: FindingKey, ...traces: string[]): ReadonlyMap<string, Sighting> =>
  new Map([[f.signature, { kind: f.kind, fn: f.fn, traces }]]);

/** The keys every written bucket starts with, in the order historyJson writes them. */
export const BUCKET_KEYS: readonly string[] = [
  'signature',
  'target',
  'kind',
  'fn',
  'firstSeen',
  'lastSeen',
  'timesSeen',
];

/** `v`, frozen all the way down: a function that writes into it throws. */
export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}
