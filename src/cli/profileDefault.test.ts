// fuzz and nightly without --profile: each trace replays under its header's profile and each
// fuzz case under its base trace's, so the reports say so ("per trace header", as replay's),
// and no reproduce command adds a --profile the run did not use; merge still compares them.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROFILE_PER_TRACE } from '../replay/runIdentity.js';
import { runCli as run } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-profile-default-'));
const replayDir = join(dir, 'rx');
const trace = join(replayDir, 'ra.jsonl');
const common = ['--target', 'model:reactos', '--runs', '10', '--workers', '1', '--quiet'];

interface Report {
  profile: string;
  findings: { command: string; kind: string; trace: string }[];
  corpus: { violations: Violation[] };
  violations: Violation[];
  fuzzDetail: { timeoutMs: number };
}
const readReport = (file: string): Report => JSON.parse(readFileSync(file, 'utf8')) as Report;
const report = (out: string): Report => readReport(join(out, 'report.json'));
const reproduceLines = (out: string): string[] =>
  readFileSync(join(out, 'junit.xml'), 'utf8').match(/Reproduce: [^&<\n]*/g) ?? [];
type Violation = { kind: string; fn: string; callIndex: number };
const where = (vs: readonly Violation[]): string[] =>
  vs.map((v) => `${v.kind} ${v.fn} ${v.callIndex}`);

beforeAll(() => {
  // A captured trace whose header says reactos: its recorded answers are the docs oracle's.
  mkdirSync(replayDir);
  const text = readFileSync('corpus/divergence-answers.jsonl', 'utf8');
  writeFileSync(trace, text.replace('"profile":"docs"', '"profile":"reactos"'));
});

describe('nightly without --profile', () => {
  it('records "per trace header" and reproduces each corpus failure with the command it prints', async () => {
    const out = join(dir, 'night');
    const r = await run(['nightly', '--replay', replayDir, '--out', out, ...common]);
    expect(r.code, r.err).toBe(1);
    expect(report(out).profile).toBe(PROFILE_PER_TRACE);
    const lines = reproduceLines(out);
    expect(lines.length).toBeGreaterThan(0);
    // With the night's --timeout, as its summary gives it.
    const timeout = String(report(out).fuzzDetail.timeoutMs);
    for (const line of lines)
      expect(line).toBe(
        `Reproduce: vpdma replay ${trace} --target model:reactos --timeout ${timeout}`,
      );
    for (const f of report(out).findings) expect(f.command).not.toContain('--profile');
    // The printed command gives what the night saw: the reactos oracle's recorded-mismatches.
    const json = join(dir, 'again.json');
    const again = await run([
      'replay',
      trace,
      '--target',
      'model:reactos',
      '--json',
      json,
      '--quiet',
    ]);
    expect(again.code).toBe(1);
    const seen = where(report(out).corpus.violations);
    expect(seen.length).toBeGreaterThan(0);
    expect(where(readReport(json).violations)).toEqual(seen);
  });

  it('with --profile docs records it and puts it in every reproduce command', async () => {
    const out = join(dir, 'night-docs');
    const r = await run([
      'nightly',
      '--replay',
      replayDir,
      '--out',
      out,
      '--profile',
      'docs',
      ...common,
    ]);
    expect(r.code, r.err).toBe(1);
    expect(report(out).profile).toBe('docs');
    const lines = reproduceLines(out);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/ --profile docs --timeout \d+$/);
  });
});

describe('fuzz without --profile', () => {
  it('records "per trace header" and prints finding commands without --profile', async () => {
    const out = join(dir, 'fuzz');
    const args = ['--target', 'mutant:unmapdma-tears-down-view', '--runs', '30', '--workers', '1'];
    const r = await run(['fuzz', '--out', out, ...args, '--quiet']);
    expect(r.code, r.err).toBe(1);
    const rep = report(out);
    expect(rep.profile).toBe(PROFILE_PER_TRACE);
    expect(rep.findings.length).toBeGreaterThan(0);
    for (const f of rep.findings) expect(f.command).not.toContain('--profile');
    expect(r.out).toContain(`oracle profile ${PROFILE_PER_TRACE}`);
  });
});

describe('fuzz cases grown from a reactos trace, without --profile', () => {
  it("record the repro's profile in finding.json, and its command reproduces the finding", async () => {
    const corpus = join(dir, 'rx-corpus');
    mkdirSync(corpus);
    writeFileSync(join(corpus, 'ra.jsonl'), readFileSync(trace));
    const out = join(dir, 'fuzz-rx');
    const args = ['--target', 'model:docs', '--corpus', corpus, '--runs', '100', '--workers', '1'];
    const r = await run(['fuzz', '--out', out, ...args, '--quiet']);
    expect(r.code, r.err).toBe(1);
    const rep = report(out);
    expect(rep.profile).toBe(PROFILE_PER_TRACE);
    const f = rep.findings.find((x) => x.kind === 'inert-return-mismatch');
    if (f === undefined) throw new Error(`no inert-return-mismatch: ${r.out}`);
    const header = JSON.parse(readFileSync(f.trace, 'utf8').split('\n')[0] ?? '') as Report;
    expect(header.profile).toBe('reactos');
    const json = readReport(join(dirname(f.trace), 'finding.json'));
    expect(json.profile).toBe('reactos');
    expect(f.command).not.toContain('--profile');
    const [, , repro = '', ...rest] = f.command.split(' ');
    const again = await run(['replay', repro, ...rest, '--quiet']);
    expect(again.code).toBe(1);
    expect(again.out).toContain('inert-return-mismatch');
  });
});

describe('merge of shards run without --profile', () => {
  const shard = (k: number, extra: string[] = []): string[] => [
    'nightly',
    '--out',
    join(dir, `s${k}${extra.join('')}`),
    '--shard',
    `${k}/2`,
    '--target',
    'model',
    '--runs',
    '20',
    '--workers',
    '1',
    '--quiet',
    ...extra,
  ];

  it('merges them as "per trace header", and refuses one run with --profile docs among them', async () => {
    for (const k of [1, 2]) expect((await run(shard(k))).code).toBe(0);
    expect((await run(shard(2, ['--profile', 'docs']))).code).toBe(0);
    const merged = join(dir, 'merged');
    const m = await run(['merge', join(dir, 's1'), join(dir, 's2'), '--out', merged]);
    expect(m.code, m.err).toBe(0);
    expect(report(merged).profile).toBe(PROFILE_PER_TRACE);
    const mixed = await run([
      'merge',
      join(dir, 's1'),
      join(dir, 's2--profiledocs'),
      '--out',
      join(dir, 'mixed'),
    ]);
    expect(mixed.code).toBe(2);
    expect(mixed.err).toMatch(
      /has profile "docs", .* has "per trace header": not shards of one run/,
    );
  });
});
