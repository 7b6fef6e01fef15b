// A captured trace's own values (its `ret` and `out`) against the oracle's: does the capture
// agree with the documentation, whatever the target does?
import type { Stepped } from '../model/step.js';
import type { TraceCall } from '../model/values.js';
import { recordedViolations, type CheckContext } from './conformance.js';
import type { RecordedSkipped } from './replayTypes.js';
import type { Violation } from './violation.js';

/** What the oracle did in the call whose recorded values are checked. */
export interface RecordedStep {
  /** An obsolete-family call: its documented answer is a constant, whatever came before. */
  readonly inert: boolean;
  /** The oracle's objects or memory changed in this call. */
  readonly oracleChanged: boolean;
}

/** The three kinds of step, shared: one is passed for every call of a replay. */
export const RECORDED_STEP = {
  changed: { inert: false, oracleChanged: true },
  unchanged: { inert: false, oracleChanged: false },
  inert: { inert: true, oracleChanged: false },
} as const satisfies Record<string, RecordedStep>;

const NONE: readonly Violation[] = Object.freeze([]);

export class RecordedCheck {
  /** Set once a call with recorded values went uncompared because of `skipped`. */
  private skippedAny = false;
  /** The first call from which the capture was no longer compared (but for obsolete calls). */
  private detachedAt: number | undefined;
  private detachedBy: 'divergence' | 'misuse' | undefined;
  private readsTrusted = true;

  /** `skipped`: the trace's recorded values are not compared (why: RecordedSkipped). */
  constructor(private readonly skipped?: RecordedSkipped) {}

  /**
   * The oracle took over bytes from the target: its memory is no longer what the captured
   * system's was, so a capture's `@read` data is not judged by it from here on.
   */
  oracleAdopted(): void {
    this.readsTrusted = false;
  }

  /**
   * Up to (not at) the first misuse, whose answer the documentation leaves undefined and the
   * oracle merely chooses, and up to the first disagreement at a call that changed the oracle
   * (from there on it no longer describes the captured system). A disagreement at a call that
   * changed nothing cannot have put the two apart, and an obsolete call's answer is checked
   * always: it must not hide behind an unrelated earlier one.
   */
  check(
    call: TraceCall,
    stepped: Stepped,
    step: RecordedStep,
    index: number,
    context: CheckContext,
  ): readonly Violation[] {
    if (this.skipped !== undefined) {
      this.skippedAny ||= call.ret !== undefined || call.out !== undefined;
      return NONE;
    }
    if (this.detachedAt !== undefined && !step.inert) return NONE;
    if (stepped.misuse !== undefined) {
      this.detach(index, 'misuse');
      return NONE;
    }
    if (call.ret === undefined && call.out === undefined) return NONE;
    if (call.fn === '@read' && !this.readsTrusted) return NONE;
    const found = recordedViolations(context, call, stepped);
    if (found.length > 0 && step.oracleChanged) this.detach(index, 'divergence');
    return found;
  }

  /** Whether the capture's values are compared at this point (a clash counts: clash.ts). */
  compared(): boolean {
    return this.skipped === undefined && this.detachedAt === undefined;
  }

  /** The capture named two live objects with one value at call `index`: it no longer holds. */
  clashed(index: number): void {
    this.detach(index, 'divergence');
  }

  /**
   * ReplayResult's fields for where the comparison stopped, if it did, or why it never started
   * (only for a trace that recorded something).
   */
  detached(): {
    recordedDetachedAt?: number;
    recordedDetachedBy?: 'divergence' | 'misuse';
    recordedSkipped?: RecordedSkipped;
  } {
    if (this.skipped !== undefined && this.skippedAny) return { recordedSkipped: this.skipped };
    if (this.detachedAt === undefined || this.detachedBy === undefined) return {};
    return { recordedDetachedAt: this.detachedAt, recordedDetachedBy: this.detachedBy };
  }

  private detach(index: number, by: 'divergence' | 'misuse'): void {
    this.detachedAt ??= index;
    this.detachedBy ??= by;
  }
}
