// What a night tells about each failure, end to end (the real CLI, a user's target module with
// the "NT4 compat" bug: MapDmaMemory clears both *VirtualAddress and *Length): every violation
// at a finding's failing call, in every report and the summary; each failing corpus trace, in
// the summary, with the command that minimizes it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellWord } from '../core/shellWord.js';
import { runCli, type CliRun } from '../../test/support/runCli.js';

const root = resolve(import.meta.dirname, '../..');
const TARGET = `module:${join(root, 'test/fixtures/nt4-compat-target.mjs')}`;
const dir = mkdtempSync(join(tmpdir(), 'vpdma-nightly-failures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LENGTH = /VideoPortMapDmaMemory wrote length: \d+ became 0/;
const VA = /VideoPortMapDmaMemory wrote virtualAddress: 0x[0-9a-f]+ became NULL/;

interface AtCall {
  kind: string;
  field?: string;
  message: string;
}
interface Finding {
  signature: string;
  message: string;
  trace: string;
  violationsAtCall?: AtCall[];
}

const read = (...p: string[]): string => readFileSync(join(...p), 'utf8');

describe('a nightly finding whose failing call shows two violations', () => {
  const out = join(dir, 'night');
  let night: CliRun;
  beforeAll(async () => {
    // One worker, as in every night here: a second per pool costs its start, not findings.
    const args = ['--runs', '60', '--workers', '1', '--out', out, '--quiet'];
    night = await runCli(['nightly', '--target', TARGET, ...args]);
  });

  it('keeps both, the one it is named after first, in finding.json and report.json', () => {
    expect(night.code).toBe(1);
    const report = JSON.parse(read(out, 'report.json')) as { findings: Finding[] };
    const f = report.findings.find((x) => x.signature.startsWith('map-dma-wrote-out-param/'));
    expect(f?.message).toMatch(LENGTH);
    expect(f?.violationsAtCall?.map((v) => v.field)).toEqual(['out.length', 'out.virtualAddress']);
    expect(f?.violationsAtCall?.[0]?.message).toBe(f?.message);
    expect(f?.violationsAtCall?.[1]?.message).toMatch(VA);
    const json = JSON.parse(read(out, f?.trace ?? '', '../finding.json')) as Finding;
    expect(json.violationsAtCall).toEqual(f?.violationsAtCall);
  });

  it('shows both in junit.xml, results.sarif and report.html', () => {
    const junit = read(out, 'junit.xml');
    const failure = junit.slice(junit.indexOf('<testcase classname="findings"'));
    expect(failure).toMatch(/\[new\] \(and 1 more at this call\)"/);
    expect(failure).toMatch(
      new RegExp(
        `also at call 0:\\n  map-dma-wrote-out-param \\(out\\.virtualAddress\\): ${VA.source}`,
      ),
    );
    const sarif = JSON.parse(read(out, 'results.sarif')) as {
      runs: { results: { message: { text: string }; partialFingerprints: object }[] }[];
    };
    const result = sarif.runs[0]?.results.find((r) => 'vpdmaSignature/v1' in r.partialFingerprints);
    expect(result?.message.text).toMatch(
      new RegExp(`Also at call 0: map-dma-wrote-out-param: ${VA.source}\\.`),
    );
    const html = read(out, 'report.html');
    expect(html).toContain('<p>All 2 violations at call 0:</p>');
    expect(html).toMatch(
      new RegExp(
        `<code>out\\.virtualAddress</code>\\): ${VA.source} <span class="rule">\\(rule: spec §4 invariant 5\\)</span></li>`,
      ),
    );
  });

  it('prints its message under it in the summary, its rule, and the other violation under that', () => {
    const lines = night.out.split('\n');
    const at = lines.findIndex((l) => l.startsWith('  [new] map-dma-wrote-out-param in '));
    expect(lines[at + 1]).toMatch(new RegExp(`^    ${LENGTH.source}$`));
    expect(lines[at + 2]).toBe('    (rule: spec §4 invariant 5)');
    expect(lines[at + 3]).toMatch(
      new RegExp(`^    also at call 0: map-dma-wrote-out-param: ${VA.source}$`),
    );
  });
  it('lists each failing corpus trace with the vpdma minimize command that shrinks it, which works', () => {
    const lines = night.out.split('\n');
    const at = lines.findIndex((l) => l.startsWith('corpus traces that failed ('));
    expect(at).toBe(lines.findIndex((l) => l.startsWith('corpus: ')) + 1);
    // The bundled trace by its corpus:NAME, in the headline as in the command under it.
    const i = lines.indexOf(
      `  [new] corpus:legacy-mapdma-flags.jsonl:13 (call 11): map-dma-wrote-out-param in VideoPortMapDmaMemory: VideoPortMapDmaMemory wrote length: 16777216 became 0`,
    );
    expect(i).toBeGreaterThan(at);
    const command = lines[i + 1]?.trim() ?? '';
    // The bundled trace by its corpus:NAME: the line works wherever vpdma is installed.
    expect(command).toBe(
      `vpdma minimize corpus:legacy-mapdma-flags.jsonl --kind map-dma-wrote-out-param --fn VideoPortMapDmaMemory --out legacy-mapdma-flags.min.txt --target ${TARGET} --timeout 1000`,
    );
    // Pasted into a shell elsewhere: the repro lands there, not in the corpus.
    const cwd = mkdtempSync(join(dir, 'paste-'));
    const vpdma = [process.execPath, join(root, 'bin/vpdma.js')].map(shellWord).join(' ');
    const line = `${vpdma}${command.slice('vpdma'.length)} --quiet --workers 1`;
    const run = spawnSync('sh', ['-c', line], { cwd, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(1);
    const repro = read(cwd, 'legacy-mapdma-flags.min.txt');
    // One call: the MapDmaMemory that wrote *Length.
    expect(repro.split('\n').filter((l) => /^\w/.test(l))).toEqual([
      expect.stringMatching(/^VideoPortMapDmaMemory\(/),
    ]);
    expect(existsSync(join(root, 'corpus/legacy-mapdma-flags.min.txt'))).toBe(false);
    // junit.xml's Reproduce lines name the bundled traces so too, never by this install's path.
    const junit = read(out, 'junit.xml');
    expect(junit).toContain('Reproduce: vpdma replay corpus:legacy-mapdma-flags.jsonl --target ');
    expect(junit).not.toContain(`Reproduce: vpdma replay ${join(root, 'corpus')}`);
  });
});

describe('vpdma merge of two such shards', () => {
  it('says the same in its summary: failing corpus traces with their command, messages', async () => {
    const shards = [1, 2].map((k) => join(dir, `shard-${k}`));
    for (const [i, out] of shards.entries()) {
      const shard = `${i + 1}/2`;
      const args = ['--runs', '60', '--workers', '1', '--shard', shard, '--out', out, '--quiet'];
      const night = await runCli(['nightly', '--target', TARGET, ...args]);
      expect(night.code, night.err).toBe(1);
    }
    const merged = join(dir, 'merged');
    const m = await runCli(['merge', ...shards, '--out', merged]);
    expect(m.code, m.err).toBe(1);
    const lines = m.out.split('\n');
    const at = lines.findIndex((l) => l.startsWith('corpus traces that failed ('));
    expect(at).toBe(lines.findIndex((l) => l.startsWith('corpus: ')) + 1);
    const i = lines.findIndex((l) =>
      l.startsWith(
        '  [new] corpus:legacy-mapdma-flags.jsonl:13 (call 11): map-dma-wrote-out-param ',
      ),
    );
    expect(lines[i + 1]).toBe(
      `    vpdma minimize corpus:legacy-mapdma-flags.jsonl --kind map-dma-wrote-out-param --fn VideoPortMapDmaMemory --out legacy-mapdma-flags.min.txt --target ${TARGET} --timeout 1000`,
    );
    const f = lines.findIndex((l) => l.startsWith('  [new] map-dma-wrote-out-param in '));
    expect(lines[f + 1]).toMatch(new RegExp(`^    ${LENGTH.source}$`));
    expect(lines[f + 2]).toBe('    (rule: spec §4 invariant 5)');
    expect(lines[f + 3]).toMatch(
      new RegExp(`^    also at call 0: map-dma-wrote-out-param: ${VA.source}$`),
    );
    const report = JSON.parse(read(merged, 'report.json')) as { findings: Finding[] };
    expect(report.findings[0]?.violationsAtCall).toHaveLength(2);
  });
});
