// --rounds (rounds.ts): a round's base is the starting corpus plus the cases kept before it,
// with every entry's energy recomputed; and a whole run with rounds gives the same report and
// kept corpus for 1 and 2 workers (dist/ must be built), with cases that mutate kept ones.
import { describe, expect, it } from 'vitest';
import { fuzzSettings } from '../../test/support/fuzzSettings.js';
import { fuzzIo } from '../cli/fuzzIo.js';
import { bundledCorpusDir, contentName, readCorpusDir } from '../store/corpus.js';
import { encodeVpt } from '../trace/vpt.js';
import { buildBase, type NamedTrace } from './base.js';
import { generateCase } from './caseGen.js';
import { createFuzzPool, InlineFuzzExecutor } from './executor.js';
import { buildFuzzReport, type FuzzReport } from './fuzzReport.js';
import { reportFindingOf } from './outputs.js';
import { Rounds } from './rounds.js';
import { caseContext, runFuzz } from './run.js';
import { testReportMeta } from '../../test/support/reportMeta.js';

const settings = fuzzSettings('model');

async function bundled(): Promise<NamedTrace[]> {
  return readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
}

describe('a round base', () => {
  it('is the starting corpus until a case is kept, then that case joins it from the next round', async () => {
    const named = await bundled();
    const base = buildBase(named, settings.callsMax, undefined, undefined, undefined, true);
    const rounds = new Rounds(10, base, settings);
    const ctx = caseContext(settings, base.entries, rounds);
    expect(rounds.entriesFor(3)).toEqual(base.entries);
    expect(rounds.begin(1)).toBeUndefined(); // nothing kept: the tasks keep the base they have
    const kept = generateCase(ctx, 4);
    rounds.add(kept);
    rounds.add(kept); // the same content twice is one entry
    const r = rounds.begin(2);
    expect(r?.count).toBe(1);
    expect(rounds.entriesFor(19)).toEqual(base.entries); // round 1: before the case was kept
    const two = rounds.entriesFor(20);
    // As the next run would read it from --corpus: its name, program and energy, every other
    // entry's energy weighed again beside it.
    const name = contentName(encodeVpt(kept));
    const next = buildBase([...named, { name, trace: kept }], settings.callsMax);
    const byName = (es: readonly { name: string }[]) =>
      [...es].sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(byName(two)).toEqual(byName(next.entries));
    expect(two.at(-1)?.name).toBe(name);
    expect(two.map((e) => e.weight)).not.toEqual(
      [...base.entries, two.at(-1)].map((e) => e?.weight),
    );
  });
});

async function run(workers: number, roundsSize: number | undefined, runs: number) {
  const kept: { name: string; index: number; parent: unknown }[] = [];
  const io = {
    ...fuzzIo({
      keep: (t) => {
        const name = contentName(encodeVpt(t));
        kept.push({ name, index: Number(t.header.meta['case']), parent: t.header.meta['parent'] });
        return Promise.resolve(name);
      },
      writeFinding: (f) =>
        Promise.resolve(reportFindingOf(f, settings, { jsonl: 'm', txt: 'm', vpt: 'm' })),
    }),
    // Every case in this thread, or all but the first task in 2 worker threads.
    fuzzExecutor: (n: number, t: string) =>
      n > 1 ? createFuzzPool(n, t, { soloMs: 0, tasksHereMax: 1 }) : new InlineFuzzExecutor(),
  };
  const base = await bundled();
  const r = await runFuzz(
    {
      settings,
      base,
      shard: { index: 0, count: 1 },
      runs,
      ...(roundsSize === undefined ? {} : { rounds: roundsSize }),
      workers,
      perGroup: 1,
      attemptsMax: 200,
    },
    io,
  );
  const report = buildFuzzReport(
    r,
    testReportMeta({
      seed: '7',
      target: settings.target,
      budget: { runs },
      callsMax: 48,
      ...(roundsSize === undefined ? {} : { rounds: roundsSize }),
      reprosPerKind: 1,
      attemptsMax: 200,
      workers,
    }),
  );
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- timing differs between runs
  const { timing, ...stable } = report;
  return { stable, kept };
}

describe('a run with rounds', () => {
  it('is the same for 1 and 2 workers, and its later cases mutate cases kept in its earlier rounds', async () => {
    const [runs, size] = [60, 15];
    const two = await run(2, size, runs);
    const one = await run(1, size, runs);
    expect(one.stable).toEqual(two.stable);
    expect(one.kept).toEqual(two.kept);
    const s: Omit<FuzzReport, 'timing'> = two.stable;
    expect(s.cases).toBe(runs);
    expect(s.rounds).toBe(size);
    // Kept cases whose parent was kept in this run: each from a round after its parent's.
    const indexOf = new Map(two.kept.map((k) => [k.name, k.index]));
    const inRun = two.kept.filter((k) => indexOf.has(String(k.parent)));
    expect(inRun.length).toBeGreaterThan(0);
    for (const k of inRun)
      expect(Math.floor(k.index / size)).toBeGreaterThan(
        Math.floor((indexOf.get(String(k.parent)) ?? Infinity) / size),
      );
  });
});
