// `vpdma nightly` and `vpdma merge` end to end: the real CLI, the pools, the file system.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/support/chromium.js';
import { runCli, type CliRun } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-nightly-'));

const run = runCli;

interface Report {
  seed: string;
  findings: { signature: string; status: string; trace: string; reproText: string }[];
  corpus: { summary: { traces: number } };
  fuzz: { cases: number; series: unknown[] };
  violations: { kind: string; fn: string; callIndex: number; message: string; trace: string }[];
  interrupted: boolean;
  [k: string]: unknown;
}
const report = (out: string): Report =>
  JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;

/** The report minus what may differ between one machine and merged shards. */
function comparable(out: string): string {
  const r = report(out) as unknown as Record<string, unknown> & {
    fuzz: { series: unknown[] };
    fuzzDetail: Record<string, unknown> & { corpus: Record<string, unknown> };
  };
  for (const k of ['timing', 'startedAt', 'shard', 'shards', 'command', 'interrupted']) delete r[k];
  r.fuzz.series = [];
  for (const k of ['timing', 'shard', 'warnings']) delete r.fuzzDetail[k];
  delete r.fuzzDetail.corpus['dir'];
  return JSON.stringify(r).split(`${out}/`).join('OUT/');
}

const MUTANT = 'mutant:dodma-signals-event';
/** The --out of one of the merge test's runs (the next test reuses MUTANT's shard 1/2). */
const outOf = (target: string, run: string): string =>
  join(dir, `${target.replace(/\W/g, '-')}-${run}`);

// Nights counted in cases, with no clock in them: a test of several is seconds of CPU, and at
// load 30 on two cores minutes of wall time (60 s ran out under load).
describe('vpdma nightly', { timeout: 300_000 }, () => {
  it('runs on the defaults: corpus clean, all four reports, exit 0', async () => {
    const out = join(dir, 'defaults');
    const r = await run(['nightly', '--out', out, '--runs', '200', '--quiet']);
    expect(r.err).toMatch(/^vpdma nightly: seed=\d+\n/);
    expect(r.code).toBe(0);
    for (const f of ['report.json', 'junit.xml', 'results.sarif', 'report.html'])
      expect(existsSync(join(out, f)), f).toBe(true);
    const rep = report(out);
    expect(rep.corpus.summary.traces).toBeGreaterThanOrEqual(21);
    expect(rep.fuzz.cases).toBe(200);
    expect(rep.findings).toEqual([]);
    // junit.xml times the night and its suites in seconds, from report.json's timing.
    const t = rep['timing'] as Record<'wallMs' | 'replayMs' | 'fuzzMs' | 'minimizeMs', number>;
    const s = (ms: number): string => ` time="${(ms / 1000).toFixed(3)}">`;
    const xml = readFileSync(join(out, 'junit.xml'), 'utf8');
    for (const ms of [t.wallMs, t.replayMs, t.fuzzMs + t.minimizeMs]) expect(xml).toContain(s(ms));
  });

  it('finds a planted bug, reports it in every format, and replays it first on the next night', async () => {
    const out = join(dir, 'mutant');
    const history = join(dir, 'history.json');
    const night = (...more: string[]): Promise<CliRun> =>
      run([
        'nightly',
        '--out',
        out,
        '--runs',
        '150', // case 1 finds it; 600 cost 2.4 s more CPU a night
        '--target',
        MUTANT,
        ...['--workers', '1', '--history', history],
        ...more,
      ]);
    const first = await night('--quiet');
    expect(first.code).toBe(1);
    const rep = report(out);
    expect(rep.findings).toHaveLength(1);
    const f = rep.findings[0];
    if (f === undefined) throw new Error('no finding');
    expect(f.status).toBe('new');
    expect(existsSync(join(out, f.trace))).toBe(true);
    expect(
      rep.violations.some((v) => v.kind === 'object-state-changed' && v.fn === 'VideoPortDoDma'),
    ).toBe(true);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain(f.signature);
    expect(readFileSync(join(out, 'results.sarif'), 'utf8')).toContain(f.signature);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(
      f.signature.split('/').pop() ?? '',
    );
    // The next night: the repro is a regression trace now (replayed first), the finding is open.
    const second = await night('--fail-on', 'new', '--quiet');
    expect(second.code).toBe(0);
    const again = report(out);
    expect(again.findings.map((x) => x.status)).toEqual(['open']);
    expect(again.corpus.summary.traces).toBe(rep.corpus.summary.traces + 1);
    // A night too short for the fuzzer to find it (on copies: the HTML test reads `out`): its
    // repro still fails in the replay phase, so it is not fixed.
    const [out3, history3] = [join(dir, 'mutant-short'), join(dir, 'history-short.json')];
    cpSync(out, out3, { recursive: true });
    cpSync(history, history3);
    const short = await run([
      ...['nightly', '--out', out3, '--runs', '1', '--target', MUTANT, '--history', history3],
      ...['--workers', '1'], // as each night here but the defaults': a worker costs its start
      // The bundled corpus alone: its case 0 does not find it.
      ...['--corpus', join(dir, 'short-corpus')],
    ]);
    expect(short.code).toBe(1); // the corpus (the repro) has a violation
    expect(report(out3).findings).toEqual([]);
    expect(report(out3)['fixed']).toEqual([]);
    // ... it is seen (the third time), and said so.
    const signature = rep.findings[0]?.signature ?? '';
    expect(report(out3)['stillFailing']).toEqual([signature]);
    expect(short.out).toContain(`[still failing] ${signature}: its regression repro`);
    const h3 = JSON.parse(readFileSync(history3, 'utf8')) as { buckets: { timesSeen: number }[] };
    expect(h3.buckets.map((b) => b.timesSeen)).toEqual([3]);
    expect(readFileSync(history3, 'utf8')).not.toContain('fixedSince');
    // A night in a fresh --out has no repro to replay: it cannot call the finding fixed.
    const history4 = join(dir, 'history-fresh.json');
    cpSync(history, history4);
    const fresh = await run([
      ...['nightly', '--out', join(dir, 'mutant-fresh'), '--runs', '1', '--target', MUTANT],
      ...['--corpus', join(dir, 'short-corpus'), '--history', history4, '--quiet'],
      ...['--workers', '1'],
    ]);
    expect(fresh.code).toBe(1); // two bundled traces show the planted bug: seen, not fixed
    expect(report(join(dir, 'mutant-fresh'))).toMatchObject({ findings: [], fixed: [] });
    const h4 = readFileSync(history4, 'utf8');
    expect([h4.match(/"timesSeen": 3/g)?.length, h4.includes('fixedSince')]).toEqual([1, false]);
    expect(h4).toMatch(/"traces": \[\n.*lockpages\.jsonl",\n.*packets\.jsonl"\n/);
  });

  // bytes-used-remembered at 200 cases: the finding's two cases fall in different shards.
  it.each([
    [MUTANT, '600'],
    ['mutant:bytes-used-remembered', '200'],
  ])('merging two shards of %s gives what one machine writes', async (target, runs) => {
    const args = ['--runs', runs, '--target', target, '--workers', '1', '--quiet'];
    const whole = outOf(target, 'whole');
    const s1 = outOf(target, 's1');
    const s2 = outOf(target, 's2');
    const merged = outOf(target, 'merged');
    expect((await run(['nightly', '--out', whole, ...args])).code).toBe(1);
    expect((await run(['nightly', '--out', s1, '--shard', '1/2', ...args])).code).toBe(1);
    expect((await run(['nightly', '--out', s2, '--shard', '2/2', ...args])).code).toBe(1);
    // The shards given in either order: the result is the same.
    const given = target === MUTANT ? [s1, s2] : [s2, s1];
    expect((await run(['merge', ...given, '--out', merged])).code).toBe(1);
    expect(comparable(merged)).toBe(comparable(whole));
    expect(readdirSync(join(merged, 'corpus')).sort()).toEqual(
      readdirSync(join(whole, 'corpus')).sort(),
    );
    for (const f of ['junit.xml', 'results.sarif', 'report.html'])
      expect(existsSync(join(merged, f)), f).toBe(true);
    // Each finding's own files too: finding.json points into the merged --out, not a shard's;
    // its original (the case as it ran) is the shard's that found it.
    const findingFiles = (out: string): string[] =>
      report(out).findings.flatMap((f) => [
        readFileSync(join(out, dirname(f.trace), 'finding.json'), 'utf8')
          .split(out)
          .join('OUT'),
        readFileSync(join(out, dirname(f.trace), 'original.vpt')).toString('base64'),
      ]);
    expect(findingFiles(merged).length).toBeGreaterThan(0);
    expect(findingFiles(merged)).toEqual(findingFiles(whole));
    if (target !== MUTANT) return;
    // Merged again into the same --out, which holds a finding of some earlier run: said so.
    mkdirSync(join(merged, 'findings', 'memory-corrupted', 'MapDmaMemory', 'deadbeef'), {
      recursive: true,
    });
    const again = await run(['merge', ...given, '--out', merged]);
    expect(again.code).toBe(1);
    expect(again.err).toContain(
      `vpdma merge: ${merged}/findings holds 1 finding(s) this merge did not write (memory-corrupted/MapDmaMemory/deadbeef)`,
    );
    expect(comparable(merged)).toBe(comparable(whole));
  });

  it('refuses to merge shards of different runs', async () => {
    const other = join(dir, 'other-seed');
    await run([
      ...['nightly', '--out', other, '--runs', '50', '--target', MUTANT, '--seed', '7'],
      ...['--shard', '2/2', '--workers', '1', '--quiet'],
    ]);
    const r = await run(['merge', outOf(MUTANT, 's1'), other, '--out', join(dir, 'bad-merge')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/vpdma: merge: .* has seed "7", .* has "\d+": not shards of one run/);
    // The same seed, runs and target, but shard 2/2 started from one more corpus entry.
    const extra = join(dir, 'extra-corpus');
    mkdirSync(extra);
    writeFileSync(join(extra, 'one.jsonl'), readFileSync(join('corpus', 'events.jsonl')));
    const grown = join(dir, 'grown-base');
    const args = ['--runs', '600', '--target', MUTANT, '--workers', '1', '--quiet'];
    await run(['nightly', '--out', grown, '--shard', '2/2', '--corpus', extra, ...args]);
    const b = await run(['merge', outOf(MUTANT, 's1'), grown, '--out', join(dir, 'bad-merge-2')]);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(
      /vpdma: merge: .*grown-base started from a different base corpus than .* \(24 against 23 traces\): not shards of one run; give every shard the same --corpus\n$/,
    );
    // A fuzz shard is not a nightly shard; a report of another schema version is refused.
    const fuzzShard = join(dir, 'fuzz-shard');
    await run([
      ...['fuzz', '--runs', '10', '--shard', '1/2', '--workers', '1', '--out', fuzzShard],
      '--quiet',
    ]);
    const f = await run(['merge', fuzzShard, '--out', join(dir, 'bad-merge-3')]);
    expect([f.code, f.err]).toEqual([
      2,
      `vpdma: ${join(fuzzShard, 'report.json')}: the report of vpdma fuzz, not of vpdma nightly: merge combines the shards of \`vpdma nightly --shard K/N\`\n`,
    ]);
    const future = join(dir, 'future-shard');
    cpSync(outOf(MUTANT, 's1'), future, { recursive: true });
    const text = readFileSync(join(future, 'report.json'), 'utf8');
    writeFileSync(
      join(future, 'report.json'),
      text.replace('"schemaVersion": 1', '"schemaVersion": 9'),
    );
    const v = await run(['merge', future, '--out', join(dir, 'bad-merge-4')]);
    expect(v.code).toBe(2);
    expect(v.err).toMatch(
      /report schema version 9 is not supported \(this vpdma reads version 1\)\n$/,
    );
  });

  it('merge checks every shard file before writing any, and names a missing or corrupt one', async () => {
    // Copies of the merge test's shards, one finding file broken in each way.
    for (const [broken, expected] of [
      ['missing', /repro\.vpt is missing: copy each shard's whole --out directory\n$/],
      ['corrupt', /finding\.json: cannot read \(.*JSON.*\)\n$/],
      ['null', /finding\.json: not a finding \(not a JSON object\)\n$/],
    ] as const) {
      const copies = ['s1', 's2'].map((n) => {
        const to = join(dir, `${broken}-${n}`);
        cpSync(outOf(MUTANT, n), to, { recursive: true });
        return to;
      });
      // Broken in every shard that holds a finding (the merge takes it from the earliest case).
      for (const c of copies)
        for (const f of report(c).findings) {
          const files = join(c, 'findings', ...f.signature.split('/'));
          if (broken === 'missing') rmSync(join(files, 'repro.vpt'));
          else writeFileSync(join(files, 'finding.json'), broken === 'null' ? 'null' : '{bad');
        }
      const out = join(dir, `${broken}-merged`);
      const r = await run(['merge', ...copies, '--out', out]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(expected);
      expect(existsSync(out), 'no --out made').toBe(false);
    }
  });

  it('merge refuses a shard report with a damaged field, in one line, writing nothing', async () => {
    // Fields a hand edit or a damaged download could null or retype; each crashed merge halfway.
    const damage: [string, unknown][] = [
      ['corpus', null],
      ['corpus.traces', 'x'],
      ['timing', null],
      ['fuzzDetail.shard', null],
      ['fuzzDetail.corpus', null],
      ['fuzzDetail.corpus.keptFiles', 'x'],
      ['fuzzDetail.groups', null],
      ['fuzzDetail.findings', null],
      ['fuzzDetail.timing', null],
    ];
    for (const [i, [field, value]] of damage.entries()) {
      const bad = join(dir, `damaged-${i}`);
      cpSync(outOf(MUTANT, 's2'), bad, { recursive: true });
      const file = join(bad, 'report.json');
      const r = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      const path = field.split('.');
      const last = path.pop() ?? '';
      const parent = path.reduce((o, k) => o[k] as Record<string, unknown>, r);
      parent[last] = value;
      writeFileSync(file, JSON.stringify(r));
      const out = join(dir, `damaged-${i}-merged`);
      const got = await run(['merge', outOf(MUTANT, 's1'), bad, '--out', out]);
      expect(got.code, field).toBe(2);
      expect(got.err, field).toMatch(
        /^vpdma: .*damaged-\d+\/report\.json: not a well-formed vpdma nightly report: [^\n]*\n$/,
      );
      expect(existsSync(out), field).toBe(false);
    }
  });

  it('merge refuses to write into one of its shards', async () => {
    const s1 = join(dir, 'into-s1');
    cpSync(outOf(MUTANT, 's1'), s1, { recursive: true });
    const before = readFileSync(join(s1, 'report.json'), 'utf8');
    const r = await run(['merge', s1, outOf(MUTANT, 's2'), '--out', `${s1}/`]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out .* is one of the shards/);
    expect(readFileSync(join(s1, 'report.json'), 'utf8')).toBe(before);
  });

  it('merge exits as one machine does when the corpus had a damaged trace', async () => {
    const traces = join(dir, 'merge-damaged-corpus');
    mkdirSync(traces);
    writeFileSync(
      join(traces, 'trunc.jsonl'),
      `${readFileSync(join('corpus', 'events.jsonl'), 'utf8')}{"fn":`,
    );
    const args = ['--replay', traces, '--runs', '20', '--workers', '1', '--quiet'];
    const shards = ['1/2', '2/2'].map((k) => join(dir, `md-${k.replace('/', '-')}`));
    for (const [i, k] of ['1/2', '2/2'].entries())
      expect((await run(['nightly', '--out', shards[i] ?? '', '--shard', k, ...args])).code).toBe(
        2,
      );
    const merged = await run([
      'merge',
      ...shards,
      '--out',
      join(dir, 'md-merged'),
      '--fail-on',
      'none',
    ]);
    expect(merged.code).toBe(2);
  });

  it('writes an HTML report that loads in headless Chromium without errors and shows the finding', async () => {
    const out = join(dir, 'mutant');
    const page = pathToFileURL(join(out, 'report.html')).href;
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS],
    });
    try {
      const p = await browser.newPage();
      const errors: string[] = [];
      p.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
      p.on('pageerror', (e) => void errors.push(e.message));
      await p.goto(page);
      expect(errors).toEqual([]);
      const f = report(out).findings[0];
      await expect(
        p
          .getByText(f?.signature ?? 'missing', { exact: false })
          .first()
          .isVisible(),
      ).resolves.toBe(true);
    } finally {
      await browser.close();
    }
  });
});
