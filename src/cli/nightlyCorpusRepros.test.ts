// A night minimizes its failing corpus traces as it minimizes its findings: the shortest trace
// of each kind and function of the first violation, into OUT/corpus-repros, in report.json,
// the summary and report.html; the same repros for any --workers and for shards merged; and
// when --minimize-time is spent, it says so and keeps the `vpdma minimize` commands. Real
// nights against the "NT4 compat" module target (dist/ built).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellWord } from '../core/shellWord.js';
import { corpusOwner } from './corpusMinimizePlan.js';
import { runCli, type CliRun } from '../../test/support/runCli.js';

const root = resolve(import.meta.dirname, '../..');
const TARGET = `module:${join(root, 'test/fixtures/nt4-compat-target.mjs')}`;
const dir = mkdtempSync(join(tmpdir(), 'vpdma-nightly-corpus-repros-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Captures whose GetBytesUsed recorded 5 where the oracle says 0: a recorded-mismatch whatever
// the target. short.txt is the shorter of the two.
const HEAD = '#! vpdma-trace v1 profile=docs\n';
const SET = (n: number): string =>
  `VideoPortSetBytesUsed(hwDeviceExtension=0xffffe00000001000, pDma=0x0, bytesUsed=${n})\n`;
const GET = 'VideoPortGetBytesUsed(hwDeviceExtension=0xffffe00000001000, pDma=0x0) -> 0x5\n';
const rec = join(dir, 'rec');
const [short, long] = [join(rec, 'short.txt'), join(rec, 'long.txt')];
const bundled = (name: string): string => join(root, 'corpus', name);
const MAP = 'map-dma-wrote-out-param/VideoPortMapDmaMemory';
const RECORDED = 'recorded-mismatch/VideoPortGetBytesUsed';

interface Repro {
  signature: string;
  violationSignature?: string;
  from: string;
  fromCalls: number;
  trace: string;
  reproCalls: number;
  callIndex: number;
  reproduced: boolean;
  exhausted: boolean;
  command: string;
  reproText: string;
}
interface Report {
  corpus: {
    repros?: Repro[];
    minimizeStoppedBy?: string;
    minimizeLeft?: number;
    violations: { trace: string; signature?: string }[];
    traces: { trace: string; traceId?: string }[];
  };
}
const report = (out: string): Report =>
  JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;

const night = (out: string, ...more: string[]): Promise<CliRun> =>
  runCli([
    'nightly',
    ...['--target', TARGET, '--replay', 'bundled', '--replay', rec, '--runs', '20'],
    ...['--out', out, '--quiet', ...more],
  ]);

/** The line under the summary line of `trace`'s first violation. */
const under = (run: CliRun, trace: string): string | undefined => {
  const lines = run.out.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`  [new] ${trace}:`));
  expect(at, run.out).toBeGreaterThan(0);
  return lines[at + 1];
};

beforeAll(() => {
  mkdirSync(rec);
  writeFileSync(short, `${HEAD}${SET(4096)}${GET}`);
  writeFileSync(long, `${HEAD}${SET(16)}${SET(32)}${SET(4096)}${GET}`);
});

describe('a night whose corpus traces fail in two ways', () => {
  const out = join(dir, 'two-workers');
  let run: CliRun;
  beforeAll(async () => {
    run = await night(out, '--workers', '2');
    expect(run.code, run.err).toBe(1);
  });

  it('minimizes the shortest trace of each kind and function into OUT/corpus-repros', () => {
    const repros = report(out).corpus.repros ?? [];
    expect(repros.map((x) => [x.signature, x.from, x.reproCalls])).toEqual([
      [MAP, bundled('legacy-lockpages.jsonl'), 1],
      [RECORDED, short, 1],
    ]);
    expect(report(out).corpus.minimizeStoppedBy).toBeUndefined();
    const [map, recorded] = repros;
    expect(recorded).toMatchObject({
      fromCalls: 2,
      trace: 'corpus-repros/recorded-mismatch/GetBytesUsed/repro.jsonl',
      callIndex: 0,
      reproduced: true,
      exhausted: false,
    });
    expect(map?.trace).toBe('corpus-repros/map-dma-wrote-out-param/MapDmaMemory/repro.jsonl');
    // Each corpus entry's traceId: the bundled corpus as corpus:NAME, the user's as replayed.
    const ids = new Map(report(out).corpus.traces.map((t) => [t.trace, t.traceId]));
    expect([ids.get(bundled('legacy-lockpages.jsonl')), ids.get(short)]).toEqual([
      'corpus:legacy-lockpages.jsonl',
      short,
    ]);
    // Its violationSignature is the key its trace's replayed violation has (report-json.md).
    const violations = report(out).corpus.violations;
    for (const x of repros)
      expect(violations.filter((v) => v.trace === x.from).map((v) => v.signature)).toContain(
        x.violationSignature,
      );
    expect(
      repros.every((x) =>
        x.violationSignature?.startsWith(`${x.signature.replace('/VideoPort', '/')}/`),
      ),
    ).toBe(true);
    for (const x of repros)
      for (const ext of ['jsonl', 'txt', 'vpt'])
        expect(existsSync(join(out, x.trace.replace(/jsonl$/, ext)))).toBe(true);
    // The repro says what it was minimized from, as vpdma minimize's do: a later night does
    // not minimize it again.
    const text = readFileSync(join(out, recorded?.trace.replace(/jsonl$/, 'txt') ?? ''), 'utf8');
    expect(text).toBe(recorded?.reproText);
    expect(text).toContain(
      '#! meta {"minimized":{"from":"short.txt","calls":2,"kind":"recorded-mismatch","fn":"VideoPortGetBytesUsed"}}',
    );
    expect(text).toMatch(/^VideoPortGetBytesUsed\(.*\) -> 5$/m);
  });

  it('puts each repro under the trace it came from in the summary; the others keep vpdma minimize', () => {
    const repro = join(out, 'corpus-repros/recorded-mismatch/GetBytesUsed/repro.jsonl');
    const command = `vpdma replay ${repro} --target ${TARGET} --timeout 1000 --explain`;
    expect(under(run, short)).toBe(`    minimized to 1 call: ${command}`);
    expect(report(out).corpus.repros?.[1]?.command).toBe(command);
    // A bundled trace's headline names it corpus:NAME, as the command under it does.
    expect(under(run, 'corpus:legacy-lockpages.jsonl')).toMatch(
      /^ {4}minimized to 1 call: vpdma replay .*\/corpus-repros\/map-dma-wrote-out-param\/MapDmaMemory\/repro\.jsonl /,
    );
    expect(under(run, long)).toMatch(/^ {4}vpdma minimize .*long\.txt --kind recorded-mismatch /);
    expect(under(run, 'corpus:legacy-mapdma-flags.jsonl')).toMatch(
      /^ {4}vpdma minimize .*legacy-mapdma-flags\.jsonl --kind /,
    );
    expect(run.err).toContain(`vpdma nightly: corpus repro ${RECORDED}: 1 call (from ${short})\n`);
    // The command replays the repro call by call, failing as the trace did.
    const vpdma = [process.execPath, join(root, 'bin/vpdma.js')].map(shellWord).join(' ');
    const replay = spawnSync('sh', ['-c', `${vpdma}${command.slice('vpdma'.length)}`], {
      encoding: 'utf8',
    });
    expect(replay.status, replay.stderr).toBe(1);
    expect(replay.stdout).toContain('VIOLATION recorded-mismatch');
  });

  it('lists them in report.html, with where each came from', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<h3>Repros minimized from corpus traces (2)</h3>');
    expect(html).toContain(
      '<a href="corpus-repros/recorded-mismatch/GetBytesUsed/repro.jsonl">corpus-repros/recorded-mismatch/GetBytesUsed/repro.jsonl</a>',
    );
    expect(html).toContain(`<a href="../rec/short.txt">${short}</a> (2 calls)`);
    expect(html).toMatch(/<mark title="failing call">VideoPortGetBytesUsed\(/);
  });

  it('makes the same repros with one worker, and sharded: each by one shard, merged as one', async () => {
    const one = join(dir, 'one-worker');
    expect((await night(one, '--workers', '1')).code).toBe(1);
    const files = (o: string): string[] =>
      (report(o).corpus.repros ?? []).map((x) => readFileSync(join(o, x.trace), 'utf8'));
    const strip = (o: string): Omit<Repro, 'command'>[] =>
      (report(o).corpus.repros ?? []).map(({ command: _command, ...x }) => x);
    expect(strip(one)).toEqual(strip(out));
    expect(files(one)).toEqual(files(out));
    const shards = [1, 2].map((k) => join(dir, `shard-${k}`));
    // One worker each: a second per pool costs a night about 0.6 s of CPU (nightlyArgs.ts).
    for (const [i, s] of shards.entries())
      expect((await night(s, '--workers', '1', '--shard', `${i + 1}/2`)).code).toBe(1);
    // Each signature minimized by its owner alone.
    for (const [i, s] of shards.entries())
      expect((report(s).corpus.repros ?? []).map((x) => x.signature)).toEqual(
        [MAP, RECORDED].filter((sig) => corpusOwner(sig, 2) === i),
      );
    const merged = join(dir, 'merged');
    const m = await runCli(['merge', ...shards, '--out', merged]);
    expect(m.code, m.err).toBe(1);
    expect(strip(merged)).toEqual(strip(out));
    expect(files(merged)).toEqual(files(out));
    expect(report(merged).corpus.repros?.[1]?.command).toBe(
      `vpdma replay ${join(merged, 'corpus-repros/recorded-mismatch/GetBytesUsed/repro.jsonl')} --target ${TARGET} --timeout 1000 --explain`,
    );
    expect(under(m, short)).toMatch(
      /^ {4}minimized to 1 call: vpdma replay .*merged\/corpus-repros\//,
    );
  });
});

describe('a night whose findings spent --minimize-time', () => {
  it('minimizes no corpus trace, says so as for the findings, and keeps every vpdma minimize command', async () => {
    const out = join(dir, 'spent');
    const run = await night(out, '--workers', '1', '--minimize-time', '1ms');
    expect(run.code, run.err).toBe(1);
    // Both traces it was to minimize (one per kind and function) left.
    expect(report(out).corpus).toMatchObject({ minimizeStoppedBy: 'time', minimizeLeft: 2 });
    expect(report(out).corpus.repros).toBeUndefined();
    expect(existsSync(join(out, 'corpus-repros'))).toBe(false);
    expect(run.out).toContain(
      'minimization stopped: --minimize-time 1ms spent; 2 failing corpus traces left reported not minimized (each with its vpdma minimize command)\n',
    );
    for (const trace of [short, long, 'corpus:legacy-lockpages.jsonl'])
      expect(under(run, trace)).toMatch(/^ {4}vpdma minimize /);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(
      '<p>Minimizing the failing corpus traces stopped (<code>--minimize-time</code> spent): 2 failing traces left not minimized (each keeps its <code>vpdma minimize</code> command).</p>',
    );
  });
});
