// The passes as pure candidate generators over a linked trace, each in a fixed order so the
// driver can commit the first accepted candidate whatever the batch size. A generator yields
// proposals lazily with a cursor: after a commit the driver resumes the pass at that cursor
// on the new trace.
import { resolveDevice } from '../model/device.js';
import type { Candidate, Edit } from './materialize.js';
import { chainOf, dependents, type Linked } from './references.js';
import { slotsOf } from './simplify.js';

export interface Proposal<C> {
  readonly cand: Candidate;
  readonly cursor: C;
}

/**
 * How a removal treats the calls that consume what the removed calls produced, tried in the
 * order given: 'drop' removes those consumers too (transitively), 'null' keeps them with the
 * references set to NULL, 'literal' keeps them with the old values, now dangling.
 */
export type RemovalVariant = 'drop' | 'null' | 'literal';

export const DEFAULT_VARIANTS: readonly RemovalVariant[] = ['drop', 'null', 'literal'];

const range = (from: number, to: number): Set<number> => {
  const s = new Set<number>();
  for (let i = from; i < to; i++) s.add(i);
  return s;
};

/** (a) Everything after the failing call goes (and, in oracle mode, recorded ret/out). */
export function cutAfter(linked: Linked, failing: number): Candidate {
  return { removed: range(failing + 1, linked.calls.length), orphan: 'literal' };
}

/** (b) Only the failing call and the calls that produced (transitively) what it consumes. */
export function chainOnly(linked: Linked, failing: number): Candidate {
  const chain = chainOf(linked, failing);
  const removed = new Set<number>();
  for (let i = 0; i < linked.calls.length; i++) if (!chain.has(i)) removed.add(i);
  return { removed, orphan: 'literal' };
}

/** The variants of removing one chunk, without duplicates (no consumers: one candidate). */
export function removalsOf(
  linked: Linked,
  chunk: ReadonlySet<number>,
  variants: readonly RemovalVariant[],
): Candidate[] {
  const deps = dependents(linked, chunk);
  if (deps.size === 0) return [{ removed: chunk, orphan: 'literal' }];
  return variants.map((v) =>
    v === 'drop'
      ? { removed: new Set([...chunk, ...deps]), orphan: 'literal' as const }
      : { removed: chunk, orphan: v },
  );
}

/**
 * (c) Delta debugging: remove chunks of `size` consecutive calls, from the chunk ending at
 * `hi` down to the first call (consumers go before their producers that way). The cursor is
 * the chunk's start: calls before it are untouched by the removal.
 */
export function* removals(
  linked: Linked,
  size: number,
  hi: number,
  variants: readonly RemovalVariant[],
): Generator<Proposal<number>> {
  const n = linked.calls.length;
  for (let end = Math.min(hi, n); end > 0; end -= size) {
    const lo = Math.max(0, end - size);
    // Never propose the empty trace.
    for (const cand of removalsOf(linked, range(lo, end), variants))
      if (cand.removed.size < n) yield { cand, cursor: lo };
  }
}

export interface SlotCursor {
  readonly call: number;
  readonly slot: number;
}

/** (d) Argument simplification, call by call, argument by argument, simplest value first. */
export function* simplifications(
  linked: Linked,
  from: SlotCursor,
): Generator<Proposal<SlotCursor>> {
  const device = resolveDevice(linked.trace.header.device);
  for (let call = from.call; call < linked.calls.length; call++) {
    const lc = linked.calls[call];
    if (lc === undefined) break;
    const slots = slotsOf(lc.call, device);
    for (let slot = call === from.call ? from.slot : 0; slot < slots.length; slot++) {
      const s = slots[slot];
      if (s === undefined) break;
      for (const [k, value] of s.values.entries()) {
        const by = s.advance?.by[k] ?? 0n;
        const edit: Edit =
          s.advance !== undefined && by !== 0n
            ? { call, path: s.path, value, advance: { path: s.advance.path, by } }
            : { call, path: s.path, value };
        yield { cand: { removed: new Set(), orphan: 'literal', edit }, cursor: { call, slot } };
      }
    }
  }
}
