// A trace's violations, bounded: a target that fails every call of a long capture must not
// hold a million messages, yet a rarer kind after the bound must not vanish from the report.
import type { Violation, ViolationKind } from './violation.js';

/** Violations listed per trace before only the first of each kind and function is. */
export const VIOLATIONS_LISTED_MAX = 1000;

export class ViolationList {
  readonly list: Violation[] = [];
  /** Not listed (past the bound, and not the first of their kind and function), by kind. */
  readonly unlisted: Partial<Record<ViolationKind, number>> = {};
  private readonly pairs = new Set<string>();

  constructor(
    private readonly max = VIOLATIONS_LISTED_MAX,
    /** Hears every violation added, listed or not. */
    private readonly heard?: (v: Violation) => void,
  ) {}

  add(v: Violation): void {
    this.heard?.(v);
    const pair = `${v.kind} ${v.fn}`;
    if (this.list.length < this.max || !this.pairs.has(pair)) {
      this.list.push(v);
      this.pairs.add(pair);
    } else {
      this.unlisted[v.kind] = (this.unlisted[v.kind] ?? 0) + 1;
    }
  }

  /** Unlisted ones, if any (for the result, which leaves the field out otherwise). */
  unlistedOrNone(): Partial<Record<ViolationKind, number>> | undefined {
    return Object.keys(this.unlisted).length === 0 ? undefined : this.unlisted;
  }
}
