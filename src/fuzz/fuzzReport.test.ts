// The summary after a fuzz run says where its cases ran (dist/ must be built for the workers):
// a campaign that ends within the main thread's head start never starts a worker.
import { describe, expect, it } from 'vitest';
import { fuzzSettings } from '../../test/support/fuzzSettings.js';
import { fuzzIo } from '../cli/fuzzIo.js';
import { bundledCorpusDir, contentName, readCorpusDir } from '../store/corpus.js';
import { encodeVpt } from '../trace/vpt.js';
import { createFuzzPool, type FuzzPoolOptions } from './executor.js';
import {
  buildFuzzReport,
  formatFuzzSummary,
  fuzzSummaryOf,
  type FuzzReport,
} from './fuzzReport.js';
import { reportFindingOf } from './outputs.js';
import { runFuzz } from './run.js';
import { testReportMeta } from '../../test/support/reportMeta.js';

const settings = fuzzSettings('model', { callsMax: 32, seed: 5, seedText: '5' });

async function fuzz(pool: FuzzPoolOptions): Promise<FuzzReport> {
  const base = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
  const io = {
    ...fuzzIo({
      keep: (t) => Promise.resolve(contentName(encodeVpt(t))),
      writeFinding: (f) =>
        Promise.resolve(reportFindingOf(f, settings, { jsonl: 'm', txt: 'm', vpt: 'm' })),
    }),
    fuzzExecutor: (n: number, t: string) => createFuzzPool(n, t, pool),
  };
  const shard = { index: 0, count: 1 };
  const options = { settings, base, shard, runs: 12, workers: 2, perGroup: 2, attemptsMax: 100 };
  const r = await runFuzz(options, io);
  return buildFuzzReport(
    r,
    testReportMeta({
      seed: '5',
      target: 'model',
      budget: { runs: 12 },
      callsMax: 32,
      reprosPerKind: 2,
      attemptsMax: 100,
      workers: 2,
    }),
  );
}

const firstLine = (r: FuzzReport): string => formatFuzzSummary(r).split('\n')[0] ?? '';

describe('the fuzz summary', () => {
  it('says the cases ran in the main thread when the campaign ended before a worker started', async () => {
    const r = await fuzz({ soloMs: 60_000 });
    expect(r.cases).toBe(12);
    expect(r.timing).toMatchObject({ workers: 2, workersStarted: 0 });
    expect(firstLine(r)).toMatch(/ calls\/s, in the main thread \(no worker started\)$/);
  });

  it('counts the workers that started', async () => {
    const r = await fuzz({ soloMs: 0, tasksHereMax: 1 });
    expect(r.timing).toMatchObject({ workers: 2, workersStarted: 2 });
    expect(firstLine(r)).toMatch(/ calls\/s, 2 workers$/);
  });

  it('names a corpus directory and a target with line breaks or escapes on one line each', async () => {
    const r = await fuzz({ soloMs: 60_000 });
    const odd = {
      ...r,
      target: 'process:./t\n--evil',
      corpus: { ...r.corpus, dir: 'o\nut\u001b[2J/corpus' },
    } as FuzzReport;
    const lines = formatFuzzSummary(odd).split('\n');
    expect(lines[1]).toMatch(/ kept in o ut\\u001b\[2J\/corpus$/);
    expect(lines[2]).toMatch(/^target process:\.\/t --evil, oracle /);
  });

  it('says from which corpus --runs with the case count reached reproduces a --time run', async () => {
    const r = await fuzz({ soloMs: 60_000 });
    // This run's --calls-max 32 is not the default: the hint gives it, as every case depends on it.
    expect(firstLine({ ...r, runsEquivalent: 2586 })).toMatch(
      /^cases 12 \(--runs 2586 --calls-max 32 reproduces them from the same starting corpus\), calls /,
    );
    // Defaults left out; a shard, another --timeout and --disable given back as options.
    const other = { ...r, runsEquivalent: 25, callsMax: 64, timeoutMs: 1000 };
    expect(firstLine(other)).toMatch(/^cases 12 \(--runs 25 reproduces them from /);
    const odd = { ...other, shard: '2/3', timeoutMs: 2500, disabled: ['VideoPortA', 'VideoPortB'] };
    expect(firstLine(odd)).toMatch(
      /^cases 12 \(--runs 25 --shard 2\/3 --timeout 2500 --disable VideoPortA,VideoPortB reproduces /,
    );
  });

  it("gives back the user's --runs when it runs the same cases of a shard", async () => {
    const r = await fuzz({ soloMs: 60_000 });
    // --runs 300 --shard 1/2 ran cases 0, 2, ..., 298: --runs 299 does too, but 300 was typed.
    const half = { ...r, callsMax: 64, shard: '1/2', budget: { runs: 300 }, runsEquivalent: 299 };
    expect(firstLine(half)).toMatch(/^cases 12 \(--runs 300 --shard 1\/2 reproduces /);
    // Shard 2/2 of --runs 300 ends at case 299: the same number either way.
    expect(firstLine({ ...half, shard: '2/2', runsEquivalent: 300 })).toMatch(
      /\(--runs 300 --shard/,
    );
    // Cut short (a signal): the cases that ran, not the budget.
    expect(firstLine({ ...half, runsEquivalent: 101 })).toMatch(/\(--runs 101 --shard 1\/2 /);
  });

  it('records --worker-heap-mb when given, and gives it back in the re-run hint', async () => {
    const r = await fuzz({ soloMs: 60_000 });
    // Not given: Node's own limit, nothing recorded, nothing to give back.
    expect(r).not.toHaveProperty('workerHeapMb');
    expect(firstLine(r)).not.toContain('--worker-heap-mb');
    const limited = { ...r, workerHeapMb: 64 };
    expect(firstLine(limited)).toMatch(
      /^cases 12 \(--runs 12 --calls-max 32 --worker-heap-mb 64 reproduces them from /,
    );
  });

  it('says "1 call" for a one-call repro', async () => {
    const r = await fuzz({ soloMs: 60_000 });
    const one = {
      signature: 'view-torn-down/UnmapDmaMemory/b8a02000',
      kind: 'view-torn-down',
      fn: 'VideoPortUnmapDmaMemory',
      message: 'm',
      command: 'c',
      minimized: true,
      reproCalls: 1,
      reproduced: '3/3',
      caseIndex: 9,
    } as FuzzReport['findings'][number];
    const text = formatFuzzSummary({ ...r, findings: [one, { ...one, reproCalls: 2 }] });
    expect(text).toContain(', minimized to 1 call, reproduced 3/3');
    expect(text).toContain(', minimized to 2 calls, reproduced 3/3');
  });

  it('lists every other violation at the failing call under the message, one line each', async () => {
    const r = await fuzz({ soloMs: 60_000 });
    const v = (field: string, message: string) =>
      ({ kind: 'map-dma-wrote-out-param', field, message }) as const;
    const f = {
      signature: 'map-dma-wrote-out-param/MapDmaMemory/b8a02000',
      kind: 'map-dma-wrote-out-param',
      fn: 'VideoPortMapDmaMemory',
      callIndex: 0,
      message: 'wrote length: 4096 became 0',
      violationsAtCall: [
        v('out.length', 'wrote length: 4096 became 0'),
        v('out.virtualAddress', 'wrote virtualAddress:\n0x20000000000 became NULL'),
      ],
      command: 'c',
      minimized: true,
      reproCalls: 1,
      reproduced: '3/3',
      caseIndex: 0,
    } as unknown as FuzzReport['findings'][number];
    const lines = formatFuzzSummary({ ...r, findings: [f] }).split('\n');
    const at = lines.indexOf('    wrote length: 4096 became 0');
    expect(lines.slice(at + 1, at + 3)).toEqual([
      '    also at call 0: map-dma-wrote-out-param: wrote virtualAddress: 0x20000000000 became NULL',
      '    c',
    ]);
    // Past five others, a count: the rest are in finding.json.
    const many = Array.from({ length: 8 }, (_, i) => v(`out.f${i}`, `m${i}`));
    const text = formatFuzzSummary({ ...r, findings: [{ ...f, violationsAtCall: many }] });
    expect(text).toContain('    also at call 0: map-dma-wrote-out-param: m5\n');
    expect(text).not.toContain(': m6\n');
    expect(text).toContain('    and 2 more at call 0 (violationsAtCall in finding.json)\n');
  });

  it('ends the list with a line per group of findings likely one bug, and counts them in summary', async () => {
    const r = await fuzz({ soloMs: 60_000 });
    const dropped = (fn: string, caseIndex: number) => {
      const message = `VideoPort${fn} changed the target's live adapters: {handle=0x1, mapRegistersUsed=1} became {handle=0x1, mapRegistersUsed=0}`;
      const kind = 'transfer-state-changed' as const;
      return {
        ...{ signature: `${kind}/${fn}/b8a02000`, kind, fn: `VideoPort${fn}`, callIndex: 4 },
        ...{ message, violationsAtCall: [{ kind, field: 'state.adapters', message }] },
        ...{ command: 'c', minimized: true, reproCalls: 5, reproduced: '3/3', caseIndex },
      } as unknown as FuzzReport['findings'][number];
    };
    const findings = [dropped('MapDmaMemory', 3), dropped('DoDma', 7)];
    const lines = formatFuzzSummary({ ...r, findings })
      .trimEnd()
      .split('\n');
    expect(lines.slice(-2)).toEqual([
      '',
      '2 findings, likely one bug: transfer-state-changed, state.adapters: mapRegistersUsed changed (in MapDmaMemory, DoDma)',
    ]);
    // Each is still its own finding above it.
    expect(lines.filter((l) => l.startsWith('  transfer-state-changed/'))).toHaveLength(2);
    expect(fuzzSummaryOf({ ...r, findings }).likelyOneBug).toMatchObject([
      { findings: 2, change: 'mapRegistersUsed' },
    ]);
    expect(r.summary?.likelyOneBug).toEqual([]);
  });

  it('reads a report without workersStarted (from before it was recorded) by its workers', async () => {
    const r = await fuzz({ soloMs: 60_000 });
    const timing: Record<string, unknown> = { ...r.timing };
    delete timing['workersStarted'];
    const old = { ...r, timing } as unknown as FuzzReport;
    expect(firstLine(old)).toMatch(/ calls\/s, 2 workers$/);
  });
});
