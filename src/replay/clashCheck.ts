// The Replayer's side of clash.ts: the watch set up for each call's learning, and the values a
// capture recorded for two live objects. Learning binds such a value to the newer object, so a
// later call of the capture that passes it may be a misuse only as the capture has it (the
// second of two puts of "one" adapter): the oracle still finds the misuse, but it is the
// capture's recorded-mismatch that explains it, not the driver (misuseNote).
import { RESOURCE_SPACE, type AddressSpace } from '../model/callTypes.js';
import { liveAt } from '../model/live.js';
import type { ModelState } from '../model/state.js';
import type { Stepped } from '../model/step.js';
import type { Args, CallOutcome, TraceCall } from '../model/values.js';
import type { AddressBook } from './addressBook.js';
import type { CallPlan } from './callPlan.js';
import { clashViolation, type Clash, type ClashWatch } from './clash.js';
import { learnProduced } from './learn.js';
import type { Violation } from './violation.js';

/** A value the capture recorded for two live objects: where, and in which space. */
interface Clashed {
  readonly call: number;
  readonly space: AddressSpace;
}

export class ClashCheck {
  private readonly watch: ClashWatch;
  /** The capture's values that named two live objects (trace side), by value. */
  private readonly clashed = new Map<bigint, Clashed>();

  constructor(state: ModelState) {
    this.watch = {
      index: 0,
      trace: false,
      target: false,
      found: [],
      live: (res, v) => liveAt(state, res, v),
    };
  }

  /**
   * The call's produced values learned (learn.ts), watched on the sides still compared; the
   * clashes found, as violations, and which sides clashed.
   */
  learn(
    book: AddressBook,
    plan: CallPlan,
    call: TraceCall,
    stepped: Stepped,
    got: CallOutcome,
    modelArgs: Args,
    // Positional, not an object: this runs for every call.
    index: number,
    trace: boolean,
    target: boolean,
  ): { violations: Violation[]; trace: boolean; target: boolean } | undefined {
    const w = this.watch;
    w.index = index;
    w.trace = trace;
    w.target = target;
    learnProduced(book, plan, call, stepped, got, modelArgs, w);
    if (w.found.length === 0) return undefined;
    const found: Clash[] = w.found.splice(0);
    for (const c of found)
      if (c.side === 'trace')
        this.clashed.set(c.value, { call: index, space: RESOURCE_SPACE[c.res] });
    return {
      violations: found.map((c) => clashViolation(c, plan.desc.fn, index)),
      trace: found.some((c) => c.side === 'trace'),
      target: found.some((c) => c.side === 'target'),
    };
  }

  /**
   * For a call the oracle found misuse in: why it is a misuse only as the capture has it, when
   * it passes a value the capture recorded for two live objects (undefined otherwise). Such a
   * value stays the capture's: learned again later, it may still be the one it misread.
   */
  misuseNote(plan: CallPlan, traceArgs: Args): string | undefined {
    if (this.clashed.size === 0) return undefined;
    for (const a of plan.translated) {
      const v = traceArgs[a.name];
      if (typeof v !== 'bigint') continue;
      const c = this.clashed.get(v);
      if (c === undefined || c.space !== a.space) continue;
      return `the capture's: the trace's ${a.name} 0x${v.toString(16)} is the value it recorded for two live objects at call ${c.call} (the recorded-mismatch there), so which of them the driver passed is not known`;
    }
    return undefined;
  }
}
