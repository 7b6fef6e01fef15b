// One planted bug, one signature per what failed, night after night: the real CLI against
// in-process mutants. drops-map-registers shows in StartDma (a wrong ret, or a wrong *pLength)
// after repros that keep different incidental calls; the first signature scheme hashed those
// calls, and gave it seven StartDma signatures in three nights.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { violationPart } from '../replay/violation.js';
import { nightlyArgs } from '../../test/support/nightlyArgs.js';
import { runCli, type CliRun } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-nightly-signatures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Finding {
  signature: string;
  kind: string;
  fn: string;
  status?: string;
  reproCalls: number;
  violationsAtCall: { field?: string }[];
}
const findingsOf = (out: string): Finding[] =>
  (JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { findings: Finding[] }).findings;

describe('several seeds against one planted bug', () => {
  // Seeds where the bug shows both ways, by more than one seed each (re-picked on 7 December,
  // session 32, when hostile handles changed generation: 206, 208 and 209 no longer reached it;
  // and in session 34, when fresh cases got the swarm's devices and a page's last byte as an
  // address: 212 and 222 no longer reached the out-param way, and found the other with 211).
  const seeds = ['205', '207', '211'];
  const found: Finding[][] = [];
  beforeAll(async () => {
    for (const seed of seeds) {
      const out = join(dir, `fuzz-${seed}`);
      const r = await runCli([
        'fuzz',
        '--target',
        'mutant:drops-map-registers',
        '--seed',
        seed,
        '--runs',
        '600',
        // One: the findings are the same for any worker count, and a worker costs its start.
        '--workers',
        '1',
        '--out',
        out,
        '--quiet',
      ]);
      expect(r.code).toBe(1);
      found.push(findingsOf(out));
    }
  }, 180_000);

  it('give one signature per kind, function and part of the answer, whatever the repro kept', () => {
    const byWhat = new Map<string, Set<string>>();
    for (const f of found.flat()) {
      const what = `${f.kind} ${f.fn} ${violationPart(f.violationsAtCall[0]?.field)}`;
      byWhat.set(what, (byWhat.get(what) ?? new Set()).add(f.signature));
    }
    for (const [what, sigs] of byWhat) expect([...sigs], what).toHaveLength(1);
    // The bug shows in StartDma in two ways, each found by more than one seed, in repros of
    // different lengths: the cases where the old scheme split it.
    const startDma = found.map((fs) =>
      fs.filter((f) => f.fn === 'VideoPortStartDma').map((f) => f.signature),
    );
    expect(startDma.filter((s) => s.includes('return-mismatch/StartDma/f586ddc4'))).toHaveLength(2);
    expect(startDma.filter((s) => s.includes('out-param-mismatch/StartDma/a63cbecb'))).toHaveLength(
      2,
    );
    const lengths = new Set(
      found
        .flat()
        .filter((f) => f.fn === 'VideoPortStartDma')
        .map((f) => f.reproCalls),
    );
    expect(lengths.size).toBeGreaterThan(1);
  });
});

const night = (
  target: string,
  seed: string,
  out: string,
  history: string,
  more: string[] = [],
): Promise<CliRun> => runCli(nightlyArgs({ target, seed, runs: 200, out, history }, more));

describe('nights with --history --fail-on new against one planted bug', () => {
  const out = join(dir, 'nights');
  const history = join(dir, 'nights.json');
  const runs: CliRun[] = [];
  const reports: (Finding & { seed: string; kept?: boolean })[][] = [];
  const findingJson: string[] = [];
  const dirOf = join(out, 'findings/out-param-mismatch/StartDma/a63cbecb');
  beforeAll(async () => {
    for (const seed of ['1', '2', '3']) {
      runs.push(await night('mutant:startdma-ignores-offset', seed, out, history));
      reports.push(findingsOf(out) as (Finding & { seed: string; kept?: boolean })[]);
      findingJson.push(readFileSync(join(dirOf, 'finding.json'), 'utf8'));
    }
  }, 120_000);

  it("gives the finding's repro, replayed in the corpus phase, the finding's signature", () => {
    // One key for the bug whether the fuzzer found it or the replay showed it (report-json.md).
    type Corpus = { corpus: { violations: { trace: string; signature?: string }[] } };
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Corpus;
    const replayed = report.corpus.violations.filter((v) => v.trace.startsWith(dirOf));
    expect(replayed.map((v) => v.signature)).toContain('out-param-mismatch/StartDma/a63cbecb');
    expect(reports[2]?.map((f) => f.signature)).toContain('out-param-mismatch/StartDma/a63cbecb');
  });

  it('is new on the first night only, and open (exit 0) on every other', () => {
    expect(runs.map((r) => r.code)).toEqual([1, 0, 0]);
    expect(runs[0]?.out).toContain('[new] out-param-mismatch in VideoPortStartDma');
    for (const r of runs.slice(1)) {
      expect(r.out).toContain('[open] out-param-mismatch in VideoPortStartDma');
      expect(r.out).toMatch(/findings: 1 \(0 new, 1 open, 0 regressed\)/);
    }
    const h = JSON.parse(readFileSync(history, 'utf8')) as {
      version: number;
      buckets: { signature: string; timesSeen: number }[];
    };
    expect(h.version).toBe(2);
    expect(h.buckets.map((b) => [b.signature, b.timesSeen])).toEqual([
      ['out-param-mismatch/StartDma/a63cbecb', 3],
    ]);
  });

  it('minimizes it once: later nights keep the first repro (its files, seed and case) as it is', () => {
    expect(reports.map((fs) => fs.map((f) => [f.seed, f.kept ?? false]))).toEqual([
      [['1', false]],
      [['1', true]],
      [['1', true]],
    ]);
    expect(findingJson[1]).toBe(findingJson[0]);
    expect(findingJson[2]).toBe(findingJson[0]);
    expect(runs[2]?.out).toContain(
      '[open] out-param-mismatch in VideoPortStartDma: 3 calls, kept: an earlier night minimized it: vpdma replay ',
    );
  });

  it('in junit.xml, under --fail-on new, the open finding is known (skipped), not a failure', () => {
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toMatch(
      /<testsuite name="vpdma nightly: findings" tests="1" failures="0" errors="0" skipped="1"/,
    );
    expect(junit).toContain(
      '<skipped message="known: out-param-mismatch at call 2 (VideoPortStartDma) [open], open since ',
    );
  });
});

describe('a version 1 history, upgraded by the first night that reads it', () => {
  const out = join(dir, 'upgraded');
  const history = join(dir, 'v1.json');
  const target = 'mutant:startdma-ignores-offset';
  let run: CliRun;
  beforeAll(async () => {
    // What an earlier vpdma wrote for the same bug: two signatures hashing the calls kept.
    const old = (hash: string, firstSeen: string): object => ({
      signature: `out-param-mismatch/StartDma/${hash}`,
      target,
      kind: 'out-param-mismatch',
      fn: 'VideoPortStartDma',
      firstSeen,
      lastSeen: '2026-11-04',
      timesSeen: 4,
    });
    const v1 = {
      format: 'vpdma-history',
      version: 1,
      buckets: [old('6b03782f', '2026-11-01'), old('d8a56658', '2026-11-02')],
    };
    writeFileSync(history, JSON.stringify(v1));
    run = await night(target, '4', out, history);
  }, 60_000);

  it('says so once, calls the bug open (exit 0), and writes version 2 keeping the old buckets', async () => {
    expect(run.err).toContain(
      `vpdma nightly: --history ${history}: version 1, written back as version 2`,
    );
    expect(run.err).toContain('its 2 buckets whose signature changed keep it');
    expect(run.code).toBe(0);
    expect(run.out).toContain('[open] out-param-mismatch in VideoPortStartDma');
    const f = findingsOf(out).find((x) => x.fn === 'VideoPortStartDma');
    expect(f).toMatchObject({ status: 'open', signature: 'out-param-mismatch/StartDma/a63cbecb' });
    const h = JSON.parse(readFileSync(history, 'utf8')) as {
      version: number;
      buckets: { signature: string; firstSeen: string; signatureScheme?: number }[];
    };
    expect(h.version).toBe(2);
    expect(h.buckets.map((b) => [b.signature, b.firstSeen, b.signatureScheme])).toEqual([
      ['out-param-mismatch/StartDma/6b03782f', '2026-11-01', 1],
      ['out-param-mismatch/StartDma/a63cbecb', '2026-11-01', undefined],
      ['out-param-mismatch/StartDma/d8a56658', '2026-11-02', 1],
    ]);
    // The next night reads version 2: no note.
    const next = await night(target, '5', out, history);
    expect(next.err).not.toContain('version 1');
    expect(next.code).toBe(0);
  }, 60_000);
});
