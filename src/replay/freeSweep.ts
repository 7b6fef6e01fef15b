// Every byte of every mapping compared with the oracle at least once before it dies. With
// touched(), an obsolete call is checked only where touched() says it wrote, a rotating sample
// and the edges of what its arguments name (inertCheck.ts); a byte it changed elsewhere
// without saying so would be seen only by the final sweep, which reads what is live at the
// end: memory freed before then (what an orderly trace does) was never looked at again. So,
// while attached, the memory a call is about to release is compared first, the way the final
// sweep compares it. And a difference found there, or by the final sweep or the sample, names
// the obsolete calls that ran unchecked while that memory was live: the call it is reported
// at is only where it was found.
import { CALLS, releasesObject } from '../model/calls.js';
import { RESOURCE_SPACE } from '../model/callTypes.js';
import type { Model } from '../model/model.js';
import type { Args } from '../model/values.js';
import type { AddressBook } from './addressBook.js';
import {
  andThen,
  compareWithModel,
  liveSpans,
  type ByteDiff,
  type Maybe,
  type Span,
} from './memory.js';
import type { Target } from './target.js';

/** Per function, its arguments that release a CPU range (the table's `releases` of one). */
const RELEASED_CPU: ReadonlyMap<string, readonly string[]> = new Map(
  CALLS.flatMap((c) => {
    const names = c.args
      .filter((a) => releasesObject(a) && a.role.kind === 'consumes' && cpuSpace(a.role.res))
      .map((a) => a.name);
    return names.length === 0 ? [] : [[c.fn, names] as const];
  }),
);

function cpuSpace(res: keyof typeof RESOURCE_SPACE): boolean {
  return RESOURCE_SPACE[res] === 'cpu';
}

/** The functions that can end a CPU range's life (for tests and docs). */
export const RELEASING_CPU_FNS: readonly string[] = [...RELEASED_CPU.keys()];

/**
 * The oracle's live ranges the call's releasing arguments name (model space), whole: the ones
 * it may be about to free. A call that turns out to keep them (a refcount, a misuse) only
 * has them compared early.
 */
export function releasedSpans(model: Model, fn: string, modelArgs: Args): Span[] {
  const names = RELEASED_CPU.get(fn);
  if (names === undefined) return [];
  const out: Span[] = [];
  for (const name of names) {
    const v = modelArgs[name];
    if (typeof v !== 'bigint' || v === 0n) continue;
    const r = model.state.ranges.find(v, 1);
    if (r === undefined || r.kind === 'lockedList') continue;
    if (!out.some((s) => s.address === r.va)) out.push({ address: r.va, length: r.length });
  }
  return out;
}

/** An obsolete call checked on touched() and samples only: a suspect for a change found later. */
interface Unchecked {
  readonly index: number;
  readonly fn: string;
  /** The oracle's live spans then (LiveSpansCache's array, shared, not copied). */
  readonly live: readonly Span[];
}

/** Suspects kept, the latest: a message names a few, and a long replay keeps no history. */
const keptMax = 32;
/** Suspects named in one message. */
const namedMax = 6;

export interface SweepHost {
  readonly model: Model;
  readonly target: Target;
  readonly book: AddressBook;
  /** Whether the oracle has stopped being compared. */
  detached(): boolean;
  memoryMismatch(fn: string, d: ByteDiff, how: string, late: boolean): void;
}

export class MemorySweeps {
  private readonly kept: Unchecked[] = [];
  private dropped = false;
  /**
   * The ranges (start → length) live during an obsolete call checked only by sample: the
   * ones a free must compare first. Memory no such call saw was checked in full around every
   * obsolete call of its life (or had none), and is freed unread: a 16 MiB view mapped and
   * unmapped again and again costs nothing.
   */
  private readonly exposed = new Map<bigint, number>();
  /** The live spans last added to `exposed` (LiveSpansCache's array: same until it changes). */
  private exposedLive: readonly Span[] | undefined;

  constructor(private readonly r: SweepHost) {}

  /** An obsolete call checked on touched() and samples only, while attached. */
  unchecked(index: number, fn: string, live: readonly Span[]): void {
    if (this.kept.length >= keptMax) {
      this.kept.shift();
      this.dropped = true;
    }
    this.kept.push({ index, fn, live });
    if (live === this.exposedLive) return;
    this.exposedLive = live;
    for (let i = 0; i < live.length; i++) {
      const s = live[i] as Span;
      this.exposed.set(s.address, s.length);
    }
  }

  /**
   * Before a call that may release CPU memory, while attached: that memory compared with the
   * oracle (undefined, at once, for any other call).
   */
  beforeRelease(fn: string, modelArgs: Args): Maybe<void> | undefined {
    if (this.exposed.size === 0 || !RELEASED_CPU.has(fn)) return undefined;
    const spans = releasedSpans(this.r.model, fn, modelArgs).filter((s) => {
      const seen = this.exposed.get(s.address) === s.length;
      this.exposed.delete(s.address);
      return seen;
    });
    // A call that keeps what it names (a refcount, a view not found) leaves it live: the next
    // obsolete call marks it again.
    this.exposedLive = undefined;
    if (spans.length === 0 || this.r.detached()) return undefined;
    const r = this.r;
    return andThen(compareWithModel(r.model, r.target, r.book, spans), (d) => {
      if (d === undefined) return;
      const how = `found before ${fn} released it: it changed at or before this call`;
      r.memoryMismatch(fn, d, this.suspected(how, d.address), true);
    });
  }

  /** The final sweep: every byte of every live mapping must match the oracle. */
  final(lastFn: string): Maybe<void> {
    const r = this.r;
    return andThen(compareWithModel(r.model, r.target, r.book, liveSpans(r.model)), (d) => {
      if (d === undefined) return;
      const how = 'found by the final sweep of all live memory';
      r.memoryMismatch(lastFn, d, this.suspected(how, d.address), true);
    });
  }

  /**
   * `how` with the obsolete calls checked only by sample that ran while the range holding
   * `address` was live (the same range: same start and length), or that none did.
   */
  suspected(how: string, address: bigint): string {
    const r = this.r.model.state.ranges.find(address, 1);
    if (r === undefined) return how;
    const during = this.kept.filter((u) =>
      u.live.some((s) => s.address === r.va && s.length === r.length),
    );
    if (during.length === 0)
      return this.dropped ? how : `${how}; no obsolete call ran unchecked while it was live`;
    const shown = during.slice(-namedMax).map((u) => `${u.fn} (call ${u.index})`);
    const more = during.length > namedMax || (this.dropped && during[0] === this.kept[0]);
    return `${how}; obsolete calls checked only by sample while it was live: ${more ? '..., ' : ''}${shown.join(', ')}`;
  }
}
