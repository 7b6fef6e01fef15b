// After a non-inert call: the bytes either side wrote (the oracle's touched(), the target's
// if it reports any) must agree with the oracle; once detached, the oracle's memory follows
// the target's there instead. Split out of replay.ts, whose Replayer keeps one host for it.
import type { Model } from '../model/model.js';
import type { AddressBook } from './addressBook.js';
import type { LiveSpansCache } from './liveSpansCache.js';
import {
  adoptFromTarget,
  andThen,
  compareWithModel,
  liveSpans,
  type ByteDiff,
  type Maybe,
  type Span,
} from './memory.js';
import { touchedOrNone } from './targetAnswers.js';
import type { Target, TouchedRanges } from './target.js';
import { claimedSpans, touchedSpans } from './touchedSpans.js';

export interface TouchedHost {
  readonly model: Model;
  readonly target: Target;
  readonly book: AddressBook;
  readonly live: LiveSpansCache;
  readonly paranoid: boolean;
  detached(): boolean;
  /** Whether touched() stands in for reading all live memory (Replayer.cheap). */
  cheap(): boolean;
  memoryMismatch(fn: string, d: ByteDiff, how: string): void;
  /** After the oracle took bytes over from the target (when `wrote`). */
  adopted(wrote: boolean): void;
  /** A claimed range in nothing the target returned (claimedSpans; a warning, not a violation). */
  readonly stray: (r: Span) => void;
}

/** The touched check of call `fn` (synchronous if the target is). */
export function checkTouched(h: TouchedHost, fn: string): Maybe<void> {
  const modelTouched: Span[] = h.model.touched();
  const targetTouched = touchedOrNone(h.target);
  if (targetTouched instanceof Promise) {
    return targetTouched.then((t) => compareTouched(h, fn, modelTouched, t));
  }
  return compareTouched(h, fn, modelTouched, targetTouched);
}

function compareTouched(
  h: TouchedHost,
  fn: string,
  modelTouched: Span[],
  targetTouched: TouchedRanges,
): Maybe<void> {
  if (h.detached() && !h.cheap()) return;
  const spans = h.paranoid ? liveSpans(h.model) : modelTouched;
  // Nothing claimed (the model target, nearly always): no new empty list per call.
  const claimed =
    targetTouched.length === 0 ? targetTouched : claimedSpans(h.book, targetTouched, h.stray);
  const merged = touchedSpans(spans, claimed, h.live);
  if (merged.length === 0) return;
  if (h.detached()) return followTarget(h, merged);
  // No closure unless the target answers asynchronously: this runs after every call.
  const d = compareWithModel(h.model, h.target, h.book, merged);
  if (d instanceof Promise) return d.then((x) => touchedResult(h, fn, x, merged));
  return touchedResult(h, fn, d, merged);
}

function touchedResult(
  h: TouchedHost,
  fn: string,
  d: ByteDiff | undefined,
  spans: readonly Span[],
): Maybe<void> {
  if (d === undefined) return;
  h.memoryMismatch(fn, d, 'after this call');
  return h.cheap() ? followTarget(h, spans) : undefined;
}

/** Detached: the oracle's memory takes over what the target holds where either side wrote. */
export function followTarget(h: TouchedHost, spans: readonly Span[]): Maybe<void> {
  const wrote = adoptFromTarget(h.model, h.target, h.book, spans);
  return andThen(wrote, (w) => h.adopted(w));
}
