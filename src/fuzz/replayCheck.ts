// Checking traces against the target the campaign fuzzed, through the replay pool: the
// minimizer's batched "still fails the same way" predicate (stillFails.ts's signatureOf: the
// same violation kind in the same function, a crash with the same title (crashTitle.ts), or
// memory found late anywhere; and, as the
// finding's signature has it, about the same part of the answer: findings.ts), and the re-runs that count how often a repro reproduces. Each replay opens a
// fresh target, exactly as `vpdma replay` on the repro file would.
import type { Executor } from '../replay/executor.js';
import type { ItemResult, ReplaySettings } from '../replay/protocol.js';
import { makeTasks } from '../replay/tasks.js';
import { failsSameWay, signatureOf, type FailureSignature } from '../replay/stillFails.js';
import { INERTNESS_KINDS, violationPart, type Violation } from '../replay/violation.js';
import type { Trace } from '../trace/trace.js';
import { encodeVpt } from '../trace/vpt.js';
import type { Reproduced } from './findings.js';

/**
 * How a finding's cases must keep failing: stillFails.ts's way and, for the kinds whose
 * signature names it (findings.ts signatureOf), the same part of the answer, so a StartDma
 * whose wrong ret was the case is not minimized into one whose *pLength is wrong instead.
 */
export function sameWayAs(v: Violation): FailureSignature {
  const sig = signatureOf(v);
  if (INERTNESS_KINDS.has(v.kind) || sig.anyMemory === true || sig.atCall === true) return sig;
  return { ...sig, part: violationPart(v.field) };
}

export class ReplayCheck {
  /** Replays run so far (for reports and tests). */
  replays = 0;

  constructor(
    private readonly executor: Executor,
    private readonly settings: ReplaySettings,
  ) {}

  private async run(traces: readonly Trace[]): Promise<ItemResult[]> {
    const items = traces.map((t, id) => ({ id, label: `candidate ${id}`, bytes: encodeVpt(t) }));
    this.replays += items.length;
    return this.executor.run(makeTasks(items, this.settings, this.executor.workers));
  }

  /** For each trace: does it still fail the way v did (sameWayAs)? */
  async failsSame(traces: readonly Trace[], v: Violation): Promise<boolean[]> {
    const sig = sameWayAs(v);
    const results = await this.run(traces);
    const byId = new Map(results.map((r) => [r.id, r]));
    return traces.map((_, id) =>
      (byId.get(id)?.result?.violations ?? []).some((x) => failsSameWay(x, sig)),
    );
  }

  close(): Promise<void> {
    return this.executor.close();
  }

  async reproduce(trace: Trace, v: Violation, times: number): Promise<Reproduced> {
    return tally(await this.run(Array.from({ length: times }, () => trace)), v);
  }

  /** Each trace replayed once, all in one run of the pool. */
  async reproduceEach(items: readonly { trace: Trace; v: Violation }[]): Promise<Reproduced[]> {
    const results = await this.run(items.map((x) => x.trace));
    const byId = new Map(results.map((r) => [r.id, r]));
    return items.map((x, id) => {
      const r = byId.get(id);
      return tally(r === undefined ? [] : [r], x.v);
    });
  }
}

/** How many of `results` failed the way v did, the first such violation, and all at its call. */
function tally(results: readonly ItemResult[], v: Violation): Reproduced {
  const sig = sameWayAs(v);
  let count = 0;
  let seen: Violation | undefined;
  let atCall: Violation[] = [];
  for (const r of results) {
    const all = r.result?.violations ?? [];
    const hit = all.find((x) => failsSameWay(x, sig));
    if (hit === undefined) continue;
    count++;
    if (seen !== undefined) continue;
    seen = hit;
    atCall = all.filter((x) => x.callIndex === hit.callIndex && x.fn === hit.fn);
  }
  const lead = atCall[0];
  return seen === undefined ? { count } : { count, seen, ...(lead && { lead }), atCall };
}
