// The shapes of a replay's options and result, shared by the replayer, the pool and reports.
import type { Model } from '../model/model.js';
import type { AddressBook } from './addressBook.js';
import type { Target } from './target.js';
import type { Profile } from '../model/device.js';
import type { Stepped } from '../model/step.js';
import type { Args, CallOutcome, TraceCall } from '../model/values.js';
import type { Violation, ViolationKind } from './violation.js';

export interface ReplayOptions {
  /** Oracle profile; default: the trace header's, else docs. */
  readonly profile?: Profile;
  /** Full before/after memory comparison around every call. */
  readonly paranoid?: boolean;
  /** Bytes of the rotating memory sample checked around each inert call. */
  readonly sampleBytes?: number;
  /**
   * Where the inert checks must read all live memory around a call (no touched(), or the
   * oracle detached): above this many live bytes they read a rotating window of this size
   * instead (default: no limit). The fuzzer sets it; a replay of a capture reads everything.
   */
  readonly fullBytesMax?: number;
  /**
   * Violations listed in full (default 1000); past it, only the first of each kind and
   * function, the rest counted in `unlisted`.
   */
  readonly violationsMax?: number;
  /**
   * A call whose promise does not settle within this is a target-timeout (default 5000). A
   * synchronous target that never returns cannot be stopped in its own thread: the CLI runs
   * targets in worker threads, which it terminates.
   */
  readonly callTimeoutMs?: number;
  /**
   * Called before each call goes to the target (the pool's heartbeat), with the call as the
   * trace has it and its arguments as the target gets them (in its own address space).
   */
  readonly onCall?: (index: number, fn: string, targetArgs: Args, call: TraceCall) => void;
  /**
   * Called after every oracle step (coverage), with the target's answer to the call (in its
   * own address space) beside the oracle's; for a misuse that only a value the capture recorded
   * for two live objects makes one (clashCheck.ts), `misuseNote` says so.
   */
  readonly onStep?: (
    fn: string,
    stepped: Stepped,
    model: Model,
    answer: CallOutcome,
    misuseNote?: string,
  ) => void;
  /**
   * Asked before each call: true stops the replay there (Ctrl-C), and the result is what was
   * found so far, marked `interrupted` (no final sweep: the trace did not end).
   */
  readonly stopped?: () => boolean;
  /** Called with each violation as it is found (`vpdma replay --explain`). */
  readonly onViolation?: (v: Violation) => void;
  /**
   * Called once, at the call after which the oracle stops being compared (`detachedAt`), with
   * why (for 'latitude', `why` says what the call did with which list or view; for 'misuse', whether it
   * is the capture's, as onStep's `misuseNote`).
   */
  readonly onDetach?: (index: number, by: DetachReason, why?: string) => void;
  /**
   * Called after each call the target answered, its checks done, before the next (`vpdma
   * replay --explain` asks the target's state() here); a promise it returns is awaited.
   */
  readonly afterCall?: (index: number, view: ReplayView) => void | Promise<void>;
}

/** What afterCall sees of the replay: the oracle, the values learned, the target. */
export interface ReplayView {
  readonly model: Model;
  readonly book: AddressBook;
  readonly target: Target;
  /** How long an answer of the target may take (ReplayOptions.callTimeoutMs). */
  readonly timeoutMs: number;
}

export type ReplayOutcome = 'pass' | 'fail' | 'crash' | 'timeout';

/**
 * Why the oracle stopped being compared: a divergence that changed it, misuse in the trace, or
 * a call whose outcome depends on a scatter/gather list the target made differently (reaching
 * past the end of its shorter list, or sending the device its other bytes: listReach.ts) or on
 * a view's page outside the bytes the driver asked for (viewSlack.ts).
 */
export type DetachReason = 'divergence' | 'misuse' | 'latitude';

/**
 * Why a trace's recorded values were not compared at all: `profile-override`, replayed under a
 * profile other than its header's, whose answers they are (docs/replay.md).
 */
export type RecordedSkipped = 'profile-override';

export interface ReplayResult {
  readonly outcome: ReplayOutcome;
  readonly calls: number;
  readonly violations: Violation[];
  /**
   * Violations not in `violations`, by kind: past violationsMax only the first of each kind
   * and function is listed (see ViolationList).
   */
  readonly unlisted?: Partial<Record<ViolationKind, number>>;
  /** Index of the first call after which the oracle was not compared against (why: detachedBy). */
  readonly detachedAt?: number;
  readonly detachedBy?: DetachReason;
  /**
   * A captured trace's recorded values were compared with the oracle up to this call (its
   * obsolete calls' always): a divergence that changed the oracle, or misuse.
   */
  readonly recordedDetachedAt?: number;
  readonly recordedDetachedBy?: 'divergence' | 'misuse';
  /**
   * The trace's recorded values were not compared at all: `profile-override`, the replay's
   * profile is not its header's, whose answers they are. Only for a trace that recorded some.
   */
  readonly recordedSkipped?: RecordedSkipped;
  /**
   * The replay was stopped (options.stopped) before the trace's end: `calls` and `violations`
   * are those so far, and `outcome` is 'fail' or 'pass' by them alone.
   */
  readonly interrupted?: true;
  /**
   * Replayed with options.paranoid (and no fullBytesMax): all live memory compared around every
   * call, so no memory-corrupted went unseen for want of a sample (docs/checks.md).
   */
  readonly paranoid?: true;
  /**
   * The target has no state(): changes to its adapters, transfers and events during obsolete
   * calls went unchecked (a warning, docs/checks.md; no part of the verdict).
   */
  readonly noState?: true;
  /**
   * The first touched() range that started in nothing the target returned nor in user memory
   * ("call 7 named 0x...+0x100"): its address space is off, and its touched() not to be relied
   * on (a warning, docs/checks.md; no part of the verdict).
   */
  readonly strayTouched?: string;
}

/** Bytes of live memory re-read around each inert call (the rotating sample). */
export const DEFAULT_SAMPLE_BYTES = 512;
