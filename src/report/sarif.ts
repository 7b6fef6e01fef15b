// results.sarif of `vpdma nightly`: SARIF 2.1.0 for code-scanning dashboards. One result per
// finding (located at its failing call in the repro JSONL, fingerprinted by its signature) and
// one per corpus violation (located in the corpus trace). Repro paths are relative to the
// report's directory (base REPORTDIR), corpus paths to the directory the run started in
// (SRCROOT); a corpus violation's line is the report's (`line`, a .txt trace's too), else a
// JSONL line is callIndex + 2, the header being line 1. A .vpt has no line per call, so its
// results carry the call index in the message only.
import {
  disabledOf,
  rerunFacts,
  type Finding,
  type NightlyRendered,
  type TraceVerdict,
} from './nightlySchema.js';
import type { ReportViolation } from './replayReport.js';
import { sarifRules, type SarifRule } from './sarifRules.js';
import { recoveredText } from './historyRecovered.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const FINDING_FINGERPRINT = 'vpdmaSignature/v1';
export const CORPUS_FINGERPRINT = 'vpdmaCorpusViolation/v1';

type Base = 'REPORTDIR' | 'SRCROOT';

export interface SarifLocation {
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
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly baselineState?: 'new' | 'unchanged';
  readonly properties: Readonly<Record<string, string | number>>;
}

/**
 * The run's property bag: what identifies it, --disable's functions (`disabled`), what a
 * re-run needs (budget, runsEquivalent, callsMax, timeoutMs, baseId, workerHeapMb when given;
 * nightlySchema rerunFacts) and what --history-recover did (`historyRecovered`, its line).
 */
export type SarifRunProperties = Readonly<Record<string, string | boolean | readonly string[]>>;

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
      readonly invocations: readonly [
        { readonly executionSuccessful: boolean; readonly startTimeUtc: string },
      ];
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
  const startLine = line ?? (/\.jsonl(\.gz)?$/i.test(path) ? callIndex + 2 : undefined);
  const region = startLine === undefined ? {} : { region: { startLine } };
  return { physicalLocation: { artifactLocation, ...region } };
}

/** The other violations at the failing call, as a sentence to follow the message ('' if none). */
function alsoAtCall(f: Finding): string {
  const rest = (f.violationsAtCall ?? []).slice(1);
  if (rest.length === 0) return '';
  return ` Also at call ${f.callIndex}: ${rest.map((v) => `${v.kind}: ${v.message}`).join('; ')}.`;
}

function findingResult(f: Finding, index: ReadonlyMap<string, number>): SarifResult {
  const atCall = f.violationsAtCall?.length ?? 1;
  return {
    ruleId: f.kind,
    ruleIndex: index.get(f.kind) ?? -1,
    level: 'error',
    message: {
      text: `${f.message} (${f.fn}, call ${f.callIndex} of a ${f.reproCalls}-call repro; ${f.status}).${alsoAtCall(f)} Reproduce: ${f.command}`,
    },
    locations: [sarifLocation(f.trace, f.callIndex, 'REPORTDIR')],
    partialFingerprints: { [FINDING_FINGERPRINT]: f.signature },
    baselineState: f.status === 'open' ? 'unchanged' : 'new',
    properties: {
      status: f.status,
      reproduced: f.reproduced,
      reproCalls: f.reproCalls,
      originalCalls: f.originalCalls,
      seed: f.seed,
      caseIndex: f.caseIndex,
      command: f.command,
      ...(atCall > 1 ? { violationsAtCall: atCall } : {}),
    },
  };
}

/**
 * A corpus violation's result. The first violation of a failing trace carries --history's
 * verdict on the trace (TraceEntry.status), as a finding's result does: `status` and `signature`
 * in its properties, and baselineState (unchanged when open).
 */
function corpusResult(
  v: ReportViolation,
  index: ReadonlyMap<string, number>,
  verdict?: TraceVerdict,
): SarifResult {
  const call =
    v.line === undefined ? `call ${v.callIndex}` : `line ${v.line} (call ${v.callIndex})`;
  const where = `${v.fn}, ${call} of corpus trace ${v.trace}`;
  return {
    ruleId: v.kind,
    ruleIndex: index.get(v.kind) ?? -1,
    level: 'error',
    message: {
      text: `${v.message} (${where}${verdict === undefined ? '' : `; ${verdict.status}`})`,
    },
    locations: [sarifLocation(v.trace, v.callIndex, 'SRCROOT', v.line)],
    partialFingerprints: {
      [CORPUS_FINGERPRINT]: `${v.trace}|${v.callIndex}|${v.kind}|${v.fn}`,
    },
    ...(verdict === undefined
      ? {}
      : { baselineState: verdict.status === 'open' ? ('unchanged' as const) : ('new' as const) }),
    properties: {
      ...(verdict === undefined ? {} : { status: verdict.status, signature: verdict.signature }),
      trace: v.trace,
      callIndex: v.callIndex,
      ...(v.line === undefined ? {} : { line: v.line }),
      ...(v.field === undefined ? {} : { field: v.field }),
      ...(v.expected === undefined ? {} : { expected: v.expected }),
      ...(v.actual === undefined ? {} : { actual: v.actual }),
    },
  };
}

function runProperties(r: NightlyRendered): SarifRunProperties {
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
    ...(r.historyRecovered === undefined
      ? {}
      : { historyRecovered: recoveredText(r.historyRecovered) }),
    ...(disabled.length === 0 ? {} : { disabled }),
    ...Object.fromEntries(rerunFacts(r)),
  };
}

/** The SARIF log: results sorted (corpus by trace, call, kind; findings by signature). */
export function nightlySarif(r: NightlyRendered): SarifLog {
  const rules = sarifRules([...r.findings, ...r.corpus.violations].map((x) => x.kind));
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const corpus = [...r.corpus.violations].sort(
    (a, b) =>
      cmp(a.trace, b.trace) ||
      cmp(a.callIndex, b.callIndex) ||
      cmp(a.kind, b.kind) ||
      cmp(a.message, b.message),
  );
  const findings = [...r.findings].sort((a, b) => cmp(a.signature, b.signature));
  // Each failing trace's verdict, on its first violation (the one it is judged by).
  const firstOf = new Map<string, ReportViolation>();
  for (const v of r.corpus.violations) if (!firstOf.has(v.trace)) firstOf.set(v.trace, v);
  const verdicts = new Map<ReportViolation, TraceVerdict>();
  for (const t of r.corpus.traces) {
    const first = firstOf.get(t.trace);
    if (first !== undefined && t.status !== undefined && t.signature !== undefined)
      verdicts.set(first, { status: t.status, signature: t.signature });
  }
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'vpdma', version: r.vpdmaVersion, rules } },
        originalUriBaseIds: {
          REPORTDIR: { description: { text: 'The directory of report.json; findings/ is in it.' } },
          SRCROOT: { description: { text: 'The directory vpdma ran in (corpus paths).' } },
        },
        invocations: [{ executionSuccessful: !r.interrupted, startTimeUtc: r.startedAt }],
        columnKind: 'utf16CodeUnits',
        results: [
          ...corpus.map((v) => corpusResult(v, index, verdicts.get(v))),
          ...findings.map((f) => findingResult(f, index)),
        ],
        properties: runProperties(r),
      },
    ],
  };
}

export function nightlySarifJson(r: NightlyRendered): string {
  return `${JSON.stringify(nightlySarif(r), null, 2)}\n`;
}
