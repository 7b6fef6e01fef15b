// What an obsolete call changed in the target's state(), for the violation: the first top-level
// key whose value differs (it decides the kind, inertCheck.ts stateKind) and, under it, the
// first entry that differs, before and after, as short text. The state is the target's own
// answer, so it is quoted in the target's address space, as the target spelled it.
import type { ViolationKind } from './violation.js';

/** One entry of the state, before and after the call ("(none)": not there). */
export interface EntryDiff {
  readonly before: string;
  readonly after: string;
  /** How it changed: removed, added, or changed in place. */
  readonly change: 'removed' | 'added' | 'changed';
  /** Other entries under the same key that differ too. */
  readonly more: number;
}

export interface StateDiff {
  /** The first top-level key whose value differs ("state" when a state is no map). */
  readonly key: string;
  /** The first entry under it that differs (none when a state could not be read back). */
  readonly entry?: EntryDiff;
}

/** An entry's text is cut to this many characters. */
export const entryCharsMax = 200;
/** List members shown inside an entry; the rest are counted. */
const membersShown = 8;
export const NONE = '(none)';

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * An entry of the canonical form (bigints already "0x..." text) as short text: objects as
 * {key=value, ...}, integers above 0xffff in hex (addresses a target sent as plain integers).
 */
export function entryText(v: Json): string {
  return cut(render(v));
}

function cut(text: string): string {
  return text.length <= entryCharsMax ? text : `${text.slice(0, entryCharsMax - 3)}...`;
}

function render(v: Json): string {
  if (v === undefined) return NONE;
  if (typeof v === 'string') return /^[\w.:+-]+$/.test(v) ? v : JSON.stringify(v);
  if (typeof v === 'number')
    return Number.isSafeInteger(v) && v > 0xffff ? `0x${v.toString(16)}` : String(v);
  // What JSON holds besides: booleans and null.
  if (typeof v === 'boolean' || v === null) return String(v);
  if (Array.isArray(v)) {
    const shown = v.slice(0, membersShown).map(render);
    if (v.length > membersShown) shown.push(`... ${v.length - membersShown} more`);
    return `[${shown.join(', ')}]`;
  }
  if (!isObject(v)) return JSON.stringify(v) ?? NONE;
  return `{${Object.entries(v)
    .map(([k, x]) => `${k}=${render(x)}`)
    .join(', ')}}`;
}

/** Members of `from` with no equal member left in `other` (a multiset difference), in order. */
export function unmatched(from: readonly Json[], other: readonly Json[]): Json[] {
  const left = new Map<string, number>();
  for (const o of other) {
    const k = JSON.stringify(o);
    left.set(k, (left.get(k) ?? 0) + 1);
  }
  const out: Json[] = [];
  for (const x of from) {
    const k = JSON.stringify(x);
    const n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1);
    else out.push(x);
  }
  return out;
}

/** Fields two objects have equal (the same view with another refcount shares its va). */
export function shared(a: Json, b: Json): number {
  if (!isObject(a) || !isObject(b)) return 0;
  return Object.keys(a).filter((k) => k in b && JSON.stringify(a[k]) === JSON.stringify(b[k]))
    .length;
}

function entry(before: Json, after: Json, more: number): EntryDiff {
  const change = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
  const long = render(before).length > entryCharsMax || render(after).length > entryCharsMax;
  if (change === 'changed' && long && isObject(before) && isObject(after)) {
    const [b, a] = differentFirst(before, after);
    return { before: entryText(b), after: entryText(a), change, more };
  }
  return { before: entryText(before), after: entryText(after), change, more };
}

/**
 * Both objects with the fields that differ first, the rest after in their order: a transfer's
 * entry with its element list can run past entryCharsMax, and the cut must not hide the change
 * (a short entry keeps its sorted order).
 */
function differentFirst(
  before: Record<string, Json>,
  after: Record<string, Json>,
): [Record<string, Json>, Record<string, Json>] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const same = (k: string): boolean => JSON.stringify(before[k]) === JSON.stringify(after[k]);
  const order = keys.filter((k) => !same(k)).concat(keys.filter(same));
  const pick = (o: Record<string, Json>): Record<string, Json> => {
    const out: Record<string, Json> = {};
    for (const k of order) if (k in o) out[k] = o[k];
    return out;
  };
  return [pick(before), pick(after)];
}

/** A list: the first entry removed (paired with an added one like it: changed), else added. */
function listDiff(before: readonly Json[], after: readonly Json[]): EntryDiff {
  const removed = unmatched(before, after);
  const added = unmatched(after, before);
  const first = removed[0];
  if (first === undefined) {
    if (added.length > 0) return entry(undefined, added[0], added.length - 1);
    // The same entries in another order.
    const i = before.findIndex((x, n) => JSON.stringify(x) !== JSON.stringify(after[n]));
    return entry(before[i], after[i], 0);
  }
  let best = -1;
  let bestShared = 0;
  added.forEach((a, n) => {
    const s = shared(first, a);
    if (s > bestShared) [best, bestShared] = [n, s];
  });
  // Plain values have no fields to pair by: the first removed became the first added.
  if (!isObject(first) && added.length > 0) best = 0;
  const others = removed.length + added.length - 1;
  if (best < 0) return entry(first, undefined, others);
  return entry(first, added[best], others - 1);
}

/** The keys whose values differ, in order. */
function differing(before: Record<string, Json>, after: Record<string, Json>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

/** A map: the first key whose value differs. */
function mapDiff(before: Record<string, Json>, after: Record<string, Json>): EntryDiff {
  const keys = differing(before, after);
  const k = keys[0] ?? '';
  const d = entry(before[k], after[k], keys.length - 1);
  const named = (text: string): string => (text === NONE ? text : cut(`${k}: ${text}`));
  return { ...d, before: named(d.before), after: named(d.after) };
}

function valueDiff(before: Json, after: Json): EntryDiff {
  if (Array.isArray(before) && Array.isArray(after)) return listDiff(before, after);
  if (isObject(before) && isObject(after)) return mapDiff(before, after);
  return entry(before, after, 0);
}

/**
 * The difference between two canonical states (canonical.ts: keys sorted), known to differ:
 * under the first top-level key whose value differs, or under "state" when either is no map.
 */
export function stateDiff(beforeText: string, afterText: string): StateDiff {
  let b: Json;
  let a: Json;
  try {
    b = JSON.parse(beforeText) as Json;
    a = JSON.parse(afterText) as Json;
  } catch {
    return { key: 'state' };
  }
  const key = isObject(b) && isObject(a) ? differing(b, a)[0] : undefined;
  if (key === undefined) return { key: 'state', entry: valueDiff(b, a) };
  const at = (v: Json): Json => (v as Record<string, Json>)[key];
  return { key, entry: valueDiff(at(b), at(a)) };
}

/** The violation's message tail (after "changed the target's live KEY"), expected and actual. */
export function stateChangeText(d: StateDiff): {
  tail: string;
  expected?: string;
  actual?: string;
} {
  const e = d.entry;
  if (e === undefined) return { tail: '' };
  const what =
    e.change === 'removed'
      ? `removed ${e.before}`
      : e.change === 'added'
        ? `added ${e.after}`
        : `${e.before} became ${e.after}`;
  const more = e.more === 0 ? '' : ` (and ${e.more} more ${e.more === 1 ? 'change' : 'changes'})`;
  return { tail: `: ${what}${more}`, expected: e.before, actual: e.after };
}

/**
 * The top-level state keys that decide a kind when they are the first to differ (in sorted
 * order), and the obsolete function they decide it for (any, when left out). Every other key,
 * and a state that is no map, is object-state-changed. A target has to use these names
 * (docs/target-protocol.md "state", which lists them: a test holds the two together).
 */
export const STATE_KEY_KINDS: readonly {
  readonly key: string;
  readonly kind: ViolationKind;
  readonly fn?: string;
}[] = [
  { key: 'adapters', kind: 'transfer-state-changed' },
  { key: 'transfers', kind: 'transfer-state-changed' },
  { key: 'views', kind: 'view-torn-down', fn: 'VideoPortUnmapDmaMemory' },
];

/** The kind of a change first seen under `key` of the target's state, during `fn`. */
export function stateKind(fn: string, key: string): ViolationKind {
  const rule = STATE_KEY_KINDS.find((r) => r.key === key && (r.fn === undefined || r.fn === fn));
  return rule?.kind ?? 'object-state-changed';
}
