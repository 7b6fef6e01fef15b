// results.sarif of `vpdma nightly`: SARIF 2.1.0 for code-scanning dashboards. One result per
// finding (located at its failing call in the repro JSONL, fingerprinted by its signature) and
// one per failing corpus trace and signature (located at the first call that shows it, the
// other calls as relatedLocations: SARIF 2.1.0 §3.27.12 keeps `locations` for places that must
// all change to fix it, and one bug is one fix however many calls show it). Repro paths are
// relative to the report's directory (base REPORTDIR); a trace of the bundled corpus to
// vpdma's corpus directory (VPDMACORPUS), named and fingerprinted as the history names it
// (`corpus:NAME`), so an alert does not move with the install path; other corpus paths to the
// directory the run started in (SRCROOT). A corpus violation's line is the report's (`line`, a
// .txt trace's too), else a JSONL line is callIndex + 2, the header being line 1. A .vpt has no
// line per call, and a .gz no lines a viewer shows, so their results have no region (the
// message names the call, and a .gz trace's line). A result whose
// signature --known holds carries a suppression of kind "external" (SARIF 2.1.0 §3.35: set
// aside outside the code, by the baseline file), so dashboards show it as suppressed.
import { type Finding, type NightlyRendered, type TraceVerdict } from './nightlySchema.js';
import type { ReportViolation } from './replayReport.js';
import { sarifRules, type SarifRule } from './sarifRules.js';
import {
  invocationOf,
  runProperties,
  type SarifInvocation,
  type SarifRunProperties,
} from './sarifRun.js';
import { signatureOfViolation } from '../fuzz/findings.js';
import { ruleText } from '../replay/ruleSource.js';
import { BUNDLED_TRACE, type TraceName } from './command.js';
import { knownFromText } from './knownViolations.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const FINDING_FINGERPRINT = 'vpdmaSignature/v1';
// v2: `NAME|SIGNATURE`, NAME the trace's stable name (v1 was the path as replayed and the call).
export const CORPUS_FINGERPRINT = 'vpdmaCorpusViolation/v2';

type Base = 'REPORTDIR' | 'SRCROOT' | 'VPDMACORPUS';

export type { TraceName } from './command.js';

export interface SarifLocation {
  /** In relatedLocations: its index there, as SARIF asks of a location a message may link. */
  readonly id?: number;
  readonly message?: { readonly text: string };
  readonly physicalLocation: {
    readonly artifactLocation: { readonly uri: string; readonly uriBaseId?: Base };
    readonly region?: { readonly startLine: number };
  };
}

export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: 'error';
  readonly message: { readonly text: string };
  readonly locations: readonly SarifLocation[];
  readonly relatedLocations?: readonly SarifLocation[];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly baselineState?: 'new' | 'unchanged';
  readonly suppressions?: readonly SarifSuppression[];
  readonly properties: Readonly<Record<string, string | number>>;
}

/** A result set aside (§3.35): here only ever by --known's baseline, outside the code. */
export interface SarifSuppression {
  readonly kind: 'external';
  readonly status: 'accepted';
  readonly justification: string;
}

/** The suppressions of a result whose signature is known (none when `knownFrom` is absent). */
function knownSuppression(known: boolean, knownFrom: readonly string[] | undefined) {
  if (!known || knownFrom === undefined) return {};
  const justification = `known (from ${knownFromText(knownFrom)}), not counted`;
  return {
    suppressions: [{ kind: 'external' as const, status: 'accepted' as const, justification }],
  };
}

export type { SarifRunProperties };

export interface SarifLog {
  readonly $schema: typeof SARIF_SCHEMA;
  readonly version: '2.1.0';
  readonly runs: readonly [
    {
      readonly tool: {
        readonly driver: {
          readonly name: 'vpdma';
          readonly version: string;
          readonly rules: readonly SarifRule[];
        };
      };
      readonly originalUriBaseIds: Readonly<
        Record<Base, { readonly description: { readonly text: string } }>
      >;
      readonly invocations: readonly [SarifInvocation];
      readonly columnKind: 'utf16CodeUnits';
      readonly results: readonly SarifResult[];
      readonly properties: SarifRunProperties;
    },
  ];
}

const cmp = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

/** A relative path as a URI reference under `base`; an absolute one as a file: URI. */
export function sarifLocation(
  path: string,
  callIndex: number,
  base: Base,
  /** The call's line when known (a .txt trace's calls are not one a line): used over the rule. */
  line?: number,
): SarifLocation {
  const slashed = path.replace(/\\/g, '/');
  const absolute = slashed.startsWith('/') || /^[A-Za-z]:\//.test(slashed);
  const encoded = slashed.split('/').map(encodeURIComponent).join('/');
  const artifactLocation = absolute
    ? { uri: `file://${slashed.startsWith('/') ? '' : '/'}${encoded.replace('%3A', ':')}` }
    : { uri: encoded, uriBaseId: base };
  // A .gz file has no lines a viewer can show (they are the decompressed text's): no region.
  const startLine = /\.gz$/i.test(path)
    ? undefined
    : (line ?? (/\.jsonl$/i.test(path) ? callIndex + 2 : undefined));
  const region = startLine === undefined ? {} : { region: { startLine } };
  return { physicalLocation: { artifactLocation, ...region } };
}

/**
 * The rule a violation cites (replay/ruleSource.ts), as a sentence to follow the message ('' if
 * none), and as `rule` and `stricter` properties: additions a consumer that ignores them loses
 * nothing by (the fingerprints and ruleId stay as they were).
 */
function citedSentence(v: Pick<ReportViolation, 'rule' | 'stricter'> | undefined): string {
  const text = v === undefined ? undefined : ruleText(v);
  return text === undefined ? '' : ` ${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function citedProperties(
  v: Pick<ReportViolation, 'rule' | 'stricter'> | undefined,
): Record<string, string> {
  return {
    ...(v?.rule === undefined ? {} : { rule: v.rule }),
    ...(v?.stricter === undefined ? {} : { stricter: v.stricter }),
  };
}

/** The other violations at the failing call, as a sentence to follow the message ('' if none). */
function alsoAtCall(f: Finding): string {
  const rest = (f.violationsAtCall ?? []).slice(1);
  if (rest.length === 0) return '';
  return ` Also at call ${f.callIndex}: ${rest.map((v) => `${v.kind}: ${v.message}`).join('; ')}.`;
}

function findingResult(
  f: Finding,
  index: ReadonlyMap<string, number>,
  knownFrom?: readonly string[],
): SarifResult {
  const atCall = f.violationsAtCall?.length ?? 1;
  // The lead: the violation the finding is named after (fuzz/findings.ts violationAtCall).
  const lead = f.violationsAtCall?.[0];
  return {
    ruleId: f.kind,
    ruleIndex: index.get(f.kind) ?? -1,
    level: 'error',
    message: {
      text: `${f.message} (${f.fn}, call ${f.callIndex} of a ${f.reproCalls}-call repro; ${f.status}).${citedSentence(lead)}${alsoAtCall(f)} Reproduce: ${f.command}`,
    },
    locations: [sarifLocation(f.trace, f.callIndex, 'REPORTDIR')],
    partialFingerprints: { [FINDING_FINGERPRINT]: f.signature },
    baselineState: f.status === 'open' ? 'unchanged' : 'new',
    ...knownSuppression(f.known === true, knownFrom),
    properties: {
      status: f.status,
      reproduced: f.reproduced,
      reproCalls: f.reproCalls,
      originalCalls: f.originalCalls,
      seed: f.seed,
      caseIndex: f.caseIndex,
      command: f.command,
      ...(atCall > 1 ? { violationsAtCall: atCall } : {}),
      ...citedProperties(lead),
    },
  };
}

/** Where a corpus trace is: a bundled one under VPDMACORPUS by its name, others as replayed. */
function traceLocation(v: ReportViolation, name: string): SarifLocation {
  return name.startsWith(BUNDLED_TRACE)
    ? sarifLocation(name.slice(BUNDLED_TRACE.length), v.callIndex, 'VPDMACORPUS', v.line)
    : sarifLocation(v.trace, v.callIndex, 'SRCROOT', v.line);
}

const callOf = (v: ReportViolation): string =>
  v.line === undefined ? `call ${v.callIndex}` : `line ${v.line} (call ${v.callIndex})`;

/** The violations of one trace with one signature: one result. */
interface CorpusGroup {
  readonly name: string;
  readonly signature: string;
  /** In call order; the first is where the result is located. */
  readonly violations: readonly [ReportViolation, ...ReportViolation[]];
  readonly verdict?: TraceVerdict;
}

/**
 * A failing corpus trace's result for one signature: located at its first call showing it, the
 * others its relatedLocations. It carries --history's verdict (`status` and `signature` in its
 * properties, and baselineState, unchanged when open) when one covers the signature: the
 * trace's own (the signature of its first violation), or a finding's or another trace's.
 */
function corpusResult(
  g: CorpusGroup,
  index: ReadonlyMap<string, number>,
  knownFrom?: readonly string[],
): SarifResult {
  const [v, ...rest] = g.violations;
  const also =
    rest.length === 0
      ? ''
      : `; also at ${rest.length === 1 ? '' : `${rest.length} more calls: `}${rest.map(callOf).join(', ')}`;
  const where = `${v.fn}, ${callOf(v)} of corpus trace ${g.name}${also}`;
  const { verdict } = g;
  return {
    ruleId: v.kind,
    ruleIndex: index.get(v.kind) ?? -1,
    level: 'error',
    message: {
      text: `${v.message} (${where}${verdict === undefined ? '' : `; ${verdict.status}`})${citedSentence(v)}`,
    },
    locations: [traceLocation(v, g.name)],
    ...(rest.length === 0
      ? {}
      : {
          relatedLocations: rest.map((x, id) => ({
            id,
            message: { text: `${callOf(x)}: ${x.message}` },
            ...traceLocation(x, g.name),
          })),
        }),
    partialFingerprints: { [CORPUS_FINGERPRINT]: `${g.name}|${g.signature}` },
    ...(verdict === undefined
      ? {}
      : { baselineState: verdict.status === 'open' ? ('unchanged' as const) : ('new' as const) }),
    // One signature a group: all its violations are known, or none.
    ...knownSuppression(v.known === true, knownFrom),
    properties: {
      ...(verdict === undefined ? {} : { status: verdict.status, signature: verdict.signature }),
      trace: g.name,
      callIndex: v.callIndex,
      ...(v.line === undefined ? {} : { line: v.line }),
      ...(rest.length === 0 ? {} : { violations: g.violations.length }),
      ...(v.field === undefined ? {} : { field: v.field }),
      ...(v.expected === undefined ? {} : { expected: v.expected }),
      ...(v.actual === undefined ? {} : { actual: v.actual }),
      ...citedProperties(v),
    },
  };
}

/**
 * The corpus violations grouped by trace and signature, sorted by the trace's stable name, then
 * first call, kind and message; each with the verdict that covers it, if any.
 */
function corpusGroups(r: NightlyRendered, traceName: TraceName): CorpusGroup[] {
  const sorted = [...r.corpus.violations].sort(
    (a, b) =>
      cmp(traceName(a.trace), traceName(b.trace)) ||
      cmp(a.callIndex, b.callIndex) ||
      cmp(a.kind, b.kind) ||
      cmp(a.message, b.message),
  );
  // Each failing trace is judged by its first violation not known; a finding or another trace
  // may have judged the signature of a later one.
  const firstOf = new Map<string, ReportViolation>();
  for (const v of r.corpus.violations)
    if (!firstOf.has(v.trace) && v.known !== true) firstOf.set(v.trace, v);
  const ownVerdict = new Map<string, TraceVerdict>();
  const bySignature = new Map<string, TraceVerdict>();
  for (const f of r.findings) if (f.known !== true) bySignature.set(f.signature, f);
  for (const t of r.corpus.traces)
    if (t.status !== undefined && t.signature !== undefined) {
      const verdict = { status: t.status, signature: t.signature };
      ownVerdict.set(t.trace, verdict);
      if (!bySignature.has(t.signature)) bySignature.set(t.signature, verdict);
    }
  const groups = new Map<string, { name: string; signature: string; vs: ReportViolation[] }>();
  for (const v of sorted) {
    const name = traceName(v.trace);
    const signature = signatureOfViolation(v);
    const key = `${name}\n${signature}`;
    const g = groups.get(key) ?? { name, signature, vs: [] };
    g.vs.push(v);
    groups.set(key, g);
  }
  const out: CorpusGroup[] = [];
  for (const { name, signature, vs } of groups.values()) {
    const [first, ...rest] = vs;
    if (first === undefined) continue;
    const own = vs.some((v) => firstOf.get(v.trace) === v)
      ? ownVerdict.get(first.trace)
      : undefined;
    const found = bySignature.get(signature);
    const verdict =
      own ??
      (found === undefined ? undefined : { status: found.status, signature: found.signature });
    out.push({
      name,
      signature,
      violations: [first, ...rest],
      ...(verdict === undefined ? {} : { verdict }),
    });
  }
  return out;
}

/**
 * The SARIF log: results sorted (corpus by trace, call, kind; findings by signature).
 * `traceName` names the replayed traces as the history does (the CLI's historyTraceName).
 */
export function nightlySarif(r: NightlyRendered, traceName: TraceName = (t) => t): SarifLog {
  const rules = sarifRules([...r.findings, ...r.corpus.violations].map((x) => x.kind));
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const findings = [...r.findings].sort((a, b) => cmp(a.signature, b.signature));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'vpdma', version: r.vpdmaVersion, rules } },
        originalUriBaseIds: {
          REPORTDIR: { description: { text: 'The directory of report.json; findings/ is in it.' } },
          SRCROOT: { description: { text: 'The directory vpdma ran in (corpus paths).' } },
          VPDMACORPUS: {
            description: {
              text: "vpdma's bundled corpus: the corpus/ directory where vpdma is installed.",
            },
          },
        },
        invocations: [invocationOf(r)],
        columnKind: 'utf16CodeUnits',
        results: [
          ...corpusGroups(r, traceName).map((g) => corpusResult(g, index, r.knownFrom)),
          ...findings.map((f) => findingResult(f, index, r.knownFrom)),
        ],
        properties: runProperties(r),
      },
    ],
  };
}

export function nightlySarifJson(r: NightlyRendered, traceName?: TraceName): string {
  return `${JSON.stringify(nightlySarif(r, traceName), null, 2)}\n`;
}
