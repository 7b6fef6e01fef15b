// `vpdma replay --explain`: the target's own state() beside the oracle's live objects. After
// every call the target's answer is read into the oracle's addresses (the values the replay
// learned) and compared with the model's liveState(); at a call with a violation, one line when
// they agree, else the entries that differ (a few, each cut short: the answer is untrusted) and
// since which call. A state() that throws, hangs or answers garbage is one line, and is not
// asked again; the replay itself never sees what happens here.
import type { AddressSpace } from '../model/callTypes.js';
import { oneLine } from '../core/oneLine.js';
import { plural } from '../core/plural.js';
import { TargetFault, withTimeout } from './callTarget.js';
import type { Maybe } from './memory.js';
import { canonicalPlain } from './plainData.js';
import type { ReplayView } from './replayTypes.js';
import { entryText, shared, unmatched } from './stateDiff.js';
import { stateOf } from './targetAnswers.js';
import { isUnchanging } from './unchanging.js';

/** Entries that differ printed under a call; the rest are counted. */
export const stateEntriesShown = 6;

/**
 * The fields of the reference model's state (liveState.ts) whose values are learned handles
 * or addresses, and where they are learned (docs/target-protocol.md, "The shape of `state`",
 * lists them: stateShapeDoc.test.ts). `bus` is the device's own address and `process`
 * the driver's, neither is translated; any other name is compared as the target spelled it.
 */
export const ADDRESS_FIELDS: Readonly<Record<string, AddressSpace>> = {
  handle: 'handle',
  adapter: 'handle',
  mdl: 'handle',
  sgList: 'handle',
  va: 'cpu',
  logical: 'device',
};

const HEX = /^0x[0-9a-f]+$/;

/** A state's comparison with the oracle's after one call. */
interface Compared {
  /** The entries that differ, as printed (none: they agree). */
  readonly diffs: readonly string[];
  /** The oracle's live objects (its lists' members) under the keys compared. */
  readonly objects: number;
  /** The keys only one side has, with which (not compared). */
  readonly unshared: readonly string[];
}

/**
 * One form for both sides' values: an integer (a number, a bigint's hex text) as a number up to
 * 0xffff and hex text above (entryText's spelling), an address field's first taken into the
 * oracle's addresses by `map`.
 */
function normalized(v: unknown, key: string | undefined, map: Mapper, extent?: Extent): unknown {
  if (Array.isArray(v)) return v.map((x) => normalized(x, undefined, map, extent));
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = normalized(x, k, map, extent);
    // A range whose size the API leaves to the implementation (a locked list): the target's
    // extent, as learned, is the oracle's.
    const va = integer((v as Record<string, unknown>)['va']);
    const length = out['length'];
    if (extent !== undefined && va !== undefined && typeof length === 'number')
      out['length'] = extent(va, length);
    return out;
  }
  const n = integer(v);
  if (n === undefined) return v;
  const space = key === undefined ? undefined : ADDRESS_FIELDS[key];
  const m = space === undefined || n === 0n ? n : map(space, n);
  if (m === undefined) return NOT_LEARNED;
  return m <= 0xffffn ? Number(m) : `0x${m.toString(16)}`;
}

/** An integer as a number or a bigint's hex text (canonical form), else undefined. */
function integer(v: unknown): bigint | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && HEX.test(v)) return BigInt(v);
  return undefined;
}

/** The oracle's extent of the target's range at `va` that is `length` long, where learned. */
type Extent = (va: bigint, length: number) => number;

/**
 * A handle or address no call has handed the driver yet (a pending transfer's list): each side
 * numbers it its own way, and nothing says which of the target's is which of the oracle's.
 */
const NOT_LEARNED = '(not learned)';

/** A value in the oracle's addresses, or undefined when it was never learned. */
type Mapper = (space: AddressSpace, v: bigint) => bigint | undefined;

/** A key of the target's state as printed: its own text, cut short, quoted if odd. */
function keyText(k: string): string {
  return /^[\w.-]{1,40}$/.test(k) ? k : JSON.stringify(k.slice(0, 40));
}

/** One list's differences: each target entry paired with the oracle entry most like it. */
function listDiffs(key: string, target: readonly unknown[], model: readonly unknown[]): string[] {
  const onlyTarget = unmatched(target, model);
  const onlyModel = unmatched(model, target);
  const out: string[] = [];
  for (const t of onlyTarget) {
    let best = -1;
    let bestShared = 0;
    onlyModel.forEach((m, i) => {
      const s = shared(t, m);
      if (s > bestShared) [best, bestShared] = [i, s];
    });
    const pair = best < 0 ? undefined : onlyModel.splice(best, 1)[0];
    out.push(
      pair === undefined
        ? `${key}: only the target has ${entryText(t)}`
        : `${key}: the target has ${entryText(t)} where the oracle has ${entryText(pair)}`,
    );
  }
  for (const m of onlyModel) out.push(`${key}: only the oracle has ${entryText(m)}`);
  return out;
}

/** The fields the entries of a list hold, over all of them (none: not a list of objects). */
function fieldsOf(list: readonly unknown[]): Set<string> {
  const out = new Set<string>();
  for (const e of list)
    if (typeof e === 'object' && e !== null && !Array.isArray(e))
      for (const k of Object.keys(e)) out.add(k);
  return out;
}

/** Each entry with only `fields` (a field one side does not report is not compared). */
function project(list: readonly unknown[], fields: ReadonlySet<string>): unknown[] {
  return list.map((e) => {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) return e;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e)) if (fields.has(k)) out[k] = v;
    return out;
  });
}

/** Two lists compared on the fields both report (all of them when either list is empty). */
function listDiffsShared(key: string, a: readonly unknown[], b: readonly unknown[]): string[] {
  const fa = fieldsOf(a);
  const fb = fieldsOf(b);
  if (fa.size === 0 || fb.size === 0) return listDiffs(key, a, b);
  const both = new Set([...fa].filter((f) => fb.has(f)));
  return listDiffs(key, project(a, both), project(b, both));
}

/**
 * The target's state against the oracle's, under the keys both have: a key only one side has
 * (a list the target does not keep, a diagnostic of its own) is named, not compared.
 */
function compare(target: unknown, model: Record<string, unknown>): Compared {
  if (typeof target !== 'object' || target === null || Array.isArray(target))
    return { diffs: [`state: the target's is ${entryText(target)}`], objects: 0, unshared: [] };
  const t = target as Record<string, unknown>;
  const diffs: string[] = [];
  let objects = 0;
  const unshared: string[] = [];
  for (const key of [...new Set([...Object.keys(t), ...Object.keys(model)])].sort()) {
    const a = t[key];
    const b = model[key];
    const name = keyText(key);
    if (a === undefined || b === undefined) {
      unshared.push(`${name} (${a === undefined ? 'the oracle' : 'the target'} only)`);
      continue;
    }
    if (Array.isArray(b)) objects += b.length;
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if (Array.isArray(a) && Array.isArray(b)) diffs.push(...listDiffsShared(name, a, b));
    else diffs.push(`${name}: the target has ${entryText(a)} where the oracle has ${entryText(b)}`);
  }
  return { diffs, objects, unshared };
}

/** The lines under a call with a violation that say how the target's state stands. */
export class TargetStateWatch {
  /** After the last call asked about; undefined before the first. */
  private now: Compared | undefined;
  /** The first call since which they have differed. */
  private since = 0;
  /** Why state() is no longer asked, and whether that was said. */
  private broken: { why: string; told: boolean } | undefined;
  private noStateTold = false;
  private hasState = false;
  /** The answer compared last, and the oracle's state version then. */
  private last: { state: unknown; version: number } | undefined;
  /** The differences printed last, and under which call. */
  private printed: { at: number; text: string } | undefined;

  /** After call `index`: the target's state, compared (nothing when it cannot be asked). */
  after(index: number, view: ReplayView): Maybe<void> {
    this.hasState = view.target.state !== undefined;
    if (this.broken !== undefined || !this.hasState) return;
    let got: Maybe<unknown>;
    try {
      got = stateOf(view.target);
      if (got instanceof Promise) got = withTimeout(got, view.timeoutMs, 'state()');
    } catch (e) {
      return this.fail(index, e);
    }
    const compared = (state: unknown): void => {
      try {
        this.compared(index, view, state);
      } catch (e) {
        this.fail(index, e);
      }
    };
    if (got instanceof Promise) return got.then(compared, (e: unknown) => this.fail(index, e));
    compared(got);
  }

  private compared(index: number, view: ReplayView, state: unknown): void {
    const version = view.model.state.version;
    // The same frozen answer (a model target's) while the oracle changed nothing: as before.
    const last = this.last;
    if (last !== undefined && last.state === state && last.version === version) return;
    this.last = isUnchanging(state) ? { state, version } : undefined;
    const { book } = view;
    // Identity while every value learned is the same on both sides (the book's own shortcut).
    const moves = book.moves('target', 'model');
    const toModel: Mapper = (space, v) =>
      book.knows(space, 'target', v)
        ? moves
          ? book.map(space, 'target', 'model', v)
          : v
        : undefined;
    const ofModel: Mapper = (space, v) => (book.knows(space, 'model', v) ? v : undefined);
    const extent: Extent = (va, length) => {
      const r = book.resized('cpu', 'target', va);
      return r !== undefined && r.offset === 0 && r.targetLength === length ? r.length : length;
    };
    const target = normalized(canonicalPlain(state, 'state()'), undefined, toModel, extent);
    const oracle = canonicalPlain(view.model.liveState(), 'the oracle');
    const c = compare(target, normalized(oracle, undefined, ofModel) as Record<string, unknown>);
    if (c.diffs.length > 0 && (this.now === undefined || this.now.diffs.length === 0))
      this.since = index;
    this.now = c;
  }

  private fail(index: number, e: unknown): void {
    if (!TargetFault.is(e)) throw e;
    this.broken = { why: `${oneLine(e.message)} after call ${index}`, told: false };
    this.now = undefined;
  }

  /** Under call `index`, which had a violation. */
  lines(index: number): string[] {
    if (!this.hasState) {
      if (this.noStateTold) return [];
      this.noStateTold = true;
      return ["  target has no state(): its own objects cannot be shown beside the oracle's"];
    }
    if (this.broken !== undefined) {
      if (this.broken.told) return [];
      this.broken.told = true;
      return [`  target state not shown: ${this.broken.why} (not asked again)`];
    }
    const c = this.now;
    if (c === undefined) return [];
    if (c.diffs.length === 0) {
      const cut = c.unshared.slice(0, stateEntriesShown);
      const more = c.unshared.length - cut.length;
      const not =
        cut.length === 0
          ? ''
          : `; not compared: ${cut.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
      return [`  target state agrees with the model (${plural(c.objects, 'object')}${not})`];
    }
    const text = c.diffs.join('\n');
    const last = this.printed;
    if (last !== undefined && last.text === text && last.at >= this.since)
      return [
        `  target state: the same ${plural(c.diffs.length, 'difference')} as at call ${last.at}`,
      ];
    this.printed = { at: index, text };
    const when = this.since === index ? 'from this call on' : `since call ${this.since}`;
    const shown = c.diffs.slice(0, stateEntriesShown).map((d) => `    ${d}`);
    const more = c.diffs.length - shown.length;
    if (more > 0) shown.push(`    ... and ${plural(more, 'more difference')}`);
    return [
      `  target state differs from the model's ${when} (the target's handles and addresses in the oracle's, where learned):`,
      ...shown,
    ];
  }
}
