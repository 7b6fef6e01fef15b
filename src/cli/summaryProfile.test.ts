// Summary lines a replay's or night's reader needs to read its verdicts: traces whose recorded
// values --profile left uncompared (once), traces the oracle left before their last call only,
// and a bundled corpus trace named corpus:NAME in the nightly's headline, as in its command.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nightlyFixture } from '../../test/support/reportFixtures.js';
import type { NightlyReportWithDetail } from '../report/nightlyBuild.js';
import {
  summarize,
  type ReplayReport,
  type ReportViolation,
  type TraceEntry,
} from '../report/replayReport.js';
import { bundledCorpusDir } from '../store/corpus.js';
import { nightlySummary } from './nightlySummary.js';
import { formatReplaySummary } from './summary.js';

function replaySummary(traces: TraceEntry[], profile = 'reactos'): string[] {
  const r = {
    traces,
    violations: [],
    summary: summarize(traces, []),
    profile,
    target: 'model:reactos',
    seed: '1',
    timing: { wallMs: 1000, callsPerSecond: 10, workers: 1 },
  } as unknown as ReplayReport;
  return formatReplaySummary(r).split('\n');
}

const pass = (trace: string, more: Partial<TraceEntry> = {}): TraceEntry => ({
  trace,
  outcome: 'pass',
  calls: 5,
  violations: 0,
  ...more,
});

describe('the replay summary', () => {
  it('says once how many traces had their recorded values left out by --profile', () => {
    const skipped = { recordedSkipped: 'profile-override' };
    const lines = replaySummary([pass('a', skipped), pass('b', skipped), pass('c')]);
    expect(lines).toContain(
      "2 traces recorded under profile docs, replayed under reactos: their recorded values were not compared, as they are the other profile's answers (recordedSkipped in --json)",
    );
    expect(replaySummary([pass('c')]).join('\n')).not.toContain('not compared');
  });

  it('counts a trace as stopped early only when calls came after detachedAt', () => {
    const early = (lines: string[]): string | undefined =>
      lines.find((l) => l.includes('stopped being compared with the oracle early'));
    // Detached at its last call (index 4 of 5): nothing was left uncompared.
    expect(early(replaySummary([pass('a', { detachedAt: 4 })]))).toBeUndefined();
    expect(
      early(replaySummary([pass('a', { detachedAt: 4 }), pass('b', { detachedAt: 3 })])),
    ).toMatch(/^1 trace stopped being compared/);
  });
});

describe('the nightly summary', () => {
  const trace = join(bundledCorpusDir(), 'divergence-answers.jsonl');
  const v = {
    kind: 'return-mismatch',
    fn: 'VideoPortUnlockPages',
    callIndex: 2,
    line: 4,
    message: 'm',
    trace,
  } as ReportViolation;
  const r = nightlyFixture();
  const text = (traces: TraceEntry[], violations: ReportViolation[]): string[] =>
    nightlySummary(
      {
        ...r,
        profile: 'reactos',
        corpus: { summary: summarize(traces, violations), traces, violations },
        fuzzDetail: { budget: {}, timeoutMs: 1000, corpus: { base: 21, kept: 0, keptFiles: [] } },
      } as unknown as NightlyReportWithDetail,
      'out',
    ).split('\n');

  it('names a bundled trace corpus:NAME in its headline, as the command under it does', () => {
    const lines = text([{ trace, outcome: 'fail', calls: 8, violations: 1, status: 'new' }], [v]);
    const at = lines.indexOf(
      '  [new] corpus:divergence-answers.jsonl:4 (call 2): return-mismatch in VideoPortUnlockPages: m',
    );
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^ {4}vpdma minimize corpus:divergence-answers\.jsonl /);
    expect(lines.join('\n')).not.toContain(trace);
  });

  it('says once how many corpus traces had their recorded values left out by --profile', () => {
    const skipped = pass(trace, { recordedSkipped: 'profile-override' });
    expect(text([skipped], [])).toContain(
      "corpus: 1 trace recorded under profile docs, replayed under reactos: their recorded values were not compared, as they are the other profile's answers (recordedSkipped in report.json's corpus.traces)",
    );
  });
});
