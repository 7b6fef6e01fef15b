// The campaign's state as it processes results in case order (campaign.ts): coverage and
// what is new in it, kept cases, failing cases and their groups, a target that cannot start.
import type { CampaignOptions, CampaignProgress, StrayTouched } from './campaign.js';
import type { CaseResult } from './protocol.js';
import { notStarted, STARTS_FAILED_MAX } from '../replay/violation.js';
import { branchOfLabel } from './reached.js';

/** How many traces or cases a target's close() failed after, and why, the first time. */
export interface CloseErrors {
  readonly first: string;
  readonly count: number;
}

/** A failing case's group: the kind and function of its first violation ('' without one). */
export function failureKey(r: CaseResult): string {
  const v = r.violations[0];
  return v === undefined ? '' : `${v.kind}\u0000${v.fn}`;
}

/** Failed starts in a row, from the first case, that make a target one that cannot be set up. */
const startsFailedMax = STARTS_FAILED_MAX;

/** Without its labels, which depend on what its thread ran before (CaseResult.labels). */
function unlabelled(r: CaseResult): CaseResult {
  if (r.labelKeys === undefined) return r;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- what a kept failing case drops
  const { labelKeys, labels, ...rest } = r;
  return rest;
}

export class State {
  readonly seen: Set<number>;
  readonly firstSeen = new Map<number, number>();
  /** The target's own edges, a namespace of their own beside the model's keys. */
  readonly edgesFirstSeen = new Map<number, number>();
  /** The base's recorded edges and edgesFirstSeen's. */
  readonly edgesSeen: Set<number>;
  /** Some case asked the target for its coverage. */
  edgesAsked = false;
  /** The keys the cases reached, base or not, and their labels (reached.ts) as they came. */
  private readonly reachedKeys = new Set<number>();
  private readonly labelOf = new Map<number, string>();
  /**
   * The model branches (reached.ts's branchOfLabel) of the base's labels and the keys new to
   * `seen`: what the progress line counts, as the report's `reached` table would.
   */
  private readonly branches = new Set<string>();
  /** New keys processed before their label came (not expected: a thread labels them first). */
  private readonly branchLater = new Set<number>();
  readonly kept: number[] = [];
  readonly failing: CaseResult[] = [];
  failingCount = 0;
  readonly hits = new Map<string, number>();
  calls = 0;
  setupError: string | undefined;
  closeErrors: CloseErrors | undefined;
  /** A case's target had no state(); the first case's stray touched() range, and how many. */
  noState = false;
  stray: StrayTouched | undefined;
  firstFailureMs: number | undefined;
  /** Reached failuresMax: nothing after this case counts. */
  full = false;
  /** Cases from the first on that could not start the target (-1 once one did). */
  private startsFailed = 0;
  counted = 0;
  readonly kinds = new Set<string>();
  /** Not-started groups held back (noteStart), each with its first case. */
  private readonly unstarted = new Map<string, CaseResult>();

  constructor(
    base: ReadonlySet<number>,
    baseEdges: ReadonlySet<number> = new Set(),
    baseReached: readonly string[] = [],
  ) {
    this.seen = new Set(base);
    this.edgesSeen = new Set(baseEdges);
    for (const l of baseReached) this.addBranch(l);
    this.grown = { branches: this.branches.size, keys: this.seen.size };
  }

  /**
   * The counts at the last progress report, and when (ms into the campaign) a report last
   * found either grown past the base: "new branch 1m40s ago" in the status line. Wall-clock
   * presentation only; nothing of it reaches the result.
   */
  private grown: {
    branches: number;
    keys: number;
    branchMs?: number;
    keyMs?: number;
  };

  private addBranch(label: string): void {
    const b = branchOfLabel(label);
    if (b !== undefined) this.branches.add(b);
  }

  /**
   * A target that fails to start in each of the first startsFailedMax cases (a factory that
   * throws or loops, a process that is not there) is one that cannot be set up: the campaign
   * stops there instead of paying a failed start, a timeout perhaps, for every case of a
   * 30-minute budget. Decided from the lowest cases, so the same for any worker count.
   */
  private noteStart(r: CaseResult): number {
    if (this.startsFailed < 0) return -1;
    const v = r.violations[0];
    if (v === undefined || !notStarted(v)) return -1;
    if (this.startsFailed + 1 >= startsFailedMax)
      this.setupError ??= `${v.message} (in each of the first ${startsFailedMax} cases)`;
    return this.startsFailed + 1;
  }

  process(r: CaseResult, o: CampaignOptions): void {
    if (r.setupError !== undefined) {
      this.setupError ??= r.setupError;
      return;
    }
    if (r.closeError !== undefined)
      this.closeErrors = {
        first: this.closeErrors?.first ?? r.closeError,
        count: (this.closeErrors?.count ?? 0) + 1,
      };
    if (r.noState === true) this.noState = true;
    if (r.strayTouched !== undefined)
      this.stray = {
        first: this.stray?.first ?? r.strayTouched,
        caseIndex: this.stray?.caseIndex ?? r.index,
        count: (this.stray?.count ?? 0) + 1,
      };
    this.startsFailed = this.noteStart(r);
    if (this.startsFailed < 0 && this.unstarted.size > 0) {
      for (const [k, first] of this.unstarted) this.addKind(k, first, o);
      this.unstarted.clear();
    }
    this.calls += r.calls;
    const fresh: number[] = [];
    for (const k of r.keys) {
      this.reachedKeys.add(k);
      if (this.seen.has(k)) continue;
      this.seen.add(k);
      this.firstSeen.set(k, r.index);
      fresh.push(k);
      const l = this.labelOf.get(k);
      if (l === undefined) this.branchLater.add(k);
      else this.addBranch(l);
    }
    let freshEdges = 0;
    if (r.edges !== undefined) {
      this.edgesAsked = true;
      for (const e of r.edges) {
        if (this.edgesSeen.has(e)) continue;
        this.edgesSeen.add(e);
        this.edgesFirstSeen.set(e, r.index);
        freshEdges++;
      }
    }
    if (fresh.length > 0 || freshEdges > 0) {
      this.kept.push(r.index);
      o.onKept?.(r, fresh);
    }
    if (r.violations.length > 0 || r.outcome === 'crash' || r.outcome === 'timeout') {
      const key = failureKey(r);
      const hits = (this.hits.get(key) ?? 0) + 1;
      this.hits.set(key, hits);
      this.failingCount++;
      if (hits <= (o.failingPerGroup ?? Number.POSITIVE_INFINITY)) this.failing.push(unlabelled(r));
      const v = r.violations[0];
      // Not-started cases from the first on may yet be a target that cannot be set up, which
      // is no finding: their kind counts once some case has started the target.
      const k = v === undefined ? undefined : `${v.kind} ${v.fn}`;
      if (k !== undefined && this.startsFailed > 0) {
        if (!this.unstarted.has(k)) this.unstarted.set(k, r);
      } else if (k !== undefined) this.addKind(k, r, o);
      if (o.counts?.(r) ?? true) this.counted++;
      if (o.failuresMax !== undefined && this.counted >= o.failuresMax) this.full = true;
    }
  }

  private addKind(k: string, r: CaseResult, o: CampaignOptions): void {
    if (this.kinds.has(k)) return;
    this.kinds.add(k);
    o.onNewGroup?.(unlabelled(r));
  }

  /** A result's labels, whatever its order: a later case's keys may be labelled here only. */
  noteLabels(r: CaseResult): void {
    const keys = r.labelKeys ?? [];
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as number;
      this.labelOf.set(k, r.labels?.[i] as string);
      if (this.branchLater.delete(k)) this.addBranch(r.labels?.[i] as string);
    }
  }

  /** The labels of the keys the cases reached, sorted. */
  reached(): string[] {
    const labels = new Set<string>();
    for (const k of this.reachedKeys) {
      const l = this.labelOf.get(k);
      // Each thread labels a key before or with the first case it reports it in.
      if (l === undefined) throw new Error(`coverage key ${k} came without its label`);
      labels.add(l);
    }
    return [...labels].sort();
  }

  progress(cases: number, elapsedMs: number): CampaignProgress {
    const g = this.grown;
    if (this.branches.size > g.branches) g.branchMs = elapsedMs;
    if (this.seen.size > g.keys) g.keyMs = elapsedMs;
    g.branches = this.branches.size;
    g.keys = this.seen.size;
    return {
      cases,
      calls: this.calls,
      coverage: this.seen.size,
      branches: this.branches.size,
      ...(this.edgesAsked ? { targetEdges: this.edgesSeen.size } : {}),
      kept: this.kept.length,
      failing: this.failingCount,
      kinds: this.kinds.size,
      elapsedMs,
      ...(g.branchMs === undefined ? {} : { lastNewBranchMs: g.branchMs }),
      ...(g.keyMs === undefined ? {} : { lastNewKeyMs: g.keyMs }),
    };
  }
}
