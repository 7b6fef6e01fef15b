// The target module interface (DESIGN.md "Target module interface"): what the replayer drives.
import type { DeviceConfig } from '../model/device.js';
import type { PageVisitor } from '../model/ranges.js';
import type { CallOutcome, Scalar, Value } from '../model/values.js';

/** Live objects a target reports, for the inertness checks. Any plain data; compared deeply. */
export type TargetState = Readonly<Record<string, unknown>>;

export type TouchedRanges = Array<{ address: bigint; length: number }>;

/** Edge ids a target's coverage() answers. */
export type EdgeIds = Uint32Array | readonly number[];

/** A structure among a call's arguments as a target gets it: its fields writable in place. */
export interface TargetStruct {
  [field: string]: Scalar;
}

/**
 * A call's arguments as a target gets them: its own copy, where an out-parameter may be
 * written in place (`args.length = 0`, or a field of a structure), as a port in JavaScript
 * naturally does (docs/targets.md, "Arguments and state of a module target"). A trace's own
 * calls (TraceCall's Args) stay read-only.
 */
export interface TargetCallArgs {
  [name: string]: Scalar | TargetStruct | readonly TargetStruct[];
}

export interface TraceCallIn {
  readonly fn: string;
  readonly args: TargetCallArgs;
}

export interface Target {
  call(call: TraceCallIn): CallOutcome | Promise<CallOutcome>;
  read(address: bigint, length: number): Uint8Array | Promise<Uint8Array>;
  /**
   * The live objects, for the inertness checks (any plain data: the first top-level key that
   * an obsolete call changes names the kind, `adapters`, `transfers`, `views` or another).
   * `replay --explain` shows it beside the oracle's: shaped as the reference model's (lists
   * under `adapters`, `commonBuffers`, `mdls`, `transfers`, `views`, `events`, `blocks`), with
   * its handles and addresses in fields named `handle`, `adapter`, `mdl`, `sgList`, `va` and
   * `logical`, which are taken into the oracle's before comparing (docs/target-protocol.md,
   * "The shape of `state`").
   */
  state?(): TargetState | Promise<TargetState>;
  /**
   * CPU ranges written since last asked. May answer with a promise (a process target must),
   * an extension of DESIGN.md's synchronous signature: synchronous targets are unaffected.
   */
  touched?(): TouchedRanges | Promise<TouchedRanges>;
  /**
   * The target's own coverage, an optional extension of DESIGN.md's interface: the edge ids
   * (unsigned 32-bit, any order, duplicates allowed) it hit since it was last asked, or since
   * it was created. `vpdma fuzz` asks once per case, after its calls, and keeps a case that
   * reaches an edge no earlier case did (docs/fuzzing.md, "Target coverage"). The ids must be
   * a function of the calls alone: no addresses that move between runs, no timing.
   */
  coverage?(): EdgeIds | Promise<EdgeIds>;
  close?(): void | Promise<void>;
}

/**
 * The model target's `read` carries, under this key, a variant that answers undefined for an
 * unmapped range instead of throwing (an exception costs 2 to 5 us; the fuzzer's hostile
 * addresses make many). It hangs off the function itself, so a wrapper that replaces `read`
 * loses it and is read through its own `read`, as it should be.
 */
export const readOrUndefined: unique symbol = Symbol('vpdma.readOrUndefined');

export type QuietRead = (address: bigint, length: number) => Uint8Array | undefined;

/**
 * The model target's `read` also carries, under this key, its pages in place (Model.visit):
 * the memory checks compare them with the oracle's without copying the target's bytes. Like
 * readOrUndefined, a wrapper that replaces `read` loses it.
 */
export const pagesInPlace: unique symbol = Symbol('vpdma.pagesInPlace');

export type PagesInPlace = (
  address: bigint,
  length: number,
  visit: PageVisitor,
) => boolean | undefined;

export interface TargetOptions {
  readonly device: DeviceConfig;
  readonly profile: string;
}

export type TargetFactory = (options: TargetOptions) => Promise<Target>;

export type { CallOutcome, Value };
