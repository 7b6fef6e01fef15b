// Finding history across nightly runs (`--history FILE`): one bucket per (target, signature)
// recording when it was first and last seen, how often, and since when it is fixed. Pure: the
// caller reads and writes the file (src/cli/historyFile.ts).
//
// What sees a bucket? A finding of the run's fuzzer with its signature; its regression repro
// (OUT/findings/<signature>/) failing the same way (`stillFailing`); and any other replayed
// trace failing first with it (`shown`: a corpus or --replay trace, or an earlier finding's
// repro failing another way than its finding did), which opens a bucket if there is none: a
// failing corpus trace is judged as a finding is (new, open or regressed). Such a bucket keeps
// the traces that failed with it (`traces`, named as HistoryRun.shown names them), and the call
// at which each last did (`shownAt`).
//
// When is a bucket fixed? When a run that could have seen it saw everything that failed with it
// pass: its regression repro, if the run replayed one (and a bucket no trace showed must have
// one: the repro is all there is to check), and each of its `traces`, or saw a trace fail in a
// way that can no longer show it (historyShows.ts: past the call where it showed it, say). A
// run that did not replay them (a fresh --out, a --replay left out, a trace --budget-replay
// skipped or --disable left out) says nothing about it: the bucket stays open (known, failing
// nothing) and is fixed by the first run that replays them all and sees them pass. A repro
// failing another way is not seeing it; it fixes it only once it can no longer show it (past
// the finding's call), and a memory-corrupted bucket only by replays comparing all memory
// (historyFixed.ts). Two more things make a run unable to vouch for an absence, and
// `HistoryRun` states both:
//   - `target`: a run only speaks for the target it tested. Buckets of other targets are left
//     as they are (one history file may serve several targets; a signature seen against two
//     targets is two buckets). Put the profile in it when it matters ("model:reactos").
//   - `complete`: false for a run that was interrupted, crashed, timed out early, or explored
//     only one shard of a sharded campaign (the merge of all shards is complete). Such a run
//     still records what it saw (new, open, regressed) but marks nothing fixed.
// A bucket seen again after being fixed is 'regressed' (its fixedSince is cleared), whatever saw
// it: the fuzzer, its repro, or another trace.
//
// Known signatures (`nightly --known`, HistoryRun.known): nothing sees them. A finding, a repro
// failing again, a trace failing first with one opens no bucket, and an open bucket of one
// stays as it was (lastSeen, timesSeen); it is fixed as any other is, once a complete run sees
// everything that failed with it pass: the bug gone, not merely known.
//
// Signature schemes. Version 1 files were written when a signature hashed the calls the repro
// kept (their sequence, later their set), so one bug got a new signature whenever its repro
// kept another incidental call; version 2 signatures name what failed (src/fuzz/findings.ts
// signatureOf). The inertness kinds stopped hashing calls (kind/Fn/b8a02000) a little before
// version 2, so a version 1 file can hold either form of theirs. A version 1 file reads as
// version 2, each bucket whose signature is not one a finding has now (oldScheme: every one but
// an inertness bucket of that last form) marked `signatureScheme: 1`:
// no finding will have their signatures again, so a finding with no bucket of its own whose
// kind and function have an open scheme-1 bucket of its target is that bug, seen again: open,
// not new, its bucket starting from that one's firstSeen and timesSeen. A scheme-1 bucket
// itself lives on until its repro (still in OUT/findings) passes and marks it fixed. Nothing is
// ever deleted, so the history only grows by what runs saw. Applying one run twice (a merge job
// re-run on the same shards has the same runId) counts it once.
import { assert } from '../core/assert.js';
import { signatureOf, type SIGNATURE_SCHEME } from '../fuzz/findings.js';
import { INERTNESS_KINDS, type ViolationKind } from '../replay/violation.js';
import { passesNow } from './historyFixed.js';
import type { HistoryRun, Sighting } from './historyRun.js';
import type { Finding, FindingStatus, FixedFinding } from './nightlySchema.js';

export const HISTORY_FORMAT = 'vpdma-history';
/**
 * Version 2: signatures of scheme 2 (see above); version 1 files are read and upgraded. A
 * file's version is the scheme of its signatures, so it must be fuzz/findings.ts's
 * SIGNATURE_SCHEME (`satisfies` fails to compile otherwise): a new scheme needs a new version
 * and a way to read the older files (historyFormat.ts), or every open bucket would look fixed,
 * and its finding new.
 */
export const HISTORY_VERSION = 2 satisfies typeof SIGNATURE_SCHEME;

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
  /**
   * The replayed traces that failed first with it (HistoryRun.shown), sorted: each must pass
   * before it is fixed (see above). Absent when only the fuzzer and its repro saw it.
   */
  readonly traces?: readonly string[];
  /**
   * By trace of `traces`, the call (0-based) at which it last failed first with the signature:
   * a trace that gets past it no longer shows the bucket (historyShows.ts). Absent from
   * histories written before it was added, and for traces of theirs not seen since.
   */
  readonly shownAt?: Readonly<Record<string, number>>;
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

/**
 * Whether a version 1 bucket's signature is of the first scheme: not the one a finding of its
 * kind and function has now. Only an inertness signature can be (it hashes nothing now); one
 * from before that hashed the calls, as the other kinds' did.
 */
export function oldScheme(b: Pick<HistoryBucket, 'signature' | 'kind' | 'fn'>): boolean {
  const kind = b.kind as ViolationKind;
  return !INERTNESS_KINDS.has(kind) || b.signature !== signatureOf(kind, b.fn);
}

/** Where a bucket stands: fixed (fixedSince), regressed (seen again last after a fix), or open. */
export function bucketStatus(b: HistoryBucket): 'open' | 'fixed' | 'regressed' {
  return b.fixedSince !== undefined ? 'fixed' : b.regressedIn !== undefined ? 'regressed' : 'open';
}

/** Scheme-1 buckets (their kinds, targets): what a history upgraded now says about itself. */
export function oldSchemeBuckets(h: History): number {
  return h.buckets.filter((b) => b.signatureScheme === 1).length;
}

export type { HistoryRun, Sighting } from './historyRun.js';

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
   * By signature, the buckets this run saw through a replayed trace only (stillFailing or
   * shown), not among its findings: new, open, or regressed with when it had been fixed.
   */
  readonly replayed: ReadonlyMap<string, FindingHistory & { readonly fixedSince?: string }>;
  /** Known signatures (HistoryRun.known) this run showed: their buckets, if any, held as they were. */
  readonly held: ReadonlySet<string>;
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
    ...(old?.traces === undefined ? {} : { traces: old.traces }),
    ...(old?.shownAt === undefined ? {} : { shownAt: old.shownAt }),
    ...(statusOf(old, run) === 'regressed' ? { regressedIn: run.runId } : {}),
  };
}

/** The bucket with the traces of `s` among its traces (sorted, each once), and where they showed it. */
function withTraces(b: HistoryBucket, s: Sighting | undefined): HistoryBucket {
  if (s === undefined || s.traces.length === 0) return b;
  const traces = [...new Set([...(b.traces ?? []), ...s.traces])].sort(cmp);
  if (s.at === undefined || s.at.size === 0) return { ...b, traces };
  const at = new Map([...Object.entries(b.shownAt ?? {}), ...s.at]);
  return { ...b, traces, shownAt: sortedRecord(at) };
}

/** A map as a record, its keys sorted (as the file keeps them). */
export function sortedRecord(m: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...m].sort(([a], [b]) => cmp(a, b)));
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

/** The bucket without fixedSince and regressedIn, its other fields in the file's order. */
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
    ...(b.traces === undefined ? {} : { traces: b.traces }),
    ...(b.shownAt === undefined ? {} : { shownAt: b.shownAt }),
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
  // Known signatures this run showed anyway: their buckets are held as they are, never fixed.
  const held = new Set<string>(run.knownShown);
  const isKnown = (signature: string): boolean => {
    const known = run.known?.has(signature) === true;
    if (known) held.add(signature);
    return known;
  };
  for (const f of findings) {
    if (isKnown(f.signature) || next.has(f.signature)) continue; // one run counts a signature once
    const was = continued.get(`${f.kind}\u0000${f.fn}`);
    const old = mine.get(f.signature) ?? (was === undefined ? undefined : newScheme(was));
    const b = withTraces(seen(old, f, run), run.shown?.get(f.signature));
    next.set(f.signature, b);
    statuses.set(f.signature, {
      status: statusOf(old, run),
      firstSeen: b.firstSeen,
      timesSeen: b.timesSeen,
    });
  }
  const fixed: FixedFinding[] = [];
  const replayed = new Map<string, FindingHistory & { fixedSince?: string }>();
  const sawByReplay = (signature: string, old: HistoryBucket | undefined, b: HistoryBucket) => {
    next.set(signature, b);
    replayed.set(signature, {
      status: statusOf(old, run),
      firstSeen: b.firstSeen,
      timesSeen: b.timesSeen,
      ...(old?.fixedSince === undefined ? {} : { fixedSince: old.fixedSince }),
    });
  };
  // Another trace failing with it is seeing it, as a finding would: a bucket of its own if
  // there is none (continuing an open scheme-1 one of its kind and function, as a finding does).
  for (const [signature, s] of run.shown ?? []) {
    if (isKnown(signature) || next.has(signature)) continue;
    const was = continued.get(`${s.kind}\u0000${s.fn}`);
    const old = mine.get(signature) ?? (was === undefined ? undefined : newScheme(was));
    const key = { signature, kind: s.kind, fn: s.fn };
    sawByReplay(signature, old, withTraces(seen(old, key, run), s));
  }
  for (const [signature, b] of mine) {
    if (next.has(signature)) continue;
    // Its repro failing again is seeing it again, if not through the fuzzer (nor known).
    const failing = run.stillFailing?.has(signature) === true;
    if (held.has(signature) || (failing && isKnown(signature))) {
      next.set(signature, b);
      continue;
    }
    if (failing) {
      sawByReplay(signature, b, seen(b, b, run));
      continue;
    }
    // Fixed by this very run, applied before: listed again, as the first time.
    if (b.fixedSince !== run.runId && !passesNow(b, run)) {
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
  return { history: { ...emptyHistory(), buckets }, statuses, fixed, replayed, held };
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
