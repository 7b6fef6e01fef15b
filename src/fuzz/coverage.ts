// Coverage feedback from the model (no instrumentation of the target needed): every oracle
// step yields one key, a hash of (function, branch taken, whether it was misuse, the shape of
// the live state after it, profile). The shape is a few bits: which kinds of object are live
// and whether transfers are pending or delivered, so "MapDmaMemory with a transfer delivered
// and a common buffer live" is a different key from "MapDmaMemory on an idle adapter".
import { hashString } from '../core/hash.js';
import type { Model } from '../model/model.js';
import type { ModelState } from '../model/state.js';
import type { Stepped } from '../model/step.js';
import { reachedLabel } from './reached.js';

/** Bits of the live-state shape. */
export function stateShape(s: ModelState): number {
  let pending = 0;
  let delivered = 0;
  for (const t of s.transfers.values()) {
    // A queued transfer (ReactOS) is pending too: started, its list not yet delivered.
    if (t.state === 'delivered') delivered = 1;
    else pending = 1;
  }
  return (
    (s.adapters.size > 0 ? 1 : 0) |
    (s.commonBuffers.size > 0 ? 2 : 0) |
    (s.mdls.size > 0 ? 4 : 0) |
    (pending << 3) |
    (delivered << 4) |
    (s.views.size > 0 ? 32 : 0) |
    (s.events.size > 0 ? 64 : 0) |
    (s.blocks.size > 0 ? 128 : 0) |
    (s.adapters.size > 1 ? 256 : 0)
  );
}

/** stateShape's bits for common buffers, MDLs, pending and delivered transfers, and views. */
const DMA_BITS = 2 | 4 | 8 | 16 | 32;

/** The DMA and mapping part of the shape (0: none of them live); see watch.ts. */
export function dmaShape(s: ModelState): number {
  return stateShape(s) & DMA_BITS;
}

export function coverageKey(fn: string, stepped: Stepped, s: ModelState): number {
  return keyOf(fn, stepped, stateShape(s), s.profile);
}

/**
 * keyOf's answers by profile, function and branch, then shape and misuse (`shape * 2 + 1` for
 * misuse): a step's key costs a few lookups instead of building a string and hashing it. All
 * four come from finite sets (the call table, the model's branch names, 9 bits of shape, two
 * profiles), so it stays small. The last level is an array of tagged values (filled with
 * undefined: not unboxed doubles, which each read would box again).
 */
type ByFn = Map<string, Map<string, (number | undefined)[]>>;
const keyMemo = new Map<string, ByFn>();
/** stateShape's 9 bits and misuse. */
const keysPerBranch = 1 << 10;

function byFnOf(profile: string): ByFn {
  let byFn = keyMemo.get(profile);
  if (byFn === undefined)
    keyMemo.set(profile, (byFn = new Map<string, Map<string, (number | undefined)[]>>()));
  return byFn;
}

function keyOf(fn: string, stepped: Stepped, shape: number, profile: string): number {
  return keyIn(byFnOf(profile), fn, stepped, shape, profile);
}

function keyIn(byFn: ByFn, fn: string, stepped: Stepped, shape: number, profile: string): number {
  let byBranch = byFn.get(fn);
  if (byBranch === undefined) byFn.set(fn, (byBranch = new Map<string, (number | undefined)[]>()));
  let byShape = byBranch.get(stepped.branch);
  if (byShape === undefined)
    byBranch.set(
      stepped.branch,
      (byShape = Array.from({ length: keysPerBranch }, () => undefined)),
    );
  const k = shape * 2 + (stepped.misuse === undefined ? 0 : 1);
  let key = byShape[k];
  if (key === undefined) byShape[k] = key = keyText(fn, stepped, shape, profile);
  return key;
}

function keyText(fn: string, stepped: Stepped, shape: number, profile: string): number {
  const misuse = stepped.misuse === undefined ? '' : '!';
  return hashString(`${fn}|${stepped.branch}${misuse}|${shape}|${profile}`);
}

/**
 * Collects one case's keys, dropping those already reported earlier in the same task, and
 * the labels (reached.ts) of those `labelled` (the thread's, for the task's campaign) lacks:
 * the text is built only for a key new to both.
 */
export class CoverageSink {
  private readonly mine = new Set<number>();
  private readonly labels = new Map<number, string>();
  /** keyMemo's entry for the last step's profile (a case keeps one). */
  private profile: string | undefined;
  private byFn: ByFn | undefined;

  constructor(
    private readonly seenInTask: Set<number>,
    private readonly labelled: Set<number>,
  ) {}

  readonly onStep = (fn: string, stepped: Stepped, model: Model): void => {
    const s = model.state;
    const shape = stateShape(s);
    if (this.byFn === undefined || s.profile !== this.profile) {
      this.profile = s.profile;
      this.byFn = byFnOf(s.profile);
    }
    const key = keyIn(this.byFn, fn, stepped, shape, s.profile);
    if (this.seenInTask.has(key) || this.mine.has(key)) return;
    this.mine.add(key);
    if (!this.labelled.has(key)) this.labels.set(key, reachedLabel(fn, stepped, shape));
  };

  /** This case's new keys (sorted, so results do not depend on insertion order). */
  take(): number[] {
    const keys = [...this.mine].sort((a, b) => a - b);
    for (const k of keys) this.seenInTask.add(k);
    return keys;
  }

  /** The labels of this case's keys new to `labelled`, which now has them, by key. */
  takeLabels(): { labelKeys?: number[]; labels?: string[] } {
    if (this.labels.size === 0) return {};
    const labelKeys = [...this.labels.keys()].sort((a, b) => a - b);
    for (const k of labelKeys) this.labelled.add(k);
    return { labelKeys, labels: labelKeys.map((k) => this.labels.get(k) ?? '') };
  }
}
