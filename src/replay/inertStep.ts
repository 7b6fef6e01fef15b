// The replay of one obsolete-family call (the inert path): the target's state and bytes read
// before the call, the call, then the same read again after it (inertCheck.ts), besides the
// oracle's step. The Replayer (replay.ts) owns the loop and its state; it hands this class the
// few operations on that state the path needs (InertHost).
import type { Model } from '../model/model.js';
import type { Stepped } from '../model/step.js';
import type { Args, CallOutcome, TraceCall } from '../model/values.js';
import type { AddressBook } from './addressBook.js';
import type { CallPlan } from './callPlan.js';
import { toModelSpace } from './conformance.js';
import {
  adoptTargetBytes,
  changedTarget,
  inertAfter,
  inertBefore,
  inertValues,
  sampleAgreed,
  type InertBefore,
  type InertContext,
} from './inertCheck.js';
import { learnProduced } from './learn.js';
import type { LiveSpansCache } from './liveSpansCache.js';
import { andThen, type ByteDiff, type Maybe, type Span } from './memory.js';
import { RECORDED_STEP, type RecordedStep } from './recordedCheck.js';
import { DEFAULT_SAMPLE_BYTES, type DetachReason, type ReplayOptions } from './replayTypes.js';
import { MemorySweeps } from './freeSweep.js';
import { Sampler } from './sampler.js';
import type { Target } from './target.js';
import type { Violation } from './violation.js';

/** What of the Replayer the inert path reads and changes. */
export interface InertHost {
  readonly model: Model;
  readonly target: Target;
  readonly book: AddressBook;
  readonly live: LiveSpansCache;
  readonly options: ReplayOptions;
  /** Told of a touched() range in nothing the target returned (claimedSpans). */
  readonly stray: (r: Span) => void;
  /** The index of the call being replayed. */
  index(): number;
  /** Whether the oracle has stopped being compared. */
  detached(): boolean;
  /**
   * Whether touched() stands in for reading all live memory (Replayer.cheap); never once
   * detached, when no final sweep or free-time comparison stands behind the sample.
   */
  cheap(): boolean;
  /** The call to the target, then `then` with its answer. */
  callTarget(
    call: TraceCall,
    plan: CallPlan,
    targetArgs: Args,
    then: (got: CallOutcome) => Maybe<boolean>,
  ): Maybe<boolean>;
  recordedAgainst(
    call: TraceCall,
    plan: CallPlan,
    s: Stepped,
    modelArgs: Args,
    step: RecordedStep,
  ): void;
  add(v: Violation): void;
  memoryMismatch(fn: string, d: ByteDiff, how: string, late: boolean): void;
  detach(by: DetachReason): void;
  /** After the oracle took bytes over from the target (when `wrote`). */
  adopted(wrote: boolean): void;
  /** On to the next call: true. */
  advance(): true;
}

export class InertStep {
  private readonly sampler: Sampler;
  private readonly window: Sampler | undefined;
  /** The comparisons of whole ranges with the oracle, told of each call checked by sample. */
  readonly sweeps: MemorySweeps;

  constructor(private readonly r: InertHost) {
    this.sweeps = new MemorySweeps(r);
    this.sampler = new Sampler(r.options.sampleBytes ?? DEFAULT_SAMPLE_BYTES);
    if (r.options.fullBytesMax !== undefined) this.window = new Sampler(r.options.fullBytesMax);
  }

  /** An obsolete-family call with its before/after checks; synchronous if the target is. */
  step(call: TraceCall, plan: CallPlan, modelArgs: Args, targetArgs: Args): Maybe<boolean> {
    const inert = this.context(plan, call.args, modelArgs, targetArgs);
    return andThen(inertBefore(inert), (before) =>
      this.r.callTarget(call, plan, targetArgs, (got) => this.complete(call, inert, before, got)),
    );
  }

  private complete(
    call: TraceCall,
    inert: InertContext,
    before: InertBefore,
    got: CallOutcome,
  ): Maybe<boolean> {
    const r = this.r;
    const fn = inert.plan.desc.fn; // the call table's string (Replayer.ask)
    const stepped = r.model.step(fn, inert.modelArgs);
    r.options.onStep?.(fn, stepped, r.model, got);
    const given = { target: inert.targetArgs, model: inert.modelArgs };
    const observed = toModelSpace(r.book, fn, 'target', got, inert.plan, given);
    r.recordedAgainst(call, inert.plan, stepped, inert.modelArgs, RECORDED_STEP.inert);
    for (const v of inertValues(inert, stepped.ret, observed, got)) r.add(v);
    return andThen(this.after(inert, before), () => {
      learnProduced(r.book, inert.plan, call, stepped, got, inert.modelArgs);
      return r.advance();
    });
  }

  private context(
    plan: CallPlan,
    traceArgs: Args,
    modelArgs: Args,
    targetArgs: Args,
  ): InertContext {
    const r = this.r;
    const cheap = r.cheap();
    const sample: Span[] = cheap ? this.sampler.next(r.live.now()) : [];
    const full: Span[] = cheap ? [] : this.fullSpans();
    return {
      model: r.model,
      target: r.target,
      book: r.book,
      plan,
      index: r.index(),
      modelArgs,
      targetArgs,
      traceArgs,
      live: r.live,
      stray: r.stray,
      cheap,
      sample,
      full,
    };
  }

  /** All live memory, or a rotating window of fullBytesMax when there is more. */
  private fullSpans(): Span[] {
    const live = this.r.live.now();
    if (this.window === undefined) return live;
    let bytes = 0;
    for (const s of live) bytes += s.length;
    return bytes <= (this.r.options.fullBytesMax ?? 0) ? live : this.window.next(live);
  }

  private after(c: InertContext, before: InertBefore): Maybe<void> {
    const r = this.r;
    const stale = c.cheap && !r.detached() ? sampleAgreed(c, before) : undefined;
    if (stale !== undefined) {
      const how = 'found by the rotating sample: it changed at or before this call';
      r.memoryMismatch(c.plan.desc.fn, stale, this.sweeps.suspected(how, stale.address), true);
    }
    if (c.cheap) this.sweeps.unchecked(c.index, c.plan.desc.fn, r.live.now());
    return andThen(inertAfter(c, before), (after) => {
      for (const v of after.found) r.add(v);
      // Compared with the oracle from here on, the change would be reported again and again:
      // the oracle takes the bytes over, or (changed objects) stops being compared.
      const changed = changedTarget(after.found);
      if (changed === 'state') r.detach('divergence');
      if (changed !== 'none' || stale !== undefined)
        return andThen(adoptTargetBytes(c, after), (w) => r.adopted(w));
    });
  }
}
