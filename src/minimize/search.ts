// Speculative, ordered evaluation: candidates go to the batched predicate several at a time
// (so a pool can replay them in parallel), but the outcome is the FIRST accepted candidate in
// the pass's order, as if they had been tried one by one. The budget counts these logical
// attempts, not evaluations, so the search, its result and its counts are the same for every
// batch size; results evaluated past the accepted one are only remembered, never committed
// early. Candidates whose trace was already tried are skipped by digest.
import { assert } from '../core/assert.js';
import type { StillFails } from '../trace/stillFails.js';
import type { Trace } from '../trace/trace.js';
import { traceKey } from './materialize.js';

export interface Found<C> {
  readonly trace: Trace;
  readonly cursor: C;
}

interface Pending<C> {
  readonly trace: Trace;
  readonly cursor: C;
  readonly key: string;
}

export class Search {
  attempts = 0;
  accepted = 0;
  /** Predicate evaluations (depends on the batch size; everything else does not). */
  evaluated = 0;
  stopped: 'attempts' | 'aborted' | undefined;
  private readonly tried = new Set<string>();
  private readonly answers = new Map<string, boolean>();

  constructor(
    private readonly stillFails: StillFails,
    private readonly attemptsMax: number,
    private readonly batchSize: number,
    private readonly signal?: AbortSignal,
  ) {
    assert(batchSize >= 1, 'batchSize must be at least 1');
  }

  /** Marks a trace as known (the starting point: it fails, no need to try it). */
  know(trace: Trace): void {
    this.tried.add(traceKey(trace));
  }

  /**
   * The first candidate, in the order `items` yields them, that still fails; undefined when
   * none does or the search stopped (budget or abort: see `stopped`).
   */
  async first<C>(
    items: Iterator<{ trace: Trace | undefined; cursor: C }>,
  ): Promise<Found<C> | undefined> {
    // Each round makes at least one attempt or returns, so attemptsMax bounds it.
    for (let round = 0; round <= this.attemptsMax; round++) {
      if (this.stopped !== undefined) return undefined;
      if (this.signal?.aborted === true) {
        this.stopped = 'aborted';
        return undefined;
      }
      const room = this.attemptsMax - this.attempts;
      const batch = this.collect(items, Math.max(1, Math.min(this.batchSize, room)));
      if (batch.length === 0) return undefined;
      if (room <= 0) {
        this.stopped = 'attempts';
        return undefined;
      }
      await this.evaluate(batch);
      for (const b of batch) {
        this.tried.add(b.key);
        this.attempts++;
        if (this.answers.get(b.key) === true) {
          this.accepted++;
          return { trace: b.trace, cursor: b.cursor };
        }
      }
    }
    return undefined;
  }

  private collect<C>(
    items: Iterator<{ trace: Trace | undefined; cursor: C }>,
    size: number,
  ): Pending<C>[] {
    const batch: Pending<C>[] = [];
    const keys = new Set<string>();
    for (let r = items.next(); r.done !== true; r = items.next()) {
      const { trace, cursor } = r.value;
      if (trace === undefined) continue;
      const key = traceKey(trace);
      if (this.tried.has(key) || keys.has(key)) continue;
      keys.add(key);
      batch.push({ trace, cursor, key });
      if (batch.length >= size) break;
    }
    return batch;
  }

  private async evaluate<C>(batch: readonly Pending<C>[]): Promise<void> {
    const todo = batch.filter((b) => !this.answers.has(b.key));
    if (todo.length === 0) return;
    const answers = await this.stillFails(todo.map((b) => b.trace));
    assert(answers.length === todo.length, 'stillFails must answer every candidate');
    todo.forEach((b, i) => this.answers.set(b.key, answers[i] === true));
    this.evaluated += todo.length;
  }
}
