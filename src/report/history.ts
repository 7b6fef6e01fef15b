// Finding history across nightly runs (`--history FILE`): one bucket per (target, signature)
// recording when it was first and last seen, how often, and since when it is fixed. Pure: the
// caller reads and writes the file (src/store/historyFile.ts).
//
// When is a bucket fixed? When a run replayed its regression repro (OUT/findings/<signature>/)
// and saw it pass, and could have found it by fuzzing and did not. A run that did not replay
// the repro (a fresh --out, a shard whose findings were not restored) says nothing about it.
// Two more things make a run unable to vouch for an absence, and `HistoryRun` states both:
//   - `target`: a run only speaks for the target it tested. Buckets of other targets are left
//     as they are (one history file may serve several targets; a signature seen against two
//     targets is two buckets). Put the profile in it when it matters ("model:reactos").
//   - `complete`: false for a run that was interrupted, crashed, timed out early, or explored
//     only one shard of a sharded campaign (the merge of all shards is complete). Such a run
//     still records what it saw (new, open, regressed) but marks nothing fixed.
// A bucket whose regression repro still fails in the run (the same way: its signature) is seen
// by it (lastSeen, timesSeen), never marked fixed, and a fixed one whose repro fails again is
// regressed, whatever the fuzzer found. So is a fixed one that another replayed trace shows
// (`shown`: a committed copy of its repro under another name, say); an open one is only kept
// from being marked fixed by that (corpus traces are not findings, and have no history).
// A bucket seen again after being fixed is 'regressed' (its fixedSince is cleared).
//
// Signature schemes. Version 1 files were written when a signature hashed the set of functions
// the repro called (for the kinds not about inertness), so one bug got a new signature
// whenever its repro kept another incidental call; version 2 signatures name what failed
// (src/fuzz/findings.ts signatureOf). A version 1 file reads as version 2, its buckets of the
// kinds not about inertness marked `signatureScheme: 1` (inertness signatures did not change):
// no finding will have their signatures again, so a finding with no bucket of its own whose
// kind and function have an open scheme-1 bucket of its target is that bug, seen again: open,
// not new, its bucket starting from that one's firstSeen and timesSeen. A scheme-1 bucket
// itself lives on until its repro (still in OUT/findings) passes and marks it fixed. Nothing is
// ever deleted, so the history only grows by what runs saw. Applying one run twice (a merge job
// re-run on the same shards has the same runId) counts it once.
import { assert } from '../core/assert.js';
import { INERTNESS_KINDS, type ViolationKind } from '../replay/violation.js';
import type { Finding, FindingStatus, FixedFinding } from './nightlySchema.js';

export const HISTORY_FORMAT = 'vpdma-history';
/** Version 2: signatures of scheme 2 (see above); version 1 files are read and upgraded. */
export const HISTORY_VERSION = 2;

export interface HistoryBucket {
  readonly signature: string;
  /** The target the run tested (see HistoryRun.target). */
  readonly target: string;
  readonly kind: string;
  readonly fn: string;
  /** Run ids (HistoryRun.runId). */
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly timesSeen: number;
  /** 1: its signature is of the first scheme (see above), which no finding has any more. */
  readonly signatureScheme?: 1;
  /** Set while the bucket is fixed: the first complete run that did not see it. */
  readonly fixedSince?: string;
  /** The run that saw it again after it was fixed, while that is its last sighting. */
  readonly regressedIn?: string;
}

export interface History {
  readonly format: typeof HISTORY_FORMAT;
  readonly version: typeof HISTORY_VERSION;
  /** Sorted by signature, then target. */
  readonly buckets: readonly HistoryBucket[];
  /** The version of the file it was read from, when older (not written). */
  readonly upgradedFrom?: 1;
}

/** Whether a version 1 bucket's signature is of the first scheme (it changed in the second). */
export function oldScheme(kind: string): boolean {
  return !INERTNESS_KINDS.has(kind as ViolationKind);
}

/** Where a bucket stands: fixed (fixedSince), regressed (seen again last after a fix), or open. */
export function bucketStatus(b: HistoryBucket): 'open' | 'fixed' | 'regressed' {
  return b.fixedSince !== undefined ? 'fixed' : b.regressedIn !== undefined ? 'regressed' : 'open';
}

/** Scheme-1 buckets (their kinds, targets): what a history upgraded now says about itself. */
export function oldSchemeBuckets(h: History): number {
  return h.buckets.filter((b) => b.signatureScheme === 1).length;
}

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
   * Signatures another replayed trace failed with (a --replay trace's first violation, say a
   * committed copy of a repro; or what a repro of another finding fails with now): not fixed
   * by this run, and a fixed one is seen again, regressed. An open one is left as it is.
   */
  readonly shown?: ReadonlySet<string>;
}

export interface FindingHistory {
  readonly status: FindingStatus;
  readonly firstSeen: string;
  readonly timesSeen: number;
}

export interface HistoryUpdate {
  readonly history: History;
  /** By signature, for every finding of this run. */
  readonly statuses: ReadonlyMap<string, FindingHistory>;
  /** Buckets of this target that this run marked fixed, sorted by signature. */
  readonly fixed: readonly FixedFinding[];
  /**
   * By signature, the buckets this run saw through a replayed trace only (stillFailing, or
   * shown when fixed), not among its findings: open, or regressed with when it had been fixed.
   */
  readonly replayed: ReadonlyMap<string, FindingHistory & { readonly fixedSince?: string }>;
}

export type FindingKey = Pick<Finding, 'signature' | 'kind' | 'fn'>;

export function emptyHistory(): History {
  return { format: HISTORY_FORMAT, version: HISTORY_VERSION, buckets: [] };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function compareBuckets(a: HistoryBucket, b: HistoryBucket): number {
  return cmp(a.signature, b.signature) || cmp(a.target, b.target);
}

function seen(old: HistoryBucket | undefined, f: FindingKey, run: HistoryRun): HistoryBucket {
  return {
    signature: f.signature,
    target: run.target,
    kind: f.kind,
    fn: f.fn,
    firstSeen: old?.firstSeen ?? run.runId,
    lastSeen: run.runId,
    timesSeen: (old?.timesSeen ?? 0) + (old?.lastSeen === run.runId ? 0 : 1),
    ...(old?.signatureScheme === undefined ? {} : { signatureScheme: old.signatureScheme }),
    ...(statusOf(old, run) === 'regressed' ? { regressedIn: run.runId } : {}),
  };
}

/** A scheme-1 bucket as the start of the bucket of the finding that continues it. */
function newScheme(b: HistoryBucket): HistoryBucket {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- what a new-scheme bucket drops
  const { signatureScheme, ...rest } = unfixed(b);
  return rest;
}

/** This run's verdict on a bucket it saw; the same if the run is applied again. */
function statusOf(old: HistoryBucket | undefined, run: HistoryRun): FindingStatus {
  if (old === undefined || old.firstSeen === run.runId) return 'new';
  return old.fixedSince !== undefined || old.regressedIn === run.runId ? 'regressed' : 'open';
}

/** The bucket without fixedSince and regressedIn, its fields in the file's order. */
export function unfixed(b: HistoryBucket): HistoryBucket {
  return {
    signature: b.signature,
    target: b.target,
    kind: b.kind,
    fn: b.fn,
    firstSeen: b.firstSeen,
    lastSeen: b.lastSeen,
    timesSeen: b.timesSeen,
    ...(b.signatureScheme === undefined ? {} : { signatureScheme: b.signatureScheme }),
  };
}

/**
 * For each kind and function, the open scheme-1 bucket first seen earliest: what a finding
 * with no bucket of its own continues (see above).
 */
function oldOpen(mine: ReadonlyMap<string, HistoryBucket>): Map<string, HistoryBucket> {
  const open = new Map<string, HistoryBucket>();
  for (const b of mine.values()) {
    if (b.signatureScheme !== 1 || b.fixedSince !== undefined) continue;
    const key = `${b.kind}\u0000${b.fn}`;
    const have = open.get(key);
    if (have === undefined || b.firstSeen < have.firstSeen) open.set(key, b);
  }
  return open;
}

function markFixed(b: HistoryBucket, run: HistoryRun): HistoryBucket {
  return { ...b, fixedSince: run.runId };
}

export function updateHistory(
  history: History,
  findings: readonly FindingKey[],
  run: HistoryRun,
): HistoryUpdate {
  assert(run.runId !== '' && run.target !== '', 'updateHistory: empty runId or target');
  const mine = new Map<string, HistoryBucket>();
  const others: HistoryBucket[] = [];
  for (const b of history.buckets) {
    if (b.target === run.target) mine.set(b.signature, b);
    else others.push(b);
  }
  const statuses = new Map<string, FindingHistory>();
  const next = new Map<string, HistoryBucket>();
  const continued = oldOpen(mine);
  for (const f of findings) {
    if (next.has(f.signature)) continue; // one run counts a signature once
    const was = continued.get(`${f.kind}\u0000${f.fn}`);
    const old = mine.get(f.signature) ?? (was === undefined ? undefined : newScheme(was));
    const b = seen(old, f, run);
    next.set(f.signature, b);
    statuses.set(f.signature, {
      status: statusOf(old, run),
      firstSeen: b.firstSeen,
      timesSeen: b.timesSeen,
    });
  }
  const fixed: FixedFinding[] = [];
  const replayed = new Map<string, FindingHistory & { fixedSince?: string }>();
  for (const [signature, b] of mine) {
    if (next.has(signature)) continue;
    const shown = run.shown?.has(signature) === true;
    // Its repro failing again is seeing it again, if not through the fuzzer; so is another
    // trace failing with it once it was fixed (applied again: once it regressed in this run).
    const reopens = shown && (b.fixedSince !== undefined || b.regressedIn === run.runId);
    if (run.stillFailing?.has(signature) === true || reopens) {
      const again = seen(b, b, run);
      next.set(signature, again);
      replayed.set(signature, {
        status: statusOf(b, run),
        firstSeen: again.firstSeen,
        timesSeen: again.timesSeen,
        ...(b.fixedSince === undefined ? {} : { fixedSince: b.fixedSince }),
      });
      continue;
    }
    // Fixed by this very run, applied before: listed again, as the first time.
    const fixesNow = b.fixedSince === run.runId;
    const canFix =
      run.complete && b.fixedSince === undefined && run.passing?.has(signature) === true && !shown;
    if (!fixesNow && !canFix) {
      next.set(signature, b);
      continue;
    }
    const f = markFixed(b, run);
    next.set(signature, f);
    fixed.push({
      signature,
      kind: f.kind,
      fn: f.fn,
      firstSeen: f.firstSeen,
      lastSeen: f.lastSeen,
      fixedSince: run.runId,
    });
  }
  const buckets = [...others, ...next.values()].sort(compareBuckets);
  fixed.sort((a, b) => cmp(a.signature, b.signature));
  return { history: { ...emptyHistory(), buckets }, statuses, fixed, replayed };
}

/** The findings with status, firstSeen and timesSeen from an update. */
export function withHistory(
  findings: readonly Finding[],
  statuses: ReadonlyMap<string, FindingHistory>,
): Finding[] {
  return findings.map((f) => {
    const s = statuses.get(f.signature);
    return s === undefined
      ? f
      : { ...f, status: s.status, firstSeen: s.firstSeen, timesSeen: s.timesSeen };
  });
}
