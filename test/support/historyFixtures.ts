// Test support: the findings, runs and sightings the --history tests (src/report/history*.test.ts)
// feed updateHistory, the key order a written bucket starts with, and a real version 1 history.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

/**
 * A run that replayed both regression repros and saw them pass (unless it saw them fail), A's
 * with all memory compared, as a night replays a memory-corrupted repro (report/historyFixed.ts).
 */
export const run = (runId: string, complete = true, target = 'model:reactos'): HistoryRun => ({
  runId,
  target,
  complete,
  passing: new Set([A.signature, B.signature]),
  reprosFullyChecked: new Set([A.signature]),
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

/**
 * A version 1 history and the OUT/findings it went with, as vpdma 3afc7cd (4 Dec 2026, before
 * signatures changed) wrote them, byte for byte: `vpdma nightly --seed 77 --runs 300 --history
 * history.json` against mutant:mapdma-writes-length, then mutant:startdma-ignores-offset. Each
 * signature hashed the calls its repro kept, the inertness kinds' too (map-dma-wrote-out-param).
 */
export const V1_DIR = fileURLToPath(new URL('../fixtures/history-v1-3afc7cd/', import.meta.url));

/** V1_DIR's history.json, as text. */
export const v1HistoryText = (): string => readFileSync(`${V1_DIR}history.json`, 'utf8');

/** Its bucket of an inertness kind, and the signature a finding of that bug has now. */
export const V1_INERT = {
  signature: 'map-dma-wrote-out-param/MapDmaMemory/50118c36',
  target: 'mutant:mapdma-writes-length',
  kind: 'map-dma-wrote-out-param',
  fn: 'VideoPortMapDmaMemory',
  now: 'map-dma-wrote-out-param/MapDmaMemory/b8a02000',
} as const;

/** Its bucket of a kind not about inertness. */
export const V1_OTHER = {
  signature: 'out-param-mismatch/StartDma/cf6eef0f',
  target: 'mutant:startdma-ignores-offset',
} as const;
