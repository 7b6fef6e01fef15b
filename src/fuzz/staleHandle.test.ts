// Hostile handles reach the conformance-checked calls (docs/fuzzing.md, "Hostile values"): a
// port that crashes only when AllocateCommonBuffer is handed an adapter it already put is found
// by a short campaign. Before, a coherent call dropped its hostile slot and a stale one with
// nothing freed became NULL: such an adapter reached AllocateCommonBuffer once in 100,000
// cases, and this bug was not found in 20,000 of seeds 1 or 2. Runs in the pool: dist/ built.
import { describe, expect, it } from 'vitest';
import { fuzzIo } from '../cli/commands/fuzz.js';
import { bundledCorpusDir, readCorpusDir } from '../store/corpus.js';
import { reportFindingOf } from './outputs.js';
import type { FuzzSettings } from './protocol.js';
import { runFuzz } from './run.js';
import { testSeed } from '../../test/seed.js';

const { text: seedText, value: seed } = testSeed;

describe(`a use-after-put in AllocateCommonBuffer alone (seed=${seedText})`, () => {
  it('is found by a short campaign', { timeout: 240_000 }, async () => {
    const base = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
    const settings: FuzzSettings = {
      target: 'module:test/fixtures/use-after-put.mjs',
      timeoutMs: 10_000,
      sampleBytes: 512,
      callsMax: 64,
      seed,
      seedText,
    };
    const io = fuzzIo({
      keep: () => Promise.resolve('(memory)'),
      writeFinding: (f) =>
        Promise.resolve(reportFindingOf(f, settings, { jsonl: 'mem', txt: 'mem', vpt: 'mem' })),
    });
    const r = await runFuzz(
      {
        settings,
        base,
        shard: { index: 0, count: 1 },
        runs: 3000,
        workers: 1,
        perGroup: 1,
        attemptsMax: 500,
        failuresMax: 4,
      },
      io,
    );
    const found = r.findings.filter((f) => f.kind === 'target-crashed');
    expect(found.map((f) => f.signature.split('/')[1])).toContain('AllocateCommonBuffer');
    // The original case named a genuinely put adapter (the minimized repro may slide).
    const f = found.find((x) => x.signature.includes('AllocateCommonBuffer'));
    expect(f?.message ?? '').toMatch(/use after put: AllocateCommonBuffer on adapter 0x[1-9a-f]/);
  });
});
