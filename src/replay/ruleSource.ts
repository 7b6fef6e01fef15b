// Where a violation's rule comes from: the call's spec section from the call table (the
// `section` docs/calls.md prints), "[R]" where the ReactOS profile follows the spec's ReactOS
// lines (the table's `reactos`), one of the spec's §4 invariants for the obsolete-call checks,
// and a link to docs/spec-gaps.md where the check is stricter than the documentation. Never
// part of a message or a signature: a finding's signature is the same with or without it.
import { describe } from '../model/calls.js';
import { violationPart, type Violation, type ViolationKind } from './violation.js';

/** The obsolete calls' inertness (MapDmaMemory's NULL, no write, no change, no teardown). */
export const INERTNESS_RULE = 'spec §4 invariant 5';

/**
 * What a kind's violations cite: the section of the call they are about (`call`), one rule of
 * the spec whatever the call (`fixed`), or nothing, and why (`none`).
 */
export type KindCitation =
  | { readonly cites: 'call' }
  | { readonly cites: 'fixed'; readonly rule: string }
  | { readonly cites: 'none'; readonly why: string };

const CALL = { cites: 'call' } as const;
const INERT = { cites: 'fixed', rule: INERTNESS_RULE } as const;
const NO_ANSWER = {
  cites: 'none',
  why: 'the target gave no answer to judge: no rule of the spec is at stake, the target failed',
} as const;

/**
 * The one table of what each kind cites (docs/checks.md "Where the expected value comes from").
 * `call` kinds compare an answer with the oracle's, which answers by the call's section (the
 * obsolete calls' constants are §1 E's table, per profile); a memory-mismatch cites its call
 * only when that call wrote the bytes (not found late, not at an environment event, whose
 * rules are the model's). The inertness kinds hold §4 invariant 5, whichever obsolete call.
 */
export const KIND_CITATIONS: Readonly<Record<ViolationKind, KindCitation>> = {
  'map-dma-returned-non-null': INERT,
  'map-dma-wrote-out-param': INERT,
  'inert-return-mismatch': CALL,
  'inert-wrote-out-param': INERT,
  'memory-corrupted': INERT,
  'transfer-state-changed': INERT,
  'object-state-changed': INERT,
  'view-torn-down': INERT,
  'return-mismatch': CALL,
  'out-param-mismatch': CALL,
  'memory-mismatch': CALL,
  'recorded-mismatch': CALL,
  'target-crashed': NO_ANSWER,
  'target-timeout': NO_ANSWER,
};

export const SPEC_GAPS_DOC = 'docs/spec-gaps.md';

/** A check docs/spec-gaps.md lists as stricter than the documentation, not yet relaxed. */
export interface StricterCheck {
  /** The heading's anchor in docs/spec-gaps.md (a test holds each to a heading). */
  readonly anchor: string;
  /** The profiles whose oracle holds it (the ReactOS profile has the spec's ReactOS rule). */
  readonly profiles: readonly string[];
  /**
   * The function and part of the answer (violationPart) a violation of it names; absent when no
   * violation can be told to be one (a zeroed byte shows at a later @read or sweep).
   */
  readonly shows?: { readonly fn: string; readonly part: string };
}

/** The one list of them; docs/spec-gaps.md "Stricter than the documentation" is its text. */
export const STRICTER_CHECKS: readonly StricterCheck[] = [
  { anchor: 'fresh-allocatepool-memory-compared-as-zeroed', profiles: ['docs', 'reactos'] },
  {
    anchor: 'getcommonbuffers-pactuallength-compared-exactly',
    profiles: ['docs'],
    shows: { fn: 'VideoPortGetCommonBuffer', part: 'out.pActualLength' },
  },
  {
    anchor: 'startdmas-grant',
    profiles: ['docs'],
    shows: { fn: 'VideoPortStartDma', part: 'out.pLength' },
  },
  {
    anchor: 'mapmemorys-length-rounded-up-past-64-kib',
    profiles: ['docs'],
    shows: { fn: 'VideoPortMapMemory', part: 'out.length' },
  },
];

/** "spec §1 B", with " [R]" under the ReactOS profile where the spec has ReactOS lines for it. */
export function specCitation(fn: string, profile: string): string | undefined {
  const c = describe(fn);
  // Environment events are the harness's, not the spec's: the model's rules hold them.
  if (c === undefined || c.section === 'env') return undefined;
  const r = profile === 'reactos' && c.reactos !== undefined ? ' [R]' : '';
  return `spec §1 ${c.section}${r}`;
}

/** The spec-gaps.md link of the stricter check a violation is about, if it is one. */
export function stricterLink(
  fn: string,
  field: string | undefined,
  profile: string,
): string | undefined {
  const part = violationPart(field);
  const s = STRICTER_CHECKS.find(
    (c) => c.shows?.fn === fn && c.shows.part === part && c.profiles.includes(profile),
  );
  return s === undefined ? undefined : `${SPEC_GAPS_DOC}#${s.anchor}`;
}

export interface RuleSource {
  /** "spec §1 B [R]" or "spec §4 invariant 5": the rule of the spec the check holds. */
  readonly rule?: string;
  /** "docs/spec-gaps.md#...": the check is stricter than the documentation. */
  readonly stricter?: string;
}

/**
 * Both, for a violation of `kind` at `fn` (KIND_CITATIONS); `foundLate` memory showed at `fn`
 * but need not have been written there, so it cites no call.
 */
export function ruleSource(
  kind: ViolationKind,
  fn: string,
  field: string | undefined,
  profile: string,
  foundLate?: true,
): RuleSource {
  const c = KIND_CITATIONS[kind];
  if (c.cites === 'none') return {};
  if (c.cites === 'fixed') return { rule: c.rule };
  if (foundLate === true) return {};
  const rule = specCitation(fn, profile);
  const stricter = stricterLink(fn, field, profile);
  return {
    ...(rule === undefined ? {} : { rule }),
    ...(stricter === undefined ? {} : { stricter }),
  };
}

/** `v` with its rule source (KIND_CITATIONS), as every violation of a replay is reported. */
export function cited<V extends Violation>(v: V, profile: string): V {
  const s = ruleSource(v.kind, v.fn, v.field, profile, v.foundLate);
  return s.rule === undefined && s.stricter === undefined ? v : { ...v, ...s };
}

/** The context line text: "rule: spec §1 B; stricter than the documentation: see ...". */
export function ruleText(v: RuleSource): string | undefined {
  const parts = [
    ...(v.rule === undefined ? [] : [`rule: ${v.rule}`]),
    ...(v.stricter === undefined ? [] : [`stricter than the documentation: see ${v.stricter}`]),
  ];
  return parts.length === 0 ? undefined : parts.join('; ');
}
