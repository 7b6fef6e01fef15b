// The minimizer's driver: holds the current trace (linked), runs a pass's candidate generator
// through the ordered search, re-links after every accepted candidate (unless it is a prefix
// of the same calls), resumes the pass at the accepted candidate's cursor, and keeps per-pass
// counts.
import type { Trace } from '../trace/trace.js';
import { materialize, type Candidate, type Resolution } from './materialize.js';
import type { MinimizeOptions, PassName, PassStats } from './minimize.js';
import { removals, type Proposal, type RemovalVariant } from './passes.js';
import { link, type Linked } from './references.js';
import type { Search } from './search.js';

/** Rounds of (c)+(d); each round that goes on has accepted something, so attempts bound it. */
export const roundsMax = 10_000;

export class Driver {
  linked: Linked;
  readonly passes: PassStats[] = [];
  private readonly resolution: Resolution;

  constructor(
    trace: Trace,
    readonly search: Search,
    private readonly options: MinimizeOptions,
  ) {
    this.linked = link(trace, options.profile);
    this.resolution = options.resolution ?? 'oracle';
    if (options.inputCut !== true) search.know(trace);
  }

  get length(): number {
    return this.linked.calls.length;
  }

  /** Runs one pass's generator (fresh on every commit) until nothing more is accepted. */
  async pass<C>(
    name: PassName,
    start: C,
    gen: (l: Linked, at: C) => Iterator<Proposal<C>>,
  ): Promise<boolean> {
    const before = { attempts: this.search.attempts, accepted: this.search.accepted };
    let at = start;
    let changed = false;
    for (let i = 0; i < this.options.attemptsMax + 1; i++) {
      const found = await this.search.first(this.build(gen(this.linked, at)));
      if (found === undefined) break;
      this.linked = relink(this.linked, found.trace);
      at = found.cursor;
      changed = true;
      this.options.onProgress?.({
        pass: name,
        calls: this.length,
        attempts: this.search.attempts,
        accepted: this.search.accepted,
      });
    }
    this.passes.push({
      pass: name,
      attempts: this.search.attempts - before.attempts,
      accepted: this.search.accepted - before.accepted,
      callsAfter: this.length,
    });
    return changed;
  }

  private *build<C>(
    props: Iterator<Proposal<C>>,
  ): Generator<{ trace: Trace | undefined; cursor: C }> {
    for (let r = props.next(); r.done !== true; r = props.next())
      yield {
        trace: materialize(this.linked, r.value.cand, this.resolution),
        cursor: r.value.cursor,
      };
  }

  /** A pass of one candidate: (a) and (b). */
  async once(name: PassName, cand: (l: Linked) => Candidate): Promise<boolean> {
    return this.pass(name, false, (l, done: boolean) =>
      (done ? [] : [{ cand: cand(l), cursor: true }]).values(),
    );
  }

  /** (c) at every chunk size from half the trace down to 1, then at 1 until nothing goes. */
  async ddmin(variants: readonly RemovalVariant[]): Promise<boolean> {
    let changed = false;
    let size = Math.max(1, Math.ceil(this.length / 2));
    for (let round = 0; round < roundsMax && this.search.stopped === undefined; round++) {
      const before = this.search.accepted;
      await this.pass('remove', this.length, (l, hi: number) => removals(l, size, hi, variants));
      const accepted = this.search.accepted > before;
      changed ||= accepted;
      if (size > 1) size = Math.ceil(size / 2);
      else if (!accepted) break;
    }
    return changed;
  }
}

/**
 * `next` linked. A prefix of `linked`'s own calls (the same objects, as materialize leaves a
 * call it did not change) is the prefix of its links: link() resolves a call from the calls
 * before it alone, so linking it again (23 s for a 499,000-call cut) would give the same.
 */
export function relink(linked: Linked, next: Trace): Linked {
  const n = next.calls.length;
  const prefix =
    n <= linked.calls.length &&
    next.header === linked.trace.header &&
    next.calls.every((c, i) => c === linked.calls[i]?.call);
  if (!prefix) return link(next, linked.profile);
  return { trace: next, profile: linked.profile, calls: linked.calls.slice(0, n) };
}
