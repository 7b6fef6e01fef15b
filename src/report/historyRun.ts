// What one run (a night, or a merge of its shards) tells the history: the input of
// updateHistory (history.ts), in a file of its own to keep that one about the rule.
import type { FailedTrace } from './historyShows.js';

export interface HistoryRun {
  /**
   * This run's id, written to firstSeen/lastSeen/fixedSince: the run's ISO start time or a CI
   * pipeline id. Give every run its own: applying one run twice counts it twice.
   */
  readonly runId: string;
  readonly target: string;
  /** True only if the run could have found every bucket of its target (see above). */
  readonly complete: boolean;
  /**
   * Signatures whose regression repro (OUT/findings/<signature>/) still failed in this run's
   * replay: not fixed, whatever the fuzzer found; a fixed one is open again.
   */
  readonly stillFailing?: ReadonlySet<string>;
  /** Signatures whose regression repro this run replayed and saw pass: the only ones it can fix. */
  readonly passing?: ReadonlySet<string>;
  /**
   * By signature, what the other replayed traces failed with first (a corpus or --replay
   * trace, or a repro of another finding that fails another way now): seen, as a finding is,
   * its bucket opened if there is none, each trace added to its `traces`.
   */
  readonly shown?: ReadonlyMap<string, Sighting>;
  /**
   * Traces (as `shown` names them) this run replayed and saw pass, in every shard that replayed
   * them: what can fix a bucket that has them among its `traces`.
   */
  readonly tracesPassing?: ReadonlySet<string>;
  /**
   * Traces (as `shown` names them) this run replayed and saw fail, with what they showed: one
   * that can no longer show a bucket does not hold it open (historyShows.ts).
   */
  readonly failedTraces?: ReadonlyMap<string, FailedTrace>;
  /**
   * Signatures whose regression repro failed another way than its finding: not seen; fixed
   * only when it can no longer show the bucket (changedRepros, historyShows.ts).
   */
  readonly reprosChanged?: ReadonlySet<string>;
  /** Signatures set aside as known (`--known`): seen by nothing (see above). */
  readonly known?: ReadonlySet<string>;
  /** Of `known`, those a replayed trace failed with (anywhere in it): their buckets held. */
  readonly knownShown?: ReadonlySet<string>;
  /**
   * Of reprosChanged, by signature: the call its finding failed at in the repro (finding.json),
   * and what the repro showed tonight, when known.
   */
  readonly changedRepros?: ReadonlyMap<
    string,
    { readonly at?: number; readonly failed?: FailedTrace }
  >;
  /** Signatures whose repro was replayed with all memory compared (historyFixed.ts). */
  readonly reprosFullyChecked?: ReadonlySet<string>;
  /** Traces (as `shown` names them) replayed with all memory compared (historyFixed.ts). */
  readonly tracesFullyChecked?: ReadonlySet<string>;
}

/** One signature as the replayed traces other than its own repro showed it (HistoryRun.shown). */
export interface Sighting {
  readonly kind: string;
  readonly fn: string;
  /** The traces that failed first with it. */
  readonly traces: readonly string[];
  /** By trace, the call at which it failed first with it (HistoryBucket.shownAt). */
  readonly at?: ReadonlyMap<string, number>;
}
