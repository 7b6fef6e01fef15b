// `vpdma nightly` refusing bad usage and bad input, before any work or naming the place.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayDirs } from './nightlyPlan.js';
import { runCli } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-nightly-input-'));
const run = runCli;
const report = (out: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Record<string, unknown>;

describe('vpdma nightly on bad usage and input', () => {
  it('refuses an unwritable --out, a bad --shard and a corrupted --history before doing any work', async () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const asRoot = process.getuid?.() === 0; // root writes anyway: use a path under a file instead
    const out = asRoot ? join(dir, 'a-file', 'out') : join(locked, 'out');
    writeFileSync(join(dir, 'a-file'), 'not a directory');
    const r = await run(['nightly', '--out', out, '--runs', '10', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/vpdma: --out .*: not writable/);
    const s = await run(['nightly', '--out', join(dir, 's'), '--shard', '3/2', '--quiet']);
    expect(s.code).toBe(2);
    expect(s.err).toMatch(/^vpdma: --shard: expected K\/N/m);
    const history = join(dir, 'broken-history.json');
    writeFileSync(history, '{"format":"vpdma-history","version":1,"buckets":[{"oops":1}]}');
    const h = await run([
      'nightly',
      '--out',
      join(dir, 'h'),
      '--runs',
      '10',
      '--history',
      history,
      '--quiet',
    ]);
    expect(h.code).toBe(2);
    expect(h.err).toMatch(/vpdma: --history: /);
    expect(readFileSync(history, 'utf8')).toBe(
      '{"format":"vpdma-history","version":1,"buckets":[{"oops":1}]}',
    );
    expect(existsSync(join(dir, 'h')), 'nothing made').toBe(false);
    // A --history or --json naming a file the run writes would replace one with the other.
    const clash = join(dir, 'clash');
    for (const [extra, message] of [
      [
        ['--history', join(clash, 'report.json')],
        `--history ${join(clash, 'report.json')}: is report.json, which this run writes; give another file`,
      ],
      [
        ['--history', join(dir, 'hj.json'), '--json', join(dir, 'hj.json')],
        `--history ${join(dir, 'hj.json')}: is --json, which this run writes; give another file`,
      ],
      [
        ['--json', join(clash, 'junit.xml')],
        `--json ${join(clash, 'junit.xml')}: is junit.xml, which this run writes; give another file`,
      ],
    ] as const) {
      const c = await run(['nightly', '--out', clash, '--runs', '5', ...extra, '--quiet']);
      expect([c.code, c.err]).toEqual([2, `vpdma: ${message}\n`]);
    }
  });

  it('refuses a --json or --history that is a trace it replays (or links to one) or is in the corpus', async () => {
    const captures = join(dir, 'captures');
    mkdirSync(captures);
    const trace = join(captures, 'legacy-mapdma-flags.jsonl');
    const original = readFileSync(join('corpus', 'legacy-mapdma-flags.jsonl'), 'utf8');
    writeFileSync(trace, original);
    symlinkSync(trace, join(dir, 'link.jsonl'));
    const out = join(dir, 'reports-apart');
    // An earlier night's finding: its repro is replayed first, so it is an input too.
    const repro = join(out, 'findings', 'k', 'Fn', '0123abcd', 'repro.jsonl');
    mkdirSync(dirname(repro), { recursive: true });
    writeFileSync(repro, original);
    const isTrace = (flag: string, path: string): string =>
      `vpdma: ${flag} ${path}: is one of the traces to replay; give another file\n`;
    for (const [extra, message] of [
      [['--json', trace], isTrace('--json', trace)],
      [['--json', join(dir, 'link.jsonl')], isTrace('--json', join(dir, 'link.jsonl'))],
      [['--history', trace], isTrace('--history', trace)],
      [['--json', repro], isTrace('--json', repro)],
      [
        ['--json', join(out, 'corpus', 'r.jsonl')],
        `vpdma: --json ${join(out, 'corpus', 'r.jsonl')}: is in the corpus directory ${join(out, 'corpus')}, which every later run reads; give another file\n`,
      ],
      [
        ['--json', join(captures, 'tonight.jsonl')],
        `vpdma: --json ${join(captures, 'tonight.jsonl')}: is named like a trace in ${captures}, which is replayed: the next run would read the report as a trace; give another name\n`,
      ],
    ] as const) {
      const r = await run(['nightly', '--replay', captures, '--out', out, '--runs', '5', ...extra]);
      expect([r.code, r.err]).toEqual([2, message]);
    }
    expect(readFileSync(trace, 'utf8')).toBe(original);
    expect(readFileSync(repro, 'utf8')).toBe(original);
    expect(existsSync(join(out, 'corpus')), 'refused before any directory is made').toBe(false);
  });

  it('refuses --runs with --time, as fuzz does, and blames VPDMA_SEED for a bad seed it gave', async () => {
    const both = await run(['nightly', '--out', join(dir, 'both'), '--runs', '5', '--time', '5s']);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/^vpdma: --runs and --time: give one budget, not both$/m);
    process.env['VPDMA_SEED'] = 'x!';
    try {
      const bad = await run(['nightly', '--out', join(dir, 'seed'), '--runs', '5', '--quiet']);
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(/^vpdma: VPDMA_SEED: expected a decimal number .*got "x!"$/m);
      process.env['VPDMA_SEED'] = ''; // empty: as if unset, the fixed default
      const empty = await run(['nightly', '--out', join(dir, 'seed'), '--runs', '5', '--quiet']);
      expect(empty.code).toBe(0);
      expect(empty.out).toMatch(/seed=20261128/);
    } finally {
      delete process.env['VPDMA_SEED'];
    }
  });

  it('names unreadable and damaged replay traces on stderr, with line and reason, and exits 2', async () => {
    const traces = join(dir, 'damaged-corpus');
    mkdirSync(traces);
    const header = '{"format":"vpdma-trace","version":1}';
    writeFileSync(join(traces, 'trunc.jsonl'), `${header}\n{"fn":`);
    writeFileSync(join(traces, 'wrong.jsonl'), `${header}\n{"fn":"VideoPortNoSuchCall"}\n`);
    const out = join(dir, 'nr');
    const r = await run(['nightly', '--replay', traces, '--out', out, '--runs', '5']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^vpdma: .*trunc\.jsonl:2: truncated: .*invalid JSON.*: damaged;/m);
    expect(r.err).toMatch(/^vpdma: .*wrong\.jsonl:2: .*VideoPortNoSuchCall/m);
    expect(r.out).toMatch(/1 unreadable, 1 damaged \(replayed up to the damage\)/);
    const traceEntries = (report(out).corpus as { traces: Record<string, unknown>[] }).traces;
    expect(traceEntries.map((t) => [t['outcome'], typeof t['damage']])).toEqual([
      ['pass', 'string'],
      ['invalid', 'undefined'],
    ]);
  });

  it('skips an empty --replay directory beside others with a warning', async () => {
    const empty = join(dir, 'no-captures-tonight');
    mkdirSync(empty);
    const out = join(dir, 'ne');
    const r = await run(['nightly', '--replay', 'corpus', empty, '--out', out, '--runs', '5']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(
      `vpdma nightly: --replay ${empty}: no trace files (.jsonl, .vpt, .txt, or those .gz) in this directory; skipped\n`,
    );
    expect((report(out).corpus as { traces: unknown[] }).traces).toHaveLength(23);
  });

  it('replays the bundled corpus beside a --replay directory when told bundled', async () => {
    // A user's regression repros, kept in their repository, besides the bundled corpus.
    const regress = join(dir, 'regress');
    mkdirSync(regress);
    writeFileSync(join(regress, 'mine.jsonl'), readFileSync('corpus/events.jsonl'));
    const traces = async (...replay: string[]): Promise<string[]> => {
      const out = join(dir, `b-${replay.length}`);
      const r = await run(['nightly', ...replay, '--out', out, '--runs', '2', '--quiet']);
      expect(r.code, r.err).toBe(0);
      const entries = (report(out).corpus as { traces: { trace: string }[] }).traces;
      return entries.map((t) => t.trace);
    };
    // Alone, --replay replaces the bundled corpus; `bundled` adds it (--replay repeats).
    expect(await traces('--replay', regress)).toEqual([join(regress, 'mine.jsonl')]);
    const both = await traces('--replay', 'bundled', '--replay', regress);
    expect(both).toHaveLength(24);
    expect(both).toContain(join(regress, 'mine.jsonl'));
    expect(both.filter((t) => t.endsWith(join('corpus', 'events.jsonl')))).toHaveLength(1);
    // Named so, the bundled corpus loses its traces calling a --disable'd function, as by default.
    const off = ['--disable', 'MapBankedMemory', '--replay', 'bundled', '--replay', regress];
    const d = await run(['nightly', ...off, '--out', join(dir, 'b-off'), '--runs', '2']);
    expect(d.code, d.err).toBe(0);
    expect(d.err).toContain("not replayed, calling a --disable'd function: 1 bundled trace\n");
    // A directory named bundled where nightly runs would be ambiguous: refused, one line.
    const here = join(dir, 'here');
    mkdirSync(join(here, 'bundled'), { recursive: true });
    await expect(replayDirs(['bundled'], here)).rejects.toThrow(
      '--replay bundled: names the bundled corpus, and there is also a bundled here; write ./bundled for that one (both: --replay bundled ./bundled)',
    );
    expect(await replayDirs(['./bundled', regress], here)).toEqual({
      dirs: ['./bundled', regress],
      bundled: false,
    });
  });
});
