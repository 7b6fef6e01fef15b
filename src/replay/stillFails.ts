// The minimizer's predicate, wired to replay: candidates travel as .vpt bytes through an
// Executor (the Piscina pool, or inline in tests), and one "still fails the same way" when its
// replay shows a violation of the same kind in the same function (a crash: with the same
// title). Generic, so the CLI and the fuzzer share it; the minimizer itself only sees the
// function type.
import type { Trace } from '../trace/trace.js';
import { crashTitle } from './crashTitle.js';
import { encodeVpt } from '../trace/vpt.js';
import type { Executor } from './executor.js';
import type { ItemResult, ReplaySettings, TraceItem } from './protocol.js';
import type { ReplayResult } from './replay.js';
import { makeTasks } from './tasks.js';
import {
  isWanted,
  violationPart,
  type Violation,
  type ViolationKind,
  type WantedViolation,
} from './violation.js';

const brand = Symbol.for('vpdma.TargetSetupError');

/** The target could not be created at all: no candidate can be judged. */
export class TargetSetupError extends Error {
  readonly [brand] = true;
  override readonly name = 'TargetSetupError';
  static is(e: unknown): e is TargetSetupError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[brand] === true;
  }
}

/** What "the same way" means: the violation's kind and the function it happened in. */
export interface FailureSignature {
  readonly kind: ViolationKind;
  readonly fn: string;
  /** Also required when set: the field and both values (see signatureOf). */
  readonly field?: string;
  readonly expected?: string;
  readonly actual?: string;
  /** Also required when set: the part of the answer the violation is about (violationPart). */
  readonly part?: string;
  /** Also required when set: a target-crashed's title (crashTitle.ts). */
  readonly title?: string;
  /**
   * Memory that differs, found at any call: the original was found late (the rotating sample
   * or the final sweep), so its function is where it showed, not where it happened.
   */
  readonly anyMemory?: true;
  /**
   * Memory found differing at the call that made it (not late): a candidate whose difference
   * only a later check found (the final sweep, blamed on whichever call came last) is another
   * place, not the same failure.
   */
  readonly atCall?: true;
}

/** The kinds that say bytes of memory differ from the oracle's. */
const MEMORY_KINDS: ReadonlySet<ViolationKind> = new Set(['memory-mismatch', 'memory-corrupted']);

/**
 * "The same way" for a violation: its kind and function. A crash also keeps its title: one
 * function may crash several ways (a use after free, a NULL dereference), and a candidate
 * crashing another way, often a shorter one, is another bug; the repro would show it instead
 * of the campaign's. A hang keeps none: its message is the harness's (no answer within N ms),
 * the same for every hang. A recorded-mismatch also keeps its
 * field and both values: a call whose context was removed disagrees with what the capture
 * recorded anyway (an adapter gone, so StartDma fails), and only the same oracle value
 * against the same recorded one is still the original discrepancy. Memory found changed late
 * is any memory difference at any call: a repro that shows it sooner, at the call that made
 * it, is the same bug better located (otherwise each case would keep the calls that moved the
 * sample or ended the case, and one bug would be a finding per last call).
 */
export function signatureOf(v: Violation): FailureSignature {
  const sig = { kind: v.kind, fn: v.fn };
  if (v.kind === 'target-crashed') return { ...sig, title: crashTitle(v.message) };
  if (MEMORY_KINDS.has(v.kind))
    return v.foundLate === true ? { ...sig, anyMemory: true } : { ...sig, atCall: true };
  if (v.kind !== 'recorded-mismatch') return sig;
  return {
    ...sig,
    ...(v.field === undefined ? {} : { field: v.field }),
    ...(v.expected === undefined ? {} : { expected: v.expected }),
    ...(v.actual === undefined ? {} : { actual: v.actual }),
  };
}

/** Whether `v` fails the way `sig` describes. */
export function failsSameWay(v: Violation, sig: FailureSignature): boolean {
  if (sig.anyMemory === true) return MEMORY_KINDS.has(v.kind);
  if (sig.atCall === true && v.foundLate === true) return false;
  return (
    v.kind === sig.kind &&
    v.fn === sig.fn &&
    (sig.field === undefined || v.field === sig.field) &&
    (sig.part === undefined || violationPart(v.field) === sig.part) &&
    (sig.expected === undefined || v.expected === sig.expected) &&
    (sig.actual === undefined || v.actual === sig.actual) &&
    (sig.title === undefined || crashTitle(v.message) === sig.title)
  );
}

/** The replay's first violation that fails the same way, if any. */
export function findFailure(
  r: ReplayResult | undefined,
  sig: FailureSignature,
): Violation | undefined {
  return r?.violations.find((v) => failsSameWay(v, sig));
}

export function sameFailure(r: ReplayResult | undefined, sig: FailureSignature): boolean {
  return findFailure(r, sig) !== undefined;
}

/** The first violation of a replay, or the first matching the given kind and/or fn. */
export function pickViolation(r: ReplayResult, want: WantedViolation = {}): Violation | undefined {
  return r.violations.find((v) => isWanted(v, want));
}

export interface StillFailsOptions {
  readonly executor: Executor;
  readonly settings: ReplaySettings;
  readonly failure: FailureSignature;
  readonly signal?: AbortSignal;
  /** Called with every candidate's replay, for progress. */
  readonly onItem?: (r: ItemResult) => void;
}

/** Replays traces through an executor; one result per trace, in order (undefined if aborted). */
export async function replayTraces(
  executor: Executor,
  settings: ReplaySettings,
  traces: readonly Trace[],
  control: { readonly signal?: AbortSignal; readonly onItem?: (r: ItemResult) => void } = {},
  label = 'trace #',
): Promise<(ItemResult | undefined)[]> {
  const items: TraceItem[] = traces.map((t, id) => ({
    id,
    label: `${label}${id}`,
    bytes: encodeVpt(t),
  }));
  const results = await executor.run(makeTasks(items, settings, executor.workers), control);
  const setup = results.find((r) => r.setupError !== undefined);
  if (setup?.setupError !== undefined)
    throw new TargetSetupError(`the target cannot be set up: ${setup.setupError}`);
  const byId = new Map(results.map((r) => [r.id, r]));
  return items.map((i) => byId.get(i.id));
}

/**
 * The batched predicate. Rejects with TargetSetupError when the target cannot be set up at
 * all (no candidate could ever be judged); a candidate that could not be read or replayed
 * counts as not failing.
 */
export function stillFailsPredicate(
  o: StillFailsOptions,
): (candidates: readonly Trace[]) => Promise<boolean[]> {
  let batch = 0;
  const control = {
    ...(o.signal === undefined ? {} : { signal: o.signal }),
    ...(o.onItem === undefined ? {} : { onItem: o.onItem }),
  };
  return async (candidates) => {
    batch++;
    const results = await replayTraces(
      o.executor,
      o.settings,
      candidates,
      control,
      `candidate ${batch}.`,
    );
    return results.map((r) => sameFailure(r?.result, o.failure));
  };
}
