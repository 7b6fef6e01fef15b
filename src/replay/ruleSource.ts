// Where an oracle comparison's expected value comes from, for the violations that compare with
// the oracle: the call's spec section from the call table (the `section` docs/calls.md prints),
// "[R]" where the ReactOS profile follows the spec's ReactOS lines (the table's `reactos`), and a
// link to docs/spec-gaps.md where the check is stricter than the documentation. Never part of a
// message or a signature: a finding's signature is the same with or without it.
import { describe } from '../model/calls.js';
import { violationPart, type ViolationKind } from './violation.js';

/**
 * The kinds whose expected value is the oracle's answer (conformance.ts, diffText.ts). A
 * memory-mismatch cites nothing in practice: it shows at a @read, an environment event, or
 * in the sample or sweep, where the call that showed it need not be the one that wrote it.
 */
export const ORACLE_KINDS: ReadonlySet<ViolationKind> = new Set([
  'return-mismatch',
  'out-param-mismatch',
  'memory-mismatch',
  'recorded-mismatch',
]);

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
  /** "spec §1 B [R]": the spec section of the call the oracle answered for. */
  readonly rule?: string;
  /** "docs/spec-gaps.md#...": the check is stricter than the documentation. */
  readonly stricter?: string;
}

/** Both, for a violation of `kind` at `fn` (nothing for the kinds not compared with the oracle). */
export function ruleSource(
  kind: ViolationKind,
  fn: string,
  field: string | undefined,
  profile: string,
): RuleSource {
  if (!ORACLE_KINDS.has(kind)) return {};
  const rule = specCitation(fn, profile);
  const stricter = stricterLink(fn, field, profile);
  return {
    ...(rule === undefined ? {} : { rule }),
    ...(stricter === undefined ? {} : { stricter }),
  };
}

/** The context line text: "rule: spec §1 B; stricter than the documentation: see ...". */
export function ruleText(v: RuleSource): string | undefined {
  const parts = [
    ...(v.rule === undefined ? [] : [`rule: ${v.rule}`]),
    ...(v.stricter === undefined ? [] : [`stricter than the documentation: see ${v.stricter}`]),
  ];
  return parts.length === 0 ? undefined : parts.join('; ');
}
