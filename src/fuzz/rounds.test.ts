// --rounds (rounds.ts): a round's base is the starting corpus plus the cases kept before it,
// with every entry's energy recomputed; and a whole run with rounds gives the same report and
// kept corpus for 1 and 2 workers (dist/ must be built), with cases that mutate kept ones.
import { describe, expect, it } from 'vitest';
import { fuzzIo } from '../cli/commands/fuzz.js';
import { bundledCorpusDir, contentName, readCorpusDir } from '../store/corpus.js';
import { encodeVpt } from '../trace/vpt.js';
import { buildBase, type NamedTrace } from './base.js';
import { generateCase } from './caseGen.js';
import { energies } from './energy.js';
import { createFuzzPool } from './executor.js';
import { buildFuzzReport, type FuzzReport } from './fuzzReport.js';
import { reportFindingOf } from './outputs.js';
import type { FuzzSettings } from './protocol.js';
import { Rounds } from './rounds.js';
import { caseContext, runFuzz } from './run.js';

const settings: FuzzSettings = {
  target: 'model',
  timeoutMs: 1000,
  sampleBytes: 512,
  callsMax: 48,
  seed: 7,
  seedText: '7',
};

async function bundled(): Promise<NamedTrace[]> {
  return readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
}

describe('a round base', () => {
  it('is the starting corpus until a case is kept, then that case joins it from the next round', async () => {
    const base = buildBase(
      await bundled(),
      settings.callsMax,
      undefined,
      undefined,
      undefined,
      true,
    );
    const rounds = new Rounds(10, base, settings);
    const ctx = caseContext(settings, base.entries, rounds);
    expect(rounds.entriesFor(3).map((e) => e.weight)).toEqual(base.entries.map((e) => e.weight));
    expect(rounds.begin(1)).toBeUndefined(); // nothing kept: the tasks keep the base they have
    const kept = generateCase(ctx, 4);
    rounds.add(kept);
    rounds.add(kept); // the same content twice is one entry
    const r = rounds.begin(2);
    expect(r).toBeDefined();
    expect(rounds.entriesFor(19)).toHaveLength(base.entries.length); // round 1: before the keep
    const two = rounds.entriesFor(20);
    expect(two).toHaveLength(base.entries.length + 1);
    expect(two.at(-1)?.name).toBe(contentName(encodeVpt(kept)));
    // Energies as if the kept case were one more corpus entry (energy.ts).
    const keys = [...(base.entryKeys ?? [])];
    expect(two.slice(0, -1).map((e) => e.weight)).not.toEqual([]);
    expect(energies(keys)).toEqual(base.entries.map((e) => e.weight));
    expect(rounds.roundOf(20)).toBe(2);
  });
});

async function run(workers: number, roundsSize: number | undefined, runs: number) {
  const kept: string[] = [];
  const parents: string[] = [];
  const io = {
    ...fuzzIo({
      keep: (t) => {
        const name = contentName(encodeVpt(t));
        kept.push(name);
        const parent = t.header.meta['parent'];
        if (typeof parent === 'string') parents.push(parent);
        return Promise.resolve(name);
      },
      writeFinding: (f) =>
        Promise.resolve(reportFindingOf(f, settings, { jsonl: 'm', txt: 'm', vpt: 'm' })),
    }),
    fuzzExecutor: (n: number, t: string) =>
      createFuzzPool(n, t, n > 1 ? { soloMs: 0, tasksHereMax: 1 } : {}),
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
  const report = buildFuzzReport(r, {
    seed: '7',
    vpdmaVersion: 'test',
    modelRevision: 'test',
    buildRevision: 'test',
    target: settings.target,
    profile: 'docs',
    shard: '1/1',
    budget: { runs },
    callsMax: 48,
    reprosPerKind: 1,
    attemptsMax: 200,
    interrupted: false,
    warnings: [],
    workers,
    wallMs: 0,
  });
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- timing differs between runs
  const { timing, ...stable } = report;
  return { stable, kept, parents };
}

describe('a run with rounds', () => {
  it('is the same for 1 and 2 workers, and its later cases mutate cases kept in it', async () => {
    const runs = 240;
    const two = await run(2, 60, runs);
    const one = await run(1, 60, runs);
    expect(one.stable).toEqual(two.stable);
    expect(one.kept).toEqual(two.kept);
    const s: Omit<FuzzReport, 'timing'> = two.stable;
    expect(s.cases).toBe(runs);
    expect(s.corpus.kept).toBeGreaterThan(0);
    // Some kept case's parent is a case kept earlier in the same run.
    const keptHere = new Set(two.kept);
    expect(two.parents.some((p) => keptHere.has(p))).toBe(true);
    // Without rounds, none can be.
    const flat = await run(1, undefined, runs);
    const flatKept = new Set(flat.kept);
    expect(flat.parents.some((p) => flatKept.has(p))).toBe(false);
  });
});
