// `vpdma fuzz --case N --rounds R`: case N as the campaign generated it. It mutates the cases
// kept in the rounds before its own, and only running those rounds' cases says which they are,
// so they run here as the campaign runs them (in order, deciding only what is kept: nothing is
// minimized, written or held for a finding), and then case N is generated from the entries its
// round had. A case of round 0 runs nothing (docs/fuzzing.md, "One case, regenerated").
import type { Trace } from '../trace/trace.js';
import { buildBase, type BaseCap, type NamedTrace } from './base.js';
import { runCampaign, type CampaignResult } from './campaign.js';
import { generateCase } from './caseGen.js';
import type { FuzzExecutor } from './executor.js';
import type { FuzzSettings } from './protocol.js';
import { Rounds } from './rounds.js';
import { caseContext, keptTrace } from './run.js';

export interface RoundCaseOptions {
  readonly settings: FuzzSettings;
  readonly base: readonly NamedTrace[];
  readonly cap?: BaseCap;
  /** Cases per round. */
  readonly rounds: number;
  readonly workers: number;
  readonly signal?: AbortSignal;
}

export type RoundCase =
  | {
      readonly ok: true;
      readonly trace: Trace;
      /** Cases run first: every case of the rounds before N's (0 for round 0). */
      readonly ran: number;
      /** Of them, kept: entries case N mutates besides the starting ones. */
      readonly kept: number;
      /** The starting corpus's entries. */
      readonly baseEntries: number;
      /** The starting corpus's id, as a run's report.json records it (corpus.baseId). */
      readonly baseId: string;
    }
  | {
      readonly ok: false;
      /** Why the earlier rounds did not all run (so case N would never have been made). */
      readonly stoppedBy: CampaignResult['stoppedBy'];
      readonly ran: number;
      readonly setupError?: string;
    };

export async function roundCase(
  o: RoundCaseOptions,
  fuzzExecutor: (workers: number, target: string) => FuzzExecutor,
  index: number,
): Promise<RoundCase> {
  const s = o.settings;
  const base = buildBase(o.base, s.callsMax, s.profile, s.disabled, o.cap, true);
  const rounds = new Rounds(o.rounds, base, s);
  const ctx = caseContext(s, base.entries, rounds);
  const round = rounds.roundOf(index);
  const runs = round * o.rounds;
  let kept = 0;
  if (runs > 0) {
    const ex = fuzzExecutor(o.workers, s.target);
    let c: CampaignResult;
    try {
      c = await runCampaign(ex, {
        settings: s,
        base: base.shared,
        baseKeys: base.keys,
        baseEdges: base.edges,
        shard: { index: 0, count: 1 },
        runs,
        // What fails decides nothing about what is kept: hold none of it.
        failingPerGroup: 0,
        rounds,
        onKept: (r) => {
          kept++;
          rounds.add(keptTrace(ctx, r));
        },
        ...(o.signal === undefined ? {} : { signal: o.signal }),
      });
    } finally {
      await ex.close();
    }
    if (c.stoppedBy !== 'runs' || c.cases < runs)
      return {
        ok: false,
        stoppedBy: c.stoppedBy,
        ran: c.cases,
        ...(c.setupError === undefined ? {} : { setupError: c.setupError }),
      };
    // The campaign begins a round only when it has cases to run; N's round has the last ones.
    rounds.begin(round);
  }
  return {
    ok: true,
    trace: generateCase(ctx, index),
    ran: runs,
    kept,
    baseEntries: base.entries.length,
    baseId: base.shared.id,
  };
}
