// docs/report-json.md against the report types and real reports: each table marked
// `<!-- fields: NAME -->` lists exactly the keys of its type (the Records below do not compile
// unless they name every key and no other), and a real replay's and fuzz run's report has no
// key the page does not list, and every one it does not call optional (a real night is too
// slow to run here for this alone: its tables are checked against the types).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FindingBase, FuzzReport, FuzzSummary, ReportFinding } from '../fuzz/fuzzReport.js';
import type { NightlyReportWithDetail } from '../report/nightlyBuild.js';
import type { CorpusRepro, Finding, NightlyReport } from '../report/nightlySchema.js';
import type {
  ReplayReport,
  ReplaySummary,
  ReportViolation,
  TraceEntry,
} from '../report/replayReport.js';
import { runCli } from '../../test/support/runCli.js';

type Keys<T> = Record<keyof T, true>;

const identity = {
  schema: true,
  schemaVersion: true,
  command: true,
  seed: true,
  vpdmaVersion: true,
  modelRevision: true,
  buildRevision: true,
  target: true,
  profile: true,
} as const;

const replay: Keys<ReplayReport> = {
  ...identity,
  ...{ paranoid: true, sampleBytes: true, timeoutMs: true, workerHeapMb: true, disabled: true },
  rssLimitMb: true,
  knownFrom: true,
  ...{ summary: true, traces: true, skipped: true, violations: true, interrupted: true },
  ...{ harnessError: true, setupError: true, warnings: true, timing: true },
};
const summary: Keys<ReplaySummary> = {
  ...{ traces: true, passed: true, failed: true, crashed: true, timedOut: true, invalid: true },
  ...{ damaged: true, detached: true, calls: true, violations: true, byKind: true },
  ...{ interrupted: true, notReplayed: true, skipped: true, known: true },
};
const traceEntry: Keys<TraceEntry> = {
  ...{ trace: true, traceId: true, outcome: true, calls: true, violations: true, unlisted: true },
  ...{ detachedAt: true, detachedBy: true, recordedDetachedAt: true, recordedDetachedBy: true },
  recordedSkipped: true,
  paranoid: true,
  ...{ error: true, damage: true, interrupted: true, notStarted: true, failedIn: true },
  ...{ minimizedRepro: true, signature: true, status: true },
};
const violation: Keys<ReportViolation> = {
  ...{ kind: true, fn: true, callIndex: true, message: true, field: true, expected: true },
  ...{ actual: true, foundLate: true, trace: true, line: true, signature: true, known: true },
  ...{ rule: true, stricter: true },
};
const fuzz: Keys<FuzzReport> = {
  ...identity,
  ...{ shard: true, budget: true, callsMax: true, corpusMax: true, timeoutMs: true, summary: true },
  ...{ reprosPerKind: true, attemptsMax: true, disabled: true, workerHeapMb: true, cases: true },
  ...{ runsEquivalent: true, calls: true, coverage: true, branches: true, targetEdges: true },
  corpus: true,
  ...{ reached: true, unreached: true, newCoverage: true, newTargetEdges: true, groups: true },
  ...{ findings: true, unconfirmed: true, violations: true, interrupted: true, stoppedBy: true },
  ...{ minimizeStoppedBy: true, setupError: true, harnessError: true, warnings: true },
  rssLimitMb: true,
  rounds: true,
  unchecked: true,
  timing: true,
};
const fuzzSummary: Keys<FuzzSummary> = {
  ...{ cases: true, calls: true, findings: true, unconfirmed: true, byKind: true },
  ...{ newCorpusEntries: true, likelyOneBug: true },
};
const fuzzViolation: Keys<FuzzReport['violations'][number]> = {
  ...{ kind: true, fn: true, callIndex: true, message: true, trace: true, reproCalls: true },
  ...{ signature: true, field: true, rule: true, stricter: true },
};
const findingBase: Keys<FindingBase> & { readonly kind: true } = {
  ...{ signature: true, kind: true, fn: true, callIndex: true, message: true, title: true },
  ...{ violationsAtCall: true, reproCalls: true, originalCalls: true, trace: true },
  ...{ reproText: true, seed: true, caseIndex: true, reproduced: true, command: true, kept: true },
  notMinimized: true,
};
const fuzzFinding: Keys<ReportFinding> = {
  ...findingBase,
  ...{ files: true, cases: true, minimized: true, minimizedReproduced: true, exhausted: true },
};
const nightly: Keys<NightlyReportWithDetail> = {
  ...identity,
  ...{ shard: true, shards: true, startedAt: true, interrupted: true, historyRecovered: true },
  ...{ harnessError: true, shardsMissing: true, mergeInterrupted: true },
  killedShardOriginals: true,
  ...{ failOn: true, knownFrom: true, corpus: true, fuzz: true, findings: true, fixed: true },
  stillFailing: true,
  ...{ regressedByReplay: true, reprosChanged: true, stillOpen: true, violations: true },
  ...{ timing: true, fuzzDetail: true },
};
const nightlyCorpus: Keys<NightlyReport['corpus']> = {
  ...{ summary: true, traces: true, violations: true, budgetReplay: true, notReplayed: true },
  ...{ repros: true, minimizeStoppedBy: true, minimizeLeft: true, warnings: true },
};
const corpusRepro: Keys<CorpusRepro> = {
  ...{ signature: true, violationSignature: true, kind: true, fn: true, from: true },
  ...{ fromCalls: true, callIndex: true, message: true, reproCalls: true, trace: true },
  ...{ reproText: true, reproduced: true, exhausted: true, command: true },
};
const nightlyFinding: Keys<Finding> = {
  ...findingBase,
  ...{ status: true, firstSeen: true, timesSeen: true, known: true },
};

const TYPES: Record<string, Record<string, true>> = {
  replay,
  'replay.summary': summary,
  'replay.traces[]': traceEntry,
  'replay.violations[]': violation,
  fuzz,
  'fuzz.summary': fuzzSummary,
  'fuzz.violations[]': fuzzViolation,
  'fuzz.findings[]': fuzzFinding,
  nightly,
  'nightly.corpus': nightlyCorpus,
  'nightly.corpus.repros[]': corpusRepro,
  'nightly.findings[]': nightlyFinding,
};

interface Row {
  readonly field: string;
  readonly optional: boolean;
}

/** Each marked table of the page: its fields, and whether each is marked optional. */
function tables(): Map<string, Row[]> {
  const doc = readFileSync(resolve(import.meta.dirname, '../../docs/report-json.md'), 'utf8');
  const found = new Map<string, Row[]>();
  for (const part of doc.split('<!-- fields: ').slice(1)) {
    const [name = '', ...rest] = part.split(' -->');
    const lines = rest.join(' -->').split('\n').slice(1);
    const start = lines.findIndex((l) => l.startsWith('|'));
    const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'));
    const rows = lines.slice(start + 2, end === -1 ? undefined : end);
    found.set(
      name,
      rows.map((r) => {
        const [, field = '', stable = ''] = r.split('|').map((c) => c.trim());
        return { field: field.replace(/`/g, ''), optional: /optional/.test(stable) };
      }),
    );
  }
  return found;
}

const documented = tables();
const rows = (name: string): Row[] => documented.get(name) ?? [];

describe('docs/report-json.md', () => {
  it('tables each report object the types define, once', () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(TYPES).sort());
  });

  it.each(Object.entries(TYPES))('lists exactly the fields of %s', (name, keys) => {
    const fields = rows(name).map((r) => r.field);
    expect(fields.sort()).toEqual(Object.keys(keys).sort());
    expect(new Set(fields).size).toBe(fields.length);
  });
});

/** `value` (an object, or an array of them) against the table `name`. */
function checkAgainst(name: string, value: unknown): void {
  const objects = (Array.isArray(value) ? value : [value]) as Record<string, unknown>[];
  for (const o of objects) {
    const keys = Object.keys(o);
    const table = rows(name);
    expect(
      keys.filter((k) => !table.some((r) => r.field === k)),
      `${name}: keys the page does not list`,
    ).toEqual([]);
    expect(
      table.filter((r) => !r.optional && !keys.includes(r.field)).map((r) => r.field),
      `${name}: fields the page does not call optional, missing`,
    ).toEqual([]);
  }
}

describe('real reports have the documented fields', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vpdma-report-doc-'));
  let replayed: Record<string, unknown>;
  let fuzzed: Record<string, unknown>;
  beforeAll(async () => {
    // A planted bug two bundled traces show: violations with every always-present field.
    const json = join(dir, 'replay.json');
    const traces = ['corpus/legacy-lockpages.jsonl', 'corpus/events.jsonl'];
    const r = await runCli([
      ...['replay', ...traces, '--target', 'mutant:dodma-signals-event'],
      ...['--workers', '1', '--quiet', '--json', json],
    ]);
    expect(r.code, r.err).toBe(1);
    replayed = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>;
    const out = join(dir, 'fuzz');
    const f = await runCli(['fuzz', '--runs', '10', '--workers', '1', '--out', out, '--quiet']);
    expect(f.code, f.err).toBe(0);
    fuzzed = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Record<string, unknown>;
  });

  it('replay', () => {
    checkAgainst('replay', replayed);
    checkAgainst('replay.summary', replayed['summary']);
    checkAgainst('replay.traces[]', replayed['traces']);
    // Relative paths into the bundled corpus: named as --history and SARIF name them.
    expect((replayed['traces'] as TraceEntry[]).map((t) => t.traceId)).toEqual([
      'corpus:legacy-lockpages.jsonl',
      'corpus:events.jsonl',
    ]);
    expect((replayed['violations'] as unknown[]).length).toBeGreaterThan(0);
    checkAgainst('replay.violations[]', replayed['violations']);
  });

  it('fuzz', () => {
    checkAgainst('fuzz', fuzzed);
    checkAgainst('fuzz.summary', fuzzed['summary']);
    // The summary counts what the report lists.
    const r = fuzzed as unknown as FuzzReport;
    expect(r.summary).toEqual({
      cases: r.cases,
      calls: r.calls,
      findings: r.findings.length,
      unconfirmed: r.unconfirmed.length,
      byKind: expect.any(Object) as unknown,
      newCorpusEntries: r.corpus.kept,
      likelyOneBug: expect.any(Array) as unknown,
    });
    expect(r.summary?.cases).toBeGreaterThan(0);
  });
});
