// One campaign on the bundled corpus through runFuzz, wired as `vpdma fuzz` wires it (fuzzIo:
// the campaign and the repro replays in pools, the real minimizer), with nothing written: kept
// cases and findings stay in memory. The set-up of the tests that hunt a planted bug with a
// short campaign (canaries.test.ts, staleHandle.test.ts). It starts worker pools, so its name
// is in testProjects.ts's STARTS: a test file calling it runs isolated.
import { fuzzIo } from '../../src/cli/fuzzIo.js';
import { reportFindingOf } from '../../src/fuzz/outputs.js';
import type { FuzzSettings } from '../../src/fuzz/protocol.js';
import { runFuzz, type FuzzRunOptions, type FuzzRunResult } from '../../src/fuzz/run.js';
import { bundledCorpusDir, readCorpusDir } from '../../src/store/corpus.js';
import { testSeed } from '../seed.js';

/** What a test sets of the run: the base is the bundled corpus, the shard 1/1. */
type Budget = Omit<FuzzRunOptions, 'settings' | 'base' | 'shard'>;

/**
 * A campaign of the test run's seed against `target` (512 bytes sampled, at most 64 calls a
 * case), each call waited for at most `timeoutMs`.
 */
export async function fuzzInMemory(
  target: string,
  timeoutMs: number,
  budget: Budget,
): Promise<FuzzRunResult> {
  const base = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
  const settings: FuzzSettings = {
    target,
    timeoutMs,
    sampleBytes: 512,
    callsMax: 64,
    seed: testSeed.value,
    seedText: testSeed.text,
  };
  const io = fuzzIo({
    keep: () => Promise.resolve('(memory)'),
    writeFinding: (f) =>
      Promise.resolve(reportFindingOf(f, settings, { jsonl: 'mem', txt: 'mem', vpt: 'mem' })),
  });
  return runFuzz({ settings, base, shard: { index: 0, count: 1 }, ...budget }, io);
}
