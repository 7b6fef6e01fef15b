// Lockstep replay of one trace: every call goes to the target and to the oracle model; values
// the API leaves to the implementation are learned, defined ones compared. After the first
// conformance violation, misuse, change an obsolete call made, or call whose outcome depends on
// a scatter/gather list the target made differently (listReach.ts) or on a view's page outside
// the bytes asked for (viewSlack.ts), the oracle no longer describes the target, so comparing
// against it stops ("detached"); the inert checks go on.
// An obsolete-family call takes the inert path (inertStep.ts), on this replayer's state.
import { profileOf, resolveDevice } from '../model/device.js';
import { Model } from '../model/model.js';
import type { Stepped } from '../model/step.js';
import type { Args, CallOutcome, TraceCall, Value } from '../model/values.js';
import type { TraceHeader } from '../trace/trace.js';
import { liveSnapshot } from '../model/live.js';
import { AddressBook } from './addressBook.js';
import { withOwnArgs } from './argsInPlace.js';
import { planOf, type CallPlan } from './callPlan.js';
import { callTargetMaybe, TargetFault } from './callTarget.js';
import { conformanceViolations, toModelSpace, type CheckContext } from './conformance.js';
import { mismatchViolation } from './diffText.js';
import { cited } from './ruleSource.js';
import {
  DEFAULT_SAMPLE_BYTES,
  type DetachReason,
  type ReplayOptions,
  type ReplayOutcome,
  type ReplayResult,
} from './replayTypes.js';
import { InertStep } from './inertStep.js';
import { ClashCheck } from './clashCheck.js';
import { liveByLookup } from '../model/live.js';
import { implementationBytes, listBytesSent } from './listReach.js';
import { LiveSpansCache } from './liveSpansCache.js';
import { viewSlack } from './viewSlack.js';
import { RECORDED_STEP, RecordedCheck, type RecordedStep } from './recordedCheck.js';
import { andThen, type ByteDiff, type Maybe, type Span } from './memory.js';
import { faultAtCall } from './targetAnswers.js';
import type { Target } from './target.js';
import { checkTouched, type TouchedHost } from './touchedCheck.js';
import { strayText } from './touchedSpans.js';
import { translateArgs } from './translate.js';
import { violation, type Violation } from './violation.js';
import { ViolationList } from './violationList.js';

export { DEFAULT_SAMPLE_BYTES, type ReplayOptions, type ReplayOutcome, type ReplayResult };

export class Replayer {
  readonly model: Model;
  readonly book = new AddressBook(
    () => liveSnapshot(this.model.state),
    (res, v) => liveByLookup(this.model.state, res, v),
  );
  private readonly found: ViolationList;
  readonly violations: Violation[];
  private detachedAt: number | undefined;
  private detachedBy: DetachReason | undefined;
  private readonly recorded: RecordedCheck;
  private readonly live: LiveSpansCache;
  private readonly inert: InertStep;
  private readonly clashes: ClashCheck;
  private readonly touchedHost: TouchedHost;
  private index = 0;
  /** The first touched() range in nothing the target returned, as strayTouched says it. */
  private stray: string | undefined;
  private readonly onStray = (r: Span): void => {
    this.stray ??= strayText(this.index, r);
  };

  private readonly target: Target;

  constructor(
    header: TraceHeader,
    target: Target,
    private readonly options: ReplayOptions = {},
  ) {
    // A target built in code gets its own copy of each call's arguments (argsInPlace.ts).
    this.target = withOwnArgs(target);
    const profile = profileOf(header, options.profile);
    this.model = new Model({ device: resolveDevice(header.device), profile });
    // A trace's recorded values are its header profile's answers (the bundled corpus's are the
    // docs oracle's): under another profile they would judge the profiles, not the capture.
    this.recorded = new RecordedCheck(
      profile === profileOf(header) ? undefined : 'profile-override',
    );
    this.live = new LiveSpansCache(this.model);
    this.clashes = new ClashCheck(this.model.state);
    this.found = new ViolationList(options.violationsMax, options.onViolation);
    this.violations = this.found.list;
    this.inert = new InertStep({
      model: this.model,
      target: this.target,
      book: this.book,
      live: this.live,
      stray: this.onStray,
      options,
      index: () => this.index,
      detached: () => this.detachedAt !== undefined,
      cheap: () => this.cheap() && this.detachedAt === undefined,
      callTarget: (call, plan, targetArgs, then) => this.callTarget(call, plan, targetArgs, then),
      recordedAgainst: (call, plan, s, modelArgs, step) =>
        this.recordedAgainst(call, plan, s, modelArgs, step),
      add: (v) => this.add(v),
      memoryMismatch: (fn, d, how, late) => this.memoryMismatch(fn, d, how, late),
      detach: (by) => this.detach(by),
      adopted: (wrote) => this.adopted(wrote),
      advance: () => this.advance(),
    });
    this.touchedHost = {
      model: this.model,
      target: this.target,
      book: this.book,
      live: this.live,
      paranoid: options.paranoid === true,
      detached: () => this.detachedAt !== undefined,
      cheap: () => this.cheap(),
      memoryMismatch: (fn, d, how) => this.memoryMismatch(fn, d, how),
      adopted: (wrote) => this.adopted(wrote),
      stray: this.onStray,
    };
  }

  /** Every violation goes in cited (ruleSource.ts): its rule, beside its message. */
  private add(v: Violation): void {
    this.found.add(cited(v, this.model.state.profile));
  }

  private detach(by: DetachReason, why?: string): void {
    if (this.detachedAt !== undefined) return;
    this.detachedAt = this.index;
    this.detachedBy = by;
    this.options.onDetach?.(this.index, by, why);
  }

  /**
   * Replays one call; false when the target crashed or timed out. Synchronous as long as the
   * target is (the in-process model targets are): no promise, no microtask per call.
   */
  step(call: TraceCall): Maybe<boolean> {
    const plan = planOf(call.fn);
    // Readers reject unknown functions; a library caller's call reaching here is a bug of its
    // own, and skipping it would pass a trace that never ran.
    if (plan === undefined)
      throw new TypeError(
        `Replayer.step: unknown function ${JSON.stringify(call.fn)} at call ${this.index} (validate calls built in code with validateCall)`,
      );
    // A fault anywhere in the step (the call, or the target's state() or touched() around it)
    // ends the replay at this call.
    try {
      const done = this.stepChecked(call, plan);
      return done instanceof Promise ? done.catch((e: unknown) => this.fault(call.fn, e)) : done;
    } catch (e) {
      return this.fault(call.fn, e);
    }
  }

  private stepChecked(call: TraceCall, plan: CallPlan): Maybe<boolean> {
    const modelArgs = translateArgs(this.book, plan, call.args, 'trace', 'model');
    const targetArgs = translateArgs(this.book, plan, call.args, 'trace', 'target');
    if (plan.inert) return this.inert.step(call, plan, modelArgs, targetArgs);
    // Memory the call may free, compared with the oracle first (freeSweep.ts).
    const swept = this.inert.sweeps.beforeRelease(plan.desc.fn, modelArgs);
    if (swept !== undefined)
      return andThen(swept, () => this.stepOn(call, plan, modelArgs, targetArgs));
    return this.stepOn(call, plan, modelArgs, targetArgs);
  }

  private stepOn(call: TraceCall, plan: CallPlan, modelArgs: Args, targetArgs: Args) {
    // No closure unless the target answers asynchronously: this runs for every call.
    const got = this.ask(call, plan, targetArgs);
    if (got instanceof Promise)
      return got.then((g) => this.complete(call, plan, modelArgs, targetArgs, g));
    return this.complete(call, plan, modelArgs, targetArgs, got);
  }

  /** The call to the target, then `then` with its answer (a fault: see step). */
  private callTarget(
    call: TraceCall,
    plan: CallPlan,
    targetArgs: Args,
    then: (got: CallOutcome) => Maybe<boolean>,
  ): Maybe<boolean> {
    const got = this.ask(call, plan, targetArgs);
    return got instanceof Promise ? got.then(then) : then(got);
  }

  /** The target's answer to the call (a fault: see step). */
  private ask(call: TraceCall, plan: CallPlan, targetArgs: Args): Maybe<CallOutcome> {
    this.options.onCall?.(this.index, call.fn, targetArgs, call);
    // The call table's own string for the name (the same text): the lookups by name after
    // this one, the target's and the oracle's, find it without hashing a string per call.
    return callTargetMaybe(
      this.target,
      { fn: plan.desc.fn, args: targetArgs },
      this.options.callTimeoutMs,
    );
  }

  /** A TargetFault as a violation at call `at`; also one after the calls (coverageAsk.ts). */
  fault(fn: string, e: unknown, at = this.index): false {
    if (!TargetFault.is(e)) throw e;
    const kind = e.timeout ? 'target-timeout' : 'target-crashed';
    this.add(violation(kind, fn, at, faultAtCall(fn, e.message)));
    return false;
  }

  private complete(
    call: TraceCall,
    plan: CallPlan,
    modelArgs: Args,
    targetArgs: Args,
    got: CallOutcome,
  ): Maybe<boolean> {
    const oracleBefore = this.oracleVersion();
    const fn = plan.desc.fn; // the call table's string (see ask)
    const stepped = this.model.step(fn, modelArgs);
    const note =
      stepped.misuse === undefined ? undefined : this.clashes.misuseNote(plan, call.args);
    this.options.onStep?.(fn, stepped, this.model, got, note);
    // No object per call while nothing translates (toModelSpace hands `got` back then).
    const observed = this.book.moves('target', 'model')
      ? toModelSpace(this.book, fn, 'target', got, plan, { target: targetArgs, model: modelArgs })
      : got;
    const oracleChanged = this.oracleVersion() !== oracleBefore;
    const step = oracleChanged ? RECORDED_STEP.changed : RECORDED_STEP.unchanged;
    // One context for both checks of the call's answer.
    const ctx = this.check(plan, modelArgs);
    this.recordedWith(call, stepped, step, ctx);
    this.checkConformance(fn, stepped, observed, ctx, oracleChanged);
    if (stepped.misuse !== undefined) this.detach('misuse', note);
    this.learn(call, plan, stepped, got, modelArgs);
    const sent = listBytesSent(this.model, this.target, this.book, fn, modelArgs);
    if (sent !== undefined) return andThen(sent, (why) => this.afterCall(fn, why));
    return this.afterCall(fn);
  }

  /** The call's produced values learned, and any that names two live objects (clash.ts). */
  private learn(call: TraceCall, plan: CallPlan, s: Stepped, got: CallOutcome, a: Args): void {
    const trace = this.recorded.compared();
    const target = this.detachedAt === undefined;
    const found = this.clashes.learn(this.book, plan, call, s, got, a, this.index, trace, target);
    if (found === undefined) return;
    for (const v of found.violations) this.add(v);
    if (found.trace) this.recorded.clashed(this.index);
    if (found.target) this.detach('divergence');
  }

  /** The touched check (after detaching, when `why` says the oracle cannot judge on). */
  private afterCall(fn: string, why?: string): Maybe<boolean> {
    if (why !== undefined) this.detach('latitude', why);
    const checked = checkTouched(this.touchedHost, fn);
    if (checked instanceof Promise) return checked.then(() => this.advance());
    return this.advance();
  }

  private advance(): true {
    this.index++;
    return true;
  }

  /**
   * Whether touched() stands in for reading all live memory around obsolete calls; also once
   * detached, as the oracle's memory then follows the target's writes (touchedCheck.ts).
   */
  private cheap(): boolean {
    return this.target.touched !== undefined && this.options.paranoid !== true;
  }

  private recordedAgainst(
    call: TraceCall,
    plan: CallPlan,
    s: Stepped,
    modelArgs: Args,
    step: RecordedStep,
  ): void {
    this.recordedWith(call, s, step, this.check(plan, modelArgs));
  }

  private recordedWith(call: TraceCall, s: Stepped, step: RecordedStep, ctx: CheckContext): void {
    // Indexed loops, not for-of: no iterator per call.
    const found = this.recorded.check(call, s, step, this.index, ctx);
    for (let i = 0; i < found.length; i++) this.add(found[i] as Violation);
  }

  private check(plan: CallPlan, modelArgs: Args): CheckContext {
    return {
      plan,
      book: this.book,
      index: this.index,
      profile: this.model.state.profile,
      modelArgs,
      // Asked only where a list is compared: an adapter lookup per call otherwise.
      singleElement: plan.sglist && this.singleElement(modelArgs),
    };
  }

  private singleElement(modelArgs: Args): boolean {
    const a = modelArgs['vpDmaAdapter'];
    return typeof a === 'bigint' && this.model.state.adapters.get(a)?.scatterGather === false;
  }

  private checkConformance(
    fn: string,
    stepped: Stepped,
    observed: { ret?: Value; out?: Args },
    ctx: CheckContext,
    oracleChanged: boolean,
  ): void {
    if (this.detachedAt !== undefined || stepped.misuse !== undefined) return;
    const u =
      implementationBytes(this.model, this.book, fn, ctx.modelArgs) ??
      viewSlack(this.model, fn, ctx.modelArgs);
    if (u !== undefined) return 'detach' in u ? this.detach('latitude', u.detach) : undefined;
    const found = conformanceViolations(ctx, fn, stepped, observed);
    for (let i = 0; i < found.length; i++) this.add(found[i] as Violation);
    // A different answer to a call that changed nothing in the oracle (UnlockPages' TRUE, say)
    // cannot have put the two apart: keep comparing, so later divergences are seen too.
    if (found.length > 0 && oracleChanged) this.detach('divergence');
  }

  /** Changes whenever any oracle object or byte of memory changes. */
  private oracleVersion(): number {
    return this.model.state.version * 0x100000000 + this.model.state.mem.writes;
  }

  private memoryMismatch(fn: string, d: ByteDiff, how: string, late = false): void {
    this.add(mismatchViolation(this.book, d, fn, this.index, how, late));
    this.detach('divergence');
  }

  /** After the oracle took bytes over: they are not its own writes (touched). */
  private adopted(wrote: boolean): void {
    if (!wrote) return;
    this.model.touched();
    this.recorded.oracleAdopted();
  }

  /** The final sweep (freeSweep.ts); false when the target crashed or hung under its reads. */
  async finish(lastFn: string): Promise<boolean> {
    if (this.detachedAt !== undefined || this.index === 0) return true;
    this.index--;
    try {
      await this.inert.sweeps.final(lastFn);
    } catch (e) {
      return this.fault(lastFn, e);
    } finally {
      this.index++;
    }
    return true;
  }

  result(outcome?: ReplayOutcome): ReplayResult {
    const o: ReplayOutcome = outcome ?? (this.violations.length > 0 ? 'fail' : 'pass');
    const unlisted = this.found.unlistedOrNone();
    return {
      outcome: o,
      calls: this.index,
      violations: this.violations,
      ...(unlisted === undefined ? {} : { unlisted }),
      ...(this.detachedAt === undefined ? {} : { detachedAt: this.detachedAt }),
      ...(this.detachedBy === undefined ? {} : { detachedBy: this.detachedBy }),
      ...this.recorded.detached(),
      ...(this.options.paranoid === true && this.options.fullBytesMax === undefined
        ? { paranoid: true as const }
        : {}),
      ...(this.target.state === undefined ? { noState: true as const } : {}),
      ...(this.stray === undefined ? {} : { strayTouched: this.stray }),
    };
  }
}
