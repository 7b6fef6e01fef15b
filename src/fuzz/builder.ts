// Turning a program into concrete calls, one at a time, against the live oracle model: each
// call's slots are resolved just before it runs (so the values are the ones the model
// produced), coherent calls are fixed up, and missing objects are produced first. The same
// builder drives generation inside replay (the replayer's oracle) and on its own (a plain
// Model), which is how the main thread regenerates a case from (seed, index) alone. It also
// runs the case's watch calls at each new shape of the DMA state (watch.ts).
import type { ArgDesc, ResourceKind } from '../model/callTypes.js';
import { describe, INERT_FNS } from '../model/calls.js';
import type { ModelState } from '../model/state.js';
import type { TraceCall, Value } from '../model/values.js';
import { cohere, type MutArgs } from './coherence.js';
import { producerFor } from './producers.js';
import type { AbsCall, Program, Slot } from './program.js';
import { remember, resolveSlot, type Need, type Resolver } from './resolve.js';
import { dmaShape } from './coverage.js';

interface Intent {
  readonly call: AbsCall;
  readonly depth: number;
  tries: number;
}

/** How many producers deep one call may go, and how often it may ask. */
const depthMax = 4;
const triesMax = 2;
/** Producer intents looked at for one emitted call, on top of the program's own calls. */
const stepsPerCallMax = 64;

/**
 * The call, what it needs made first, or 'skip' (never a Need). Bare, not wrapped in an object
 * per call: the builder makes one per slot of every program.
 */
type Built = TraceCall | Need | 'skip';

/**
 * A hostile slot (or a request packet around one) keeps its value in a coherent call: the
 * rest of the call is fixed up around it where the fix-up can be (else it goes out unfixed),
 * its other slots resolved strictly (made first if missing).
 */
const isHostile = (slot: Slot | undefined): boolean =>
  slot !== undefined && (slot.s === 'hostile' || (slot.s === 'vrp' && slot.buf.s === 'hostile'));

/** `ask`: hostile slots ask for what they lack (the builder's first tries), else fall back. */
function materialize(r: Resolver, c: AbsCall, ask = true): Built {
  const desc = describe(c.fn);
  if (desc === undefined) return 'skip';
  const args: MutArgs = {};
  let hostile = false;
  for (const a of desc.args) {
    const slot = c.args[a.name];
    if (slot === undefined) continue;
    const v = resolveSlot(r, slot, c.coherent, ask);
    if (isNeed(v)) return v.need;
    args[a.name] = v;
    if (isHostile(slot)) hostile = true;
  }
  if (!c.coherent) return { fn: c.fn, args };
  if (hostile) return { fn: c.fn, args: around(c, desc.args, args, r.state) };
  const resolved = { ...args };
  const verdict = cohere(c.fn, args, r.state);
  if (verdict !== undefined) return verdict;
  // A handle the fix-up chose instead is one the case used too (a stale slot may name it).
  for (const a of desc.args) {
    const v = args[a.name];
    if (a.role.kind === 'consumes' && typeof v === 'bigint' && v !== resolved[a.name])
      remember(r, a.role.res, v);
  }
  return { fn: c.fn, args };
}

/** A coherent call's arguments fixed up around its hostile ones (kept as resolved). */
function around(c: AbsCall, descArgs: readonly ArgDesc[], args: MutArgs, s: ModelState): MutArgs {
  const fixed = { ...args };
  if (cohere(c.fn, fixed, s) !== undefined) return args;
  for (const a of descArgs) if (isHostile(c.args[a.name])) fixed[a.name] = args[a.name] as Value;
  return fixed;
}

const hasHostile = (c: AbsCall): boolean => Object.values(c.args).some(isHostile);

function isNeed(v: Value | { need: Need }): v is { need: Need } {
  return typeof v === 'object' && !(v instanceof Uint8Array) && !Array.isArray(v) && 'need' in v;
}

const NONE: ReadonlySet<string> = new Set();

export class CaseBuilder {
  private readonly queue: Intent[] = [];
  private readonly used = new Map<ResourceKind, Set<bigint>>();
  /** The DMA shapes met in this case by each obsolete function (with a watch). */
  private readonly met = new Map<string, Set<number>>();
  /** The watch calls' own `used` (stale picks), so they never change what the program builds. */
  private readonly watchUsed = new Map<ResourceKind, Set<bigint>>();
  /** The resolvers of the model state last given (a case's oracle keeps one), made once. */
  private resolvers: { readonly program: Resolver; readonly watch: Resolver } | undefined;
  private at = 0;
  private emitted = 0;
  /** Of those, the watch's (not counted where producers vary by position). */
  private watchRan = 0;

  constructor(
    private readonly program: Program,
    private readonly callsMax: number,
    private readonly watch: Program = [],
    /** Functions never emitted (`--disable`): a call of one, or its producer, is skipped. */
    private readonly disabled: ReadonlySet<string> = NONE,
  ) {}

  /** Calls handed out so far. */
  get count(): number {
    return this.emitted;
  }

  /** The next concrete call for the model in `state`, or undefined when the case is done. */
  next(state: ModelState): TraceCall | undefined {
    if (this.emitted >= this.callsMax) return undefined;
    if (this.resolvers?.program.state !== state)
      this.resolvers = {
        program: { state, used: this.used },
        watch: { state, used: this.watchUsed },
      };
    const r = this.resolvers.program;
    const watched = this.watched(this.resolvers.watch);
    if (watched !== undefined) {
      this.watchRan++;
      return this.emit(watched, state);
    }
    const bound = stepsPerCallMax + this.program.length - this.at;
    for (let step = 0; step < bound; step++) {
      // A program call gets an Intent only if it has to wait for a producer.
      const intent = this.queue.shift();
      const call = intent?.call ?? this.program[this.at];
      if (call === undefined) return undefined;
      if (intent === undefined) this.at++;
      if (this.disabled.has(call.fn)) continue;
      const built = materialize(r, call);
      if (typeof built !== 'string') return this.emit(built, state);
      if (built === 'skip') continue;
      const depth = intent?.depth ?? 0;
      const producer = producerFor(built, this.emitted - this.watchRan + depth);
      if (producer === undefined || depth >= depthMax || (intent?.tries ?? 0) >= triesMax) {
        // What a hostile slot lacked could not be made: it falls back (wild, not NULL).
        const fallback = hasHostile(call) ? materialize(r, call, false) : 'skip';
        if (typeof fallback !== 'string') return this.emit(fallback, state);
        continue;
      }
      const waiting = intent ?? { call, depth: 0, tries: 0 };
      waiting.tries++;
      this.queue.unshift({ call: producer, depth: depth + 1, tries: 0 }, waiting);
    }
    return undefined;
  }

  private emit(call: TraceCall, state: ModelState): TraceCall {
    if (this.watch.length > 0 && INERT_FNS.has(call.fn)) this.meet(call.fn, dmaShape(state));
    this.emitted++;
    return call;
  }

  /** Records that `fn` met `shape`; whether that was new. */
  private meet(fn: string, shape: number): boolean {
    let shapes = this.met.get(fn);
    if (shapes === undefined) this.met.set(fn, (shapes = new Set()));
    if (shapes.has(shape)) return false;
    shapes.add(shape);
    return true;
  }

  /**
   * A watch call to run now: the DMA state has a shape (something live) at which no call of
   * its function ran yet, and the program is not done.
   */
  private watched(r: Resolver): TraceCall | undefined {
    if (this.watch.length === 0) return undefined;
    if (this.at >= this.program.length && this.queue.length === 0) return undefined;
    const shape = dmaShape(r.state);
    if (shape === 0) return undefined;
    for (const w of this.watch) {
      if (this.disabled.has(w.fn)) continue;
      // Not a `fn|shape` string per watch call per step: a set of shapes per function.
      if (!this.meet(w.fn, shape)) continue;
      const built = materialize(r, w, false);
      if (typeof built !== 'string') return built;
    }
    return undefined;
  }
}
