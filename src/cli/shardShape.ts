// The shape of a shard's report.json, as far as merge reads it: each field it computes with is
// there and of its type, and each list a list of what it holds. A field that is not throws a
// ReportShapeError naming it, which merge reports as the user's damaged file; the computations
// themselves are then free to trust the shape, and any error they throw is a harness bug.
import { ReportShapeError } from '../core/reportShapeError.js';

type Kind = 'object' | 'list' | 'string' | 'number';

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v;
}

/** A kind in a message: "a list", "an object", "null", "missing". */
function named(kind: string): string {
  if (kind === 'null' || kind === 'undefined') return kind === 'null' ? 'null' : 'missing';
  return `${kind === 'object' ? 'an' : 'a'} ${kind}`;
}

/** `o[key]` at `where`, which must be of `kind` (or absent, when `optional`). */
function field(o: unknown, where: string, key: string, kind: Kind, optional = false): unknown {
  const v = (o as Record<string, unknown>)[key];
  const path = where === '' ? key : `${where}.${key}`;
  if (v === undefined && optional) return v;
  if (kindOf(v) !== kind)
    throw new ReportShapeError(`${path} is ${named(kindOf(v))}, not ${named(kind)}`);
  return v;
}

/** Each element of the list `o[key]`, checked by `check` (given the element's path). */
function each(
  o: unknown,
  where: string,
  key: string,
  check: (item: unknown, at: string) => void,
  optional = false,
): void {
  const list = field(o, where, key, 'list', optional) as unknown[] | undefined;
  const path = where === '' ? key : `${where}.${key}`;
  list?.forEach((item, i) => check(item, `${path}[${i}]`));
}

function object(item: unknown, at: string, fields: Readonly<Record<string, Kind>>): void {
  if (kindOf(item) !== 'object')
    throw new ReportShapeError(`${at} is ${named(kindOf(item))}, not an object`);
  for (const [key, kind] of Object.entries(fields)) field(item, at, key, kind);
}

function text(item: unknown, at: string): void {
  if (typeof item !== 'string')
    throw new ReportShapeError(`${at} is ${named(kindOf(item))}, not a string`);
}

function pair(item: unknown, at: string): void {
  if (!Array.isArray(item) || item.length !== 2 || !item.every((n) => typeof n === 'number'))
    throw new ReportShapeError(`${at} is not a pair of numbers`);
}

const TIMING = [
  'replayMs',
  'fuzzMs',
  'minimizeMs',
  'reportMs',
  'wallMs',
  'peakRssBytes',
  'workers',
];

/** Throws a ReportShapeError for the first field of `r` that merge could not compute with. */
export function checkShardShape(r: unknown): void {
  const timing = field(r, '', 'timing', 'object');
  for (const k of TIMING) field(timing, 'timing', k, 'number');
  field(field(r, '', 'fuzz', 'object'), 'fuzz', 'series', 'list');
  const corpus = field(r, '', 'corpus', 'object');
  each(corpus, 'corpus', 'traces', (t, at) =>
    object(t, at, { trace: 'string', violations: 'number', outcome: 'string' }),
  );
  each(corpus, 'corpus', 'violations', (v, at) => {
    object(v, at, { trace: 'string', kind: 'string', fn: 'string' });
    field(v, at, 'field', 'string', true);
  });
  each(corpus, 'corpus', 'warnings', text, true);
  checkFuzzDetail(field(r, '', 'fuzzDetail', 'object'));
}

function checkFuzzDetail(d: unknown): void {
  const at = 'fuzzDetail';
  for (const k of ['cases', 'calls', 'coverage']) field(d, at, k, 'number');
  field(d, at, 'shard', 'string');
  field(d, at, 'budget', 'object');
  each(d, at, 'newCoverage', pair);
  each(d, at, 'newTargetEdges', pair, true);
  each(d, at, 'warnings', text);
  const unchecked = field(d, at, 'unchecked', 'object', true);
  const stray = field(unchecked ?? {}, `${at}.unchecked`, 'stray', 'object', true);
  if (stray !== undefined)
    object(stray, `${at}.unchecked.stray`, {
      first: 'string',
      caseIndex: 'number',
      count: 'number',
    });
  each(d, at, 'disabled', () => undefined, true);
  field(d, at, 'reached', 'object', true);
  const corpus = field(d, at, 'corpus', 'object');
  each(corpus, `${at}.corpus`, 'keptFiles', (k, where) =>
    object(k, where, { caseIndex: 'number', file: 'string' }),
  );
  field(corpus, `${at}.corpus`, 'capped', 'object', true);
  field(corpus, `${at}.corpus`, 'found', 'object', true);
  const minimized = { caseIndex: 'number', signature: 'string' } as const;
  each(d, at, 'groups', (g, where) => {
    object(g, where, { kind: 'string', fn: 'string', hits: 'number' });
    each(g, where, 'minimized', (m, w) => object(m, w, minimized));
  });
  const finding = { kind: 'string', fn: 'string', ...minimized } as const;
  each(d, at, 'findings', (f, where) => object(f, where, finding));
  each(d, at, 'unconfirmed', (f, where) =>
    object(f, where, { kind: 'string', fn: 'string', caseIndex: 'number' }),
  );
  const timing = field(d, at, 'timing', 'object');
  for (const k of ['fuzzMs', 'minimizeMs', 'wallMs', 'workers'])
    field(timing, `${at}.timing`, k, 'number');
}
