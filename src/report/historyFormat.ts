// The history file format, version 2 (pure: text in, text out):
//
//   {"format": "vpdma-history", "version": 2, "buckets": [
//     {"signature": "...", "target": "...", "kind": "...", "fn": "...", "firstSeen": "...",
//      "lastSeen": "...", "timesSeen": 3, "signatureScheme": 1, "traces": ["..."],
//      "shownAt": {"...": 16}, "regressedIn": "...", "fixedSince": "..."}, ...]}
//
// (regressedIn, optional, was added after the first release of version 1: a re-applied run
// keeps its verdict. traces, optional, was added to version 2 when failing corpus traces got
// verdicts: the replayed traces that failed with the bucket's signature, sorted, each once.
// shownAt, optional, was added to version 2 later: by trace of `traces` (keys sorted), the
// 0-based call at which it last failed first with the signature. Files without them read as
// before.) Version 2 changed what signatures mean
// (history.ts, "Signature schemes"): a version 1 file is read as version 2, each bucket whose
// signature no finding has now (history.ts oldScheme) marked "signatureScheme": 1, and written
// back as version 2; that field is optional, and 1 is its only value.
//
// Buckets sorted by signature, then target; keys in this order; two-space indentation; so the
// file diffs well when kept in a repository. Reading is strict: another format or version, a
// missing or mistyped field, an unknown field or a duplicate bucket is an error naming the
// place, never a silent drop, so whatever a file holds survives the next write. A version above
// HISTORY_VERSION is told apart (readHistoryText's newerVersion): a newer vpdma's file, not
// damage, which --history-recover must not replace.
import { err, ok, type Result } from '../core/result.js';
import { jsonSyntaxReason } from '../core/jsonSyntax.js';
import {
  compareBuckets,
  HISTORY_FORMAT,
  HISTORY_VERSION,
  oldScheme,
  sortedRecord,
  type History,
  type HistoryBucket,
  unfixed,
} from './history.js';

const STRING_FIELDS = ['signature', 'target', 'kind', 'fn', 'firstSeen', 'lastSeen'] as const;
const OPTIONAL_FIELDS = ['regressedIn', 'fixedSince'] as const;
const FIELDS = new Set<string>([
  ...STRING_FIELDS,
  'timesSeen',
  'signatureScheme',
  'traces',
  'shownAt',
  ...OPTIONAL_FIELDS,
]);
/** The versions this vpdma reads: 1 is upgraded as it is read. */
const READS = [1, HISTORY_VERSION];

/** Canonical JSON of a history (buckets sorted, keys in format order). */
export function historyJson(h: History): string {
  const buckets = [...h.buckets].sort(compareBuckets).map((b) => ({
    ...unfixed(b),
    ...(b.regressedIn === undefined ? {} : { regressedIn: b.regressedIn }),
    ...(b.fixedSince === undefined ? {} : { fixedSince: b.fixedSince }),
  }));
  return `${JSON.stringify({ format: HISTORY_FORMAT, version: HISTORY_VERSION, buckets }, null, 2)}\n`;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function parseBucket(v: unknown, at: string, version: number): Result<HistoryBucket, string> {
  if (!isRecord(v)) return err(`${at}: not an object`);
  for (const k of Object.keys(v)) if (!FIELDS.has(k)) return err(`${at}: unknown field "${k}"`);
  for (const k of STRING_FIELDS) {
    const s = v[k];
    if (typeof s !== 'string' || s === '') return err(`${at}.${k}: expected a non-empty string`);
  }
  const times = v['timesSeen'];
  if (typeof times !== 'number' || !Number.isSafeInteger(times) || times < 1)
    return err(`${at}.timesSeen: expected a positive integer`);
  for (const k of OPTIONAL_FIELDS) {
    const s = v[k];
    if (s !== undefined && (typeof s !== 'string' || s === ''))
      return err(`${at}.${k}: expected a non-empty string`);
  }
  const traces = v['traces'];
  if (
    traces !== undefined &&
    (!Array.isArray(traces) ||
      traces.length === 0 ||
      traces.some((t) => typeof t !== 'string' || t === ''))
  )
    return err(`${at}.traces: expected a non-empty array of non-empty strings`);
  const shownAt = v['shownAt'];
  if (shownAt !== undefined) {
    const why = shownAtProblem(shownAt, Array.isArray(traces) ? traces : []);
    if (why !== '') return err(`${at}.shownAt: ${why}`);
  }
  const scheme = v['signatureScheme'];
  if (scheme !== undefined && (version === 1 || scheme !== 1))
    return err(`${at}.signatureScheme: expected 1 or nothing, in a version 2 file`);
  const read = v as unknown as HistoryBucket;
  // Sorted, each once, as they are written: a hand-edited list compares as the same one.
  const sorted =
    read.traces === undefined ? read : { ...read, traces: [...new Set(read.traces)].sort() };
  const b =
    sorted.shownAt === undefined
      ? sorted
      : { ...sorted, shownAt: sortedRecord(new Map(Object.entries(sorted.shownAt))) };
  return ok(version === 1 && oldScheme(b) ? { ...b, signatureScheme: 1 } : { ...b });
}

/** Why a bucket's shownAt is not one ('' when it is): by trace of its `traces`, a call index. */
function shownAtProblem(v: unknown, traces: readonly unknown[]): string {
  if (!isRecord(v) || Object.keys(v).length === 0)
    return 'expected a non-empty object of traces and call indexes';
  for (const [t, n] of Object.entries(v)) {
    if (!traces.includes(t)) return `${JSON.stringify(t)} is not one of the bucket's traces`;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
      return `${JSON.stringify(t)}: expected a call index (an integer, 0 or more)`;
  }
  return '';
}

const problem = (message: string) => err<HistoryTextProblem>({ message });

/** The 1-based line of offset `at` in `text`. */
const lineAt = (text: string, at: number): number => text.slice(0, at).split('\n').length;

/**
 * Why `text` is not JSON, and where when that can be told: a merge conflict committed into the
 * file (its marker's line), a file cut short (its last line), a position V8 gave.
 */
function jsonProblem(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const conflict = /^(<{7}|={7}|>{7})(?: |$)/m.exec(text);
  if (conflict !== null)
    return `line ${lineAt(text, conflict.index)}: a merge conflict marker (${conflict[1]}): not valid JSON`;
  const end = text.trimEnd().length;
  const at = /at position (\d+)/.exec(message);
  if (message === 'Unexpected end of JSON input' || (at !== null && Number(at[1]) >= end))
    return `not valid JSON: it ends at line ${lineAt(text, end)} before the history does (cut short?)`;
  const where = at === null ? '' : `line ${lineAt(text, Number(at[1]))}: `;
  return `${where}not valid JSON (${jsonSyntaxReason(error)})`;
}

/** Why a history file's text is not a history this vpdma reads. */
export interface HistoryTextProblem {
  readonly message: string;
  /**
   * Set when the file is well-formed up to a version above HISTORY_VERSION: a newer vpdma wrote
   * it, so it is not damage, and nothing may replace it.
   */
  readonly newerVersion?: number;
}

/** Parses and validates a history file's text. */
export function parseHistory(text: string): Result<History, string> {
  const r = readHistoryText(text);
  return r.ok ? r : err(r.error.message);
}

/** parseHistory, telling a file a newer vpdma wrote (newerVersion) from a damaged one. */
export function readHistoryText(text: string): Result<History, HistoryTextProblem> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return problem(jsonProblem(text, e));
  }
  if (!isRecord(v) || v['format'] !== HISTORY_FORMAT)
    return problem(`not a vpdma history file (expected "format": "${HISTORY_FORMAT}")`);
  const version = v['version'];
  const reads = `this vpdma reads versions ${READS.join(' and ')}`;
  if (Number.isSafeInteger(version) && (version as number) > HISTORY_VERSION) {
    const message = `history version ${version as number} was written by a newer vpdma (${reads}): upgrade vpdma to use it`;
    return err({ message, newerVersion: version as number });
  }
  if (typeof version !== 'number' || !READS.includes(version))
    return problem(`history version ${JSON.stringify(version)} is not supported (${reads})`);
  for (const k of Object.keys(v))
    if (k !== 'format' && k !== 'version' && k !== 'buckets')
      return problem(`unknown field "${k}"`);
  const raw = v['buckets'];
  if (!Array.isArray(raw)) return problem('buckets: expected an array');
  const buckets: HistoryBucket[] = [];
  const keys = new Set<string>();
  for (const [i, item] of raw.entries()) {
    const b = parseBucket(item, `buckets[${i}]`, version);
    if (!b.ok) return problem(b.error);
    const key = JSON.stringify([b.value.signature, b.value.target]);
    if (keys.has(key))
      return problem(`buckets[${i}]: a second bucket for the same signature and target`);
    keys.add(key);
    buckets.push(b.value);
  }
  buckets.sort(compareBuckets);
  return ok({
    format: HISTORY_FORMAT,
    version: HISTORY_VERSION,
    buckets,
    ...(version === 1 ? { upgradedFrom: 1 as const } : {}),
  });
}
