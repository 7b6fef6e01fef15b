// (e) Swaps: a call goes while one argument of another call takes another of its table
// values, any of them (syzkaller's "replace a call by a different argument"). Removal and
// simplification alone can be stuck one call above the minimum: a hang found as
// CreateEvent(eventFlag=0) + SetEvent + WaitForSingleObject never becomes
// CreateEvent(eventFlag=2, signaled) + WaitForSingleObject, since removing SetEvent alone
// loses the hang and simplification never moves 0 to 2. Every candidate has fewer calls than
// the trace, so the pass cannot cycle with simplification (which may move 2 back toward 0).
//
// Bounded three ways. Only calls before the removed one that share an object with it are
// changed (those that produced what it consumes, and their other consumers): a call can stand
// in for it only by leaving the state as it did for the calls after it, and a call on none of
// its objects is unlikely to. Taking the calls after it too cost the canaries' benchmark 4,692
// replays instead of 3,388 (2,324 without the pass), for no shorter repro. Only arguments with a
// table `values` list (and booleans, struct fields included, whose values are the type's),
// never a consumed reference or a bus address: the enum-like ones. And at most `swapsMax`
// proposals each time the pass starts or resumes after a commit.
import type { ArgDesc } from '../model/callTypes.js';
import { describe } from '../model/calls.js';
import type { TraceCall, Value } from '../model/values.js';
import { isStruct, valueEquals } from '../model/values.js';
import { DEVDESC_FIELDS, VRP_FIELDS } from '../trace/structs.js';
import type { Edit } from './materialize.js';
import { removalsOf, type Proposal, type RemovalVariant } from './passes.js';
import type { Linked } from './references.js';
import { isPlain, type Plain } from './simplify.js';

/** Proposals at most each time the pass starts or resumes after a commit. */
export const swapsMax = 1000;

/** The other values `current` may take: the table's, of its own kind, in table order. */
function others(current: Plain, table: readonly Plain[]): Plain[] {
  const out: Plain[] = [];
  for (const v of table)
    if (typeof v === typeof current && !valueEquals(v, current) && !out.some((o) => o === v))
      out.push(v);
  return out;
}

const BOOLS: readonly Plain[] = [false, true];

function argSwaps(call: number, a: ArgDesc, v: Value | undefined): Edit[] {
  if (a.type === 'vrp' || a.type === 'devdesc') {
    if (!isStruct(v)) return [];
    const fields = a.type === 'vrp' ? VRP_FIELDS : DEVDESC_FIELDS;
    return fields.flatMap((f) => {
      const fv = v[f.name];
      return typeof fv === 'boolean'
        ? others(fv, BOOLS).map((value) => ({ call, path: `${a.name}.${f.name}`, value }))
        : [];
    });
  }
  if (!isPlain(v) || a.role.kind === 'consumes' || a.role.kind === 'bus') return [];
  const table = a.values ?? (typeof v === 'boolean' ? BOOLS : []);
  return others(v, table).map((value) => ({ call, path: a.name, value }));
}

/** One argument of `call` set to another of its values, in argument order, table order. */
export function swapEdits(call: number, c: TraceCall): Edit[] {
  const desc = describe(c.fn);
  // A call with its recorded ret/out keeps its arguments (simplify.ts slotsOf: the record
  // describes exactly those).
  if (desc === undefined || c.ret !== undefined || c.out !== undefined) return [];
  return desc.args.flatMap((a) => argSwaps(call, a, c.args[a.name]));
}

/**
 * The calls before call `c` that share an object with it, in trace order: those that produced
 * what it consumes, and the other consumers of those objects.
 */
export function neighbours(linked: Linked, c: number): number[] {
  const producers = new Set<number>();
  for (const r of linked.calls[c]?.refs ?? []) producers.add(r.from.call);
  const out: number[] = [];
  for (let i = 0; i < c; i++) {
    const lc = linked.calls[i];
    if (lc === undefined) break;
    if (producers.has(i) || lc.refs.some((r) => producers.has(r.from.call))) out.push(i);
  }
  return out;
}

/**
 * (e) For each call from `from` on: its removal (each variant, as ddmin removes it) with one
 * argument of one of its neighbours changed. The cursor is the removed call's index: the calls before
 * it keep their indices after the commit.
 */
export function* swaps(
  linked: Linked,
  from: number,
  variants: readonly RemovalVariant[],
): Generator<Proposal<number>> {
  const n = linked.calls.length;
  let proposed = 0;
  for (let c = from; c < n; c++) {
    const edits = neighbours(linked, c).flatMap((d) => {
      const lc = linked.calls[d];
      return lc === undefined ? [] : swapEdits(d, lc.call);
    });
    if (edits.length === 0) continue;
    for (const removal of removalsOf(linked, new Set([c]), variants)) {
      if (removal.removed.size >= n) continue;
      for (const edit of edits) {
        if (removal.removed.has(edit.call)) continue;
        if (proposed++ >= swapsMax) return;
        yield { cand: { ...removal, edit }, cursor: c };
      }
    }
  }
}
