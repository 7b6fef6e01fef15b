// Violations are values: what went wrong, where, and what the oracle expected instead.

export type ViolationKind =
  /** VideoPortMapDmaMemory returned something other than NULL. */
  | 'map-dma-returned-non-null'
  /** VideoPortMapDmaMemory wrote through Length, InIoSpace, VirtualAddress or pVrp. */
  | 'map-dma-wrote-out-param'
  /** Another obsolete inert call returned something other than its documented constant. */
  | 'inert-return-mismatch'
  /** Another obsolete inert call wrote an out-parameter. */
  | 'inert-wrote-out-param'
  /** A byte of a live mapping or buffer changed during an inert call. */
  | 'memory-corrupted'
  /** An in-flight transfer, scatter/gather list or map-register count changed during an inert call. */
  | 'transfer-state-changed'
  /** Another live object (adapter, buffer, MDL, view, event) changed during an inert call. */
  | 'object-state-changed'
  /** VideoPortUnmapDmaMemory tore down a real mapping. */
  | 'view-torn-down'
  /** A return value differs from the oracle's. */
  | 'return-mismatch'
  /** An out-parameter differs from the oracle's. */
  | 'out-param-mismatch'
  /** Memory differs from what the oracle says the driver and the device put there. */
  | 'memory-mismatch'
  /** A value recorded in a captured trace differs from the oracle's. */
  | 'recorded-mismatch'
  /** The target threw, exited, or answered garbage. */
  | 'target-crashed'
  /** The target did not answer within --timeout. */
  | 'target-timeout';

export const VIOLATION_KINDS: readonly ViolationKind[] = [
  // The first eight are about inertness (INERTNESS_KINDS).
  'map-dma-returned-non-null',
  'map-dma-wrote-out-param',
  'inert-return-mismatch',
  'inert-wrote-out-param',
  'memory-corrupted',
  'transfer-state-changed',
  'object-state-changed',
  'view-torn-down',
  'return-mismatch',
  'out-param-mismatch',
  'memory-mismatch',
  'recorded-mismatch',
  'target-crashed',
  'target-timeout',
];

export interface Violation {
  readonly kind: ViolationKind;
  readonly fn: string;
  /** 0-based position of the call in the trace (header not counted). */
  readonly callIndex: number;
  readonly message: string;
  /**
   * The parameter or field concerned ("ret", "out.pLength", "state.transfers", or the target's
   * address of the first byte of memory that differs).
   */
  readonly field?: string;
  /**
   * The values as the message quotes them: addresses and handles as the target has them, the
   * trace's in parentheses where it differs (addressText.ts; a recorded-mismatch: the trace's);
   * for memory, the bytes shown, in hex words (diffText.ts).
   */
  readonly expected?: string;
  readonly actual?: string;
  /**
   * Memory found changed by the rotating sample or the final sweep: it changed at or before
   * this call, so `fn` is where it showed, not necessarily where it happened.
   */
  readonly foundLate?: true;
  /**
   * An oracle comparison's source (ruleSource.ts): the call's spec section, "spec §1 B", with
   * " [R]" under the ReactOS profile where the spec has ReactOS lines for the call. Not in the
   * message, so not in anything matched by it.
   */
  readonly rule?: string;
  /** The docs/spec-gaps.md link of a check stricter than the documentation (ruleSource.ts). */
  readonly stricter?: string;
}

export function violation(
  kind: ViolationKind,
  fn: string,
  callIndex: number,
  message: string,
  detail: {
    field?: string;
    expected?: string;
    actual?: string;
    foundLate?: true;
    rule?: string;
    stricter?: string;
  } = {},
): Violation {
  return { kind, fn, callIndex, message, ...detail };
}

/**
 * The kinds that say an obsolete call was not inert (the first eight above): what the call
 * did wrong is the bug, whatever state the trace set up before it.
 */
export const INERTNESS_KINDS: ReadonlySet<ViolationKind> = new Set(VIOLATION_KINDS.slice(0, 8));

/**
 * What part of a call's answer a violation is about, without what a trace happened to set up:
 * "ret"; "out.<parameter>" with its member ("out.pVrp.outputBufferLength") but not an element's
 * index ("out.elements[].length"); "state.<key>"; "memory" for a byte's address (memory kinds);
 * "" when the violation names no field (a crash, a timeout). Part of a finding's signature.
 */
export function violationPart(field: string | undefined): string {
  if (field === undefined || field === '') return '';
  if (field === 'ret') return 'ret';
  if (field.startsWith('out.') || field.startsWith('state.'))
    return field.replace(/\[\d+\]/g, '[]');
  return 'memory';
}

/** How a violation of a target that never started begins (its trace ran no call). */
export const NOT_STARTED = 'the target could not start';

/**
 * The line for a target that could not be set up: the reason without the "could not start" a
 * violation's message begins with, which would say the same thing twice.
 */
export function setUpFailed(why: string): string {
  return `the target could not be set up: ${withoutNotStarted(why)}`;
}

/** A failed start's reason without the "could not start" it may begin with. */
export function withoutNotStarted(why: string): string {
  const said = `${NOT_STARTED}: `;
  return why.startsWith(said) ? why.slice(said.length) : why;
}

/**
 * Traces or cases in a row, from the first, that must all fail to start the target before
 * `replay`, `fuzz` and `nightly` stop starting it: a command that never answers costs this
 * many hello allowances, not one per trace or case.
 */
export const STARTS_FAILED_MAX = 8;

export function notStarted(v: Violation): boolean {
  return (
    (v.kind === 'target-crashed' || v.kind === 'target-timeout') &&
    v.message.startsWith(`${NOT_STARTED}: `)
  );
}

/** The violations a user asked for (minimize's --kind and --fn): any, if neither is given. */
export interface WantedViolation {
  readonly kind?: string;
  readonly fn?: string;
}

/** Whether `v` is one `want` asks for (the first replay's stop and pickViolation agree). */
export function isWanted(v: Violation, want: WantedViolation): boolean {
  return (
    (want.kind === undefined || v.kind === want.kind) && (want.fn === undefined || v.fn === want.fn)
  );
}
