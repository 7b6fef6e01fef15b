// The run-level parts of results.sarif (sarif.ts): its invocation and its property bag.
import { recoveredText } from './historyRecovered.js';
import {
  disabledOf,
  incompleteText,
  rerunFacts,
  type NightlyRendered,
  type StillOpen,
} from './nightlySchema.js';

/**
 * The run's property bag: what identifies it, --disable's functions (`disabled`), what a
 * re-run needs (budget, runsEquivalent, callsMax, rounds, timeoutMs, baseId, workerHeapMb
 * when given; nightlySchema rerunFacts), what --history-recover did (`historyRecovered`, its line), the files of a merge's
 * originals from killed shards (`killedShardOriginals`) and the
 * buckets still open that nothing showed (`stillOpen`, as report.json lists them: they have no
 * result to carry them, having no finding and no failing trace tonight).
 */
export type SarifRunProperties = Readonly<
  Record<string, string | boolean | readonly string[] | readonly StillOpen[]>
>;

/** A notification of the run (SARIF 2.1.0 §3.58): here only why it is incomplete. */
export interface SarifNotification {
  readonly level: 'error';
  readonly message: { readonly text: string };
}

export interface SarifInvocation {
  readonly executionSuccessful: boolean;
  readonly startTimeUtc: string;
  /** A run marked interrupted says why (§3.20.21): stopped, or a merge's shards missing. */
  readonly toolExecutionNotifications?: readonly SarifNotification[];
}

export function invocationOf(r: NightlyRendered): SarifInvocation {
  const notifications: SarifNotification[] = r.interrupted
    ? [{ level: 'error', message: { text: incompleteText(r) } }]
    : [];
  return {
    executionSuccessful: !r.interrupted,
    startTimeUtc: r.startedAt,
    ...(notifications.length === 0 ? {} : { toolExecutionNotifications: notifications }),
  };
}

export function runProperties(r: NightlyRendered): SarifRunProperties {
  const disabled = disabledOf(r);
  return {
    seed: r.seed,
    target: r.target,
    profile: r.profile,
    modelRevision: r.modelRevision,
    ...(r.buildRevision === undefined ? {} : { buildRevision: r.buildRevision }),
    interrupted: r.interrupted,
    ...(r.shard === undefined ? {} : { shard: r.shard }),
    ...(r.shards === undefined ? {} : { shards: r.shards.join(' ') }),
    ...(r.shardsMissing === undefined ? {} : { shardsMissing: r.shardsMissing.join(' ') }),
    // A killed shard's originals, copied into findings/: files no result points at.
    ...(r.killedShardOriginals === undefined
      ? {}
      : {
          killedShardOriginals: r.killedShardOriginals.flatMap((o) => [
            ...o.files,
            ...(o.repro === undefined ? [] : [o.repro]),
          ]),
        }),
    ...(r.historyRecovered === undefined
      ? {}
      : { historyRecovered: recoveredText(r.historyRecovered) }),
    ...(disabled.length === 0 ? {} : { disabled }),
    ...Object.fromEntries(rerunFacts(r)),
    ...((r.stillOpen ?? []).length === 0 ? {} : { stillOpen: r.stillOpen ?? [] }),
  };
}
