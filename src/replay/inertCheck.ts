// The headline check (DESIGN.md "What the checks must catch" 1–3): around every call of the
// obsolete inert family, nothing may change. The checks are relative to the target itself
// (its state and bytes before and after), so they hold even once the oracle has lost track.
import { MAP_DMA_FN } from '../model/calls.js';
import type { Model } from '../model/model.js';
import type { Args, Value } from '../model/values.js';
import { isStruct, valueEquals } from '../model/values.js';
import type { AddressBook } from './addressBook.js';
import { valueText, withTrace, type ValueSpace } from './addressText.js';
import type { CallPlan } from './callPlan.js';
import { canonical } from './canonical.js';
import { diffText, notes } from './diffText.js';
import { stateChangeText, stateDiff, stateKind } from './stateDiff.js';
import { isUnchanging } from './unchanging.js';
import {
  adoptBytes,
  adoptFromTarget,
  andThen,
  chunks,
  comparable,
  compareWithModel,
  diffSnapshots,
  reportedDiffWithModel,
  snapshotTarget,
  targetAddress,
  UNMAPPED,
  type ByteDiff,
  type Maybe,
  type Span,
  type TargetBytes,
} from './memory.js';
import {
  cpuArgRegions,
  edgeSpans,
  inSpans,
  regionAt,
  vrpBuffers,
  type Region,
} from './namedSpans.js';
import { pagesOf, sameInPlace } from './samePages.js';
import { show } from './show.js';
import { claimedSpans, withinLive } from './touchedSpans.js';
import { memberSpace } from './translate.js';
import { stateOf, touchedOf } from './targetAnswers.js';
import type { Target, TargetState } from './target.js';
import { violation, type Violation, type ViolationKind } from './violation.js';

export interface InertContext {
  readonly model: Model;
  readonly target: Target;
  readonly book: AddressBook;
  readonly plan: CallPlan;
  readonly index: number;
  readonly modelArgs: Args;
  /** The arguments as the target got them, in its own address space. */
  readonly targetArgs: Args;
  /** The arguments as the trace has them. */
  readonly traceArgs: Args;
  /** The oracle's live spans, merged and sorted (cached by the replayer). */
  readonly live: { mergedNow(): readonly Span[] };
  /** Told of a touched() range in nothing the target returned (claimedSpans). */
  readonly stray?: (r: Span) => void;
  /** Use the target's touched() and a rotating sample instead of full before/after reads. */
  readonly cheap: boolean;
  readonly sample: Span[];
  /** All live memory, or (above ReplayOptions.fullBytesMax) a window of it: not cheap only. */
  readonly full: Span[];
}

export interface InertBefore {
  readonly state?: TargetState;
  /**
   * `state` as text, taken before the call when the object may change (unchanging.ts): a
   * target may change that very object in place during the call and hand it back.
   */
  readonly stateText?: string;
  readonly spans: Span[];
  readonly bytes: TargetBytes[];
  /**
   * Of `spans`, those read because the call's arguments name them (namedSpans.ts, and the
   * request packet's buffers), when cheap.
   */
  readonly named: readonly Span[];
  /** The memory the call's arguments name, whole, for naming where a difference lies. */
  readonly regions: readonly Region[];
}

const vrpBytesMax = 1 << 20;
/**
 * With touched() (cheap), each request-packet buffer is read only at its head and its tail,
 * this many bytes each, where a status or an overrun would land; touched() covers the rest.
 * The fuzzer's hostile lengths (up to 1 MiB, read three times per call) cost it ~20% of its time.
 */
export const vrpEdgeBytes = 256;

/** The request packet's buffers: they must not change either (their edges only, if cheap). */
function vrpSpans(buffers: readonly Region[], cheap: boolean): Span[] {
  const spans: Span[] = [];
  for (const { address, length } of buffers) {
    if (!cheap || length <= 2 * vrpEdgeBytes)
      spans.push({ address, length: Math.min(length, vrpBytesMax) });
    else {
      spans.push({ address, length: vrpEdgeBytes });
      spans.push({ address: address + BigInt(length - vrpEdgeBytes), length: vrpEdgeBytes });
    }
  }
  return spans;
}

/** The oracle's live range at an address, without listing live memory. */
function rangeAt(model: Model): (address: bigint) => Span | undefined {
  return (address) => {
    const r = model.state.ranges.find(address, 1);
    return r === undefined ? undefined : { address: r.va, length: r.length };
  };
}

export function inertBefore(c: InertContext): Maybe<InertBefore> {
  return andThen(stateOf(c.target), (state) =>
    andThen(c.cheap ? touchedOf(c.target) : undefined, () => {
      const at = rangeAt(c.model);
      // Each found once, for reading and for naming (concat, not spreads: this runs for
      // every obsolete call).
      const vrp = vrpBuffers(c.modelArgs);
      const cpu = cpuArgRegions(c.plan.desc.args, c.modelArgs, at);
      const regions = vrp.concat(cpu);
      // Not cheap, the full spans hold the named ones already.
      const named = c.cheap ? vrpSpans(vrp, true).concat(edgeSpans(cpu)) : [];
      const spans = c.cheap ? c.sample.concat(named) : c.full.concat(vrpSpans(vrp, false));
      return andThen(snapshotTarget(c.target, c.book, spans), (bytes): InertBefore => {
        if (state === undefined) return { spans, bytes, named, regions };
        if (isUnchanging(state)) return { state, spans, bytes, named, regions };
        return { state, stateText: canonical(state), spans, bytes, named, regions };
      });
    }),
  );
}

function kinds(fn: string): { ret: ViolationKind; out: ViolationKind } {
  return fn === MAP_DMA_FN
    ? { ret: 'map-dma-returned-non-null', out: 'map-dma-wrote-out-param' }
    : { ret: 'inert-return-mismatch', out: 'inert-wrote-out-param' };
}

/**
 * Return value and out-parameters: exactly the documented constant, and untouched. Whether
 * an out-parameter changed is judged in the target's own space (`got`, what it answered,
 * against what it was sent): translated back, an address two oracle objects share in the
 * target (ReactOS gives GetDeviceBase and MapMemory of one range the same view) could come
 * back as the other one, a change the target never made. The values are shown as the target
 * had them, with the trace's where they differ (addressText.ts).
 */
export function inertValues(
  c: InertContext,
  expectedRet: Value | undefined,
  observed: { ret?: Value; out?: Args },
  got: { ret?: Value; out?: Args },
): Violation[] {
  const fn = c.plan.desc.fn;
  const k = kinds(fn);
  const found: Violation[] = [];
  const r = c.plan.ret;
  if (r !== undefined && !valueEquals(expectedRet, observed.ret)) {
    const detail = {
      field: 'ret',
      expected: valueText(c.book, r.space, 'model', expectedRet),
      actual: valueText(c.book, r.space, 'target', got.ret),
    };
    found.push(
      violation(
        k.ret,
        fn,
        c.index,
        `${fn} returned ${detail.actual}; it must return ${detail.expected}`,
        detail,
      ),
    );
  }
  for (const o of c.plan.outs) {
    const sent = c.targetArgs[o.name];
    const wrote = got.out?.[o.name] ?? sent;
    if (valueEquals(sent, wrote)) continue;
    const entry = c.modelArgs[o.name];
    const after = observed.out?.[o.name] ?? entry;
    if (valueEquals(entry, after)) continue; // a write of what it was sent, in other words
    const at = changedAt(o.name, o.space, sent, wrote, c.traceArgs[o.name]);
    // What it was sent, as the trace has it: the target's value may stand for two of the
    // trace's (see above), and translated back would name the other one.
    const detail = {
      field: `out.${at.name}`,
      expected: withTrace(show(at.sent), show(at.traced)),
      actual: valueText(c.book, at.space, 'target', at.wrote),
    };
    found.push(
      violation(
        k.out,
        fn,
        c.index,
        `${fn} wrote ${at.name}: ${detail.expected} became ${detail.actual}`,
        detail,
      ),
    );
  }
  return found;
}

/** An out-parameter written, or the member of it: its name, and its values. */
interface Written {
  readonly name: string;
  readonly space: ValueSpace;
  readonly sent: Value | undefined;
  readonly wrote: Value | undefined;
  readonly traced: Value | undefined;
}

/**
 * A structure's first member written (`pVrp.outputBufferLength`), else the whole value: the
 * message shows the change, not two whole request packets with it somewhere inside.
 */
function changedAt(
  name: string,
  space: ValueSpace,
  sent: Value | undefined,
  wrote: Value | undefined,
  traced: Value | undefined,
): Written {
  const whole = { name, space, sent, wrote, traced };
  if (!isStruct(sent) || !isStruct(wrote)) return whole;
  const keys = [...new Set([...Object.keys(sent), ...Object.keys(wrote)])];
  const k = keys.find((m) => !valueEquals(sent[m], wrote[m]));
  if (k === undefined) return whole;
  const member = isStruct(traced) ? traced[k] : undefined;
  return {
    name: `${name}.${k}`,
    space: memberSpace(k),
    sent: sent[k],
    wrote: wrote[k],
    traced: member,
  };
}

/** Changes to the target's objects, which the oracle cannot be made to share. */
const CHANGED_STATE: ReadonlySet<ViolationKind> = new Set<ViolationKind>([
  'object-state-changed',
  'transfer-state-changed',
  'view-torn-down',
]);

/**
 * What the call did to the target that the oracle's obsolete call did not: nothing, bytes only
 * (which the oracle can adopt), or its objects (the oracle has lost track). A wrong answer
 * alone changes neither.
 */
export function changedTarget(found: readonly Violation[]): 'none' | 'memory' | 'state' {
  if (found.some((v) => CHANGED_STATE.has(v.kind))) return 'state';
  return found.some((v) => v.kind === 'memory-corrupted') ? 'memory' : 'none';
}

/** What inertAfter found, and the target's memory it read after the call (model space). */
export interface InertAfter {
  readonly found: Violation[];
  /** The before/after spans, with their bytes after the call, chunk by chunk (see chunks()). */
  readonly spans: readonly Span[];
  readonly bytes: readonly TargetBytes[];
  /** The touched() ranges compared with the oracle (cheap only). */
  readonly touched: readonly Span[];
}

/**
 * Writes what the target's memory holds into the oracle wherever the two differ in what the
 * check read, so a corruption the call made is reported once, at that call, and not again by
 * the next comparison of those bytes.
 */
export function adoptTargetBytes(c: InertContext, after: InertAfter): Maybe<boolean> {
  const wrote = adoptBytes(c.model, after.spans, after.bytes);
  if (after.touched.length === 0) return wrote;
  return andThen(adoptFromTarget(c.model, c.target, c.book, after.touched), (w) => w || wrote);
}

function corrupted(c: InertContext, before: InertBefore, d: ByteDiff, how: string): Violation {
  const fn = c.plan.desc.fn;
  const t = diffText(c.book, d);
  const region = regionAt(before.regions, d.address);
  const found = region === undefined ? how : `${how}, at ${region}`;
  const shown = t.shown === undefined ? '' : `${t.shown}: `;
  return violation(
    'memory-corrupted',
    fn,
    c.index,
    `${fn} changed memory at ${t.where} (${notes(t, found)}): ${shown}${t.expected} became ${t.actual}`,
    { field: t.field, expected: t.expected, actual: t.actual },
  );
}

/** State and memory after the call, compared with before (synchronous if the target is). */
export function inertAfter(c: InertContext, before: InertBefore): Maybe<InertAfter> {
  const found: Violation[] = [];
  const afterState = before.state !== undefined ? stateOf(c.target) : undefined;
  return andThen(afterState, (state) => {
    if (state !== undefined && before.state !== undefined) {
      const v = stateChanged(c, before.state, before.stateText, state);
      if (v !== undefined) found.push(v);
    }
    const afterRead = unchangedInPlace(c, before)
      ? before.bytes
      : snapshotTarget(c.target, c.book, before.spans);
    return andThen(afterRead, (afterBytes) => {
      // The same bytes in place (unchangedInPlace): nothing to diff.
      const d =
        afterBytes === before.bytes
          ? undefined
          : diffSnapshots(before.spans, before.bytes, afterBytes);
      if (d !== undefined) {
        const how = inSpans(before.named, d.address)
          ? 'in the memory its arguments name'
          : c.cheap
            ? 'sampled bytes'
            : 'full comparison';
        found.push(corrupted(c, before, d, how));
      }
      const read = { found, spans: before.spans, bytes: afterBytes, touched: [] };
      if (!c.cheap) return read;
      return andThen(touchedOf(c.target), (ranges) => {
        if (ranges === undefined || ranges.length === 0) return read;
        const claimed = claimedSpans(c.book, ranges, c.stray);
        const touched = withinLive(claimed, c.live.mergedNow());
        return andThen(compareWithModel(c.model, c.target, c.book, touched), (diff) => {
          // The byte the sample already caught is one report, not two.
          if (diff !== undefined && diff.address !== d?.address)
            found.push(corrupted(c, before, diff, 'reported by touched()'));
          return { ...read, touched };
        });
      });
    });
  });
}

/**
 * Whether the target's pages (the model target's), compared where they lie, still hold every
 * byte read before the call: then the bytes after are those before, and need no copy. Else
 * (a byte differs, anything unmapped or unreadable) they are read and compared as before.
 */
function unchangedInPlace(c: InertContext, before: InertBefore): boolean {
  const theirs = pagesOf(c.target);
  if (theirs === undefined) return false;
  const list = chunks(before.spans);
  for (let i = 0; i < list.length; i++) {
    const chunk = list[i];
    const bytes = before.bytes[i];
    if (chunk === undefined || !(bytes instanceof Uint8Array)) return false;
    if (!sameInPlace(theirs, targetAddress(c.book, chunk.address), bytes)) return false;
  }
  return true;
}

function stateChanged(
  c: InertContext,
  before: TargetState,
  beforeText: string | undefined,
  after: TargetState,
): Violation | undefined {
  const fn = c.plan.desc.fn;
  // A deeply frozen state object handed back again cannot have changed (the model target
  // does this); anything else is compared in full.
  if (after === before && beforeText === undefined) return undefined;
  beforeText ??= canonical(before);
  const afterText = canonical(after);
  if (afterText === beforeText) return undefined;
  const d = stateDiff(beforeText, afterText);
  const { tail, ...values } = stateChangeText(d);
  return violation(
    stateKind(fn, d.key),
    fn,
    c.index,
    `${fn} changed the target's live ${d.key}${tail}`,
    { field: `state.${d.key}`, ...values },
  );
}

/** Whether the sampled bytes already differed from the oracle before the call. */
export function sampleAgreed(c: InertContext, before: InertBefore): ByteDiff | undefined {
  let i = 0;
  for (const chunk of chunks(before.spans)) {
    const bytes = before.bytes[i++];
    if (!comparable(c.model, chunk.address)) continue;
    const diff = reportedDiffWithModel(c.model, chunk.address, chunk.length, bytes);
    // The oracle holds no bytes there to compare with (a request buffer running from a view
    // past its end, say, whose tail lies wherever the implementation put things).
    if (diff !== undefined && diff.expected !== UNMAPPED) return diff;
  }
  return undefined;
}
