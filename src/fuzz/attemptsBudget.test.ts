// --attempts-max caps one finding's minimization as a whole: the minimizer's first round and
// the reshaping rounds after it share the budget (each round gets what the earlier left), so a
// repro never costs more attempts than the cap. They each used to get all of it: up to five
// times the cap.
import { describe, expect, it } from 'vitest';
import { fuzzIo } from '../cli/fuzzIo.js';
import { bundledCorpusDir, contentName, readCorpusDir } from '../store/corpus.js';
import { encodeVpt } from '../trace/vpt.js';
import type { FuzzFinding } from './findings.js';
import { reportFindingOf } from './outputs.js';
import type { FuzzSettings } from './protocol.js';
import { runFuzz } from './run.js';

const base = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');

async function findings(target: string, seed: number, runs: number, attemptsMax: number) {
  const settings: FuzzSettings = {
    target,
    timeoutMs: 1000,
    sampleBytes: 512,
    callsMax: 64,
    seed,
    seedText: String(seed),
  };
  const found: FuzzFinding[] = [];
  const io = fuzzIo({
    keep: (trace) => Promise.resolve(contentName(encodeVpt(trace))),
    writeFinding: (f) => {
      found.push(f);
      return Promise.resolve(reportFindingOf(f, settings, { jsonl: 'm', txt: 'm', vpt: 'm' }));
    },
  });
  const shard = { index: 0, count: 1 };
  await runFuzz({ settings, base, shard, runs, workers: 1, perGroup: 2, attemptsMax }, io);
  return found;
}

describe('--attempts-max', () => {
  it("caps all of one finding's minimization rounds together", async () => {
    // Seed 7's finding minimizes to 8 calls in 40 attempts, and reshaping then finds a shorter
    // repro: the next round had another 40 (80 in all, and 5 calls).
    const found = await findings('mutant:mapdma-corrupts-common-buffer', 7, 200, 40);
    expect(found).toHaveLength(1);
    for (const f of found) {
      expect(f.attempts, f.signature).toBe(40);
      expect(f).toMatchObject({ exhausted: true, minimized: true });
    }
  });
});
