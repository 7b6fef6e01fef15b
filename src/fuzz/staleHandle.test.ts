// Hostile handles reach the conformance-checked calls (docs/fuzzing.md, "Hostile values"): a
// port that crashes only when AllocateCommonBuffer is handed an adapter it already put is found
// by a short campaign. Before, a coherent call dropped its hostile slot and a stale one with
// nothing freed became NULL: such an adapter reached AllocateCommonBuffer once in 100,000
// cases, and this bug was not found in 20,000 of seeds 1 or 2. Runs in the pool: dist/ built.
import { describe, expect, it } from 'vitest';
import { fuzzInMemory } from '../../test/support/fuzzInMemory.js';
import { testSeed } from '../../test/seed.js';

describe(`a use-after-put in AllocateCommonBuffer alone (seed=${testSeed.text})`, () => {
  it('is found by a short campaign', { timeout: 240_000 }, async () => {
    const r = await fuzzInMemory('module:test/fixtures/use-after-put.mjs', 10_000, {
      runs: 3000,
      workers: 1,
      perGroup: 1,
      attemptsMax: 500,
      failuresMax: 4,
    });
    const found = r.findings.filter((f) => f.kind === 'target-crashed');
    expect(found.map((f) => f.signature.split('/')[1])).toContain('AllocateCommonBuffer');
    // The original case named a genuinely put adapter (the minimized repro may slide).
    const f = found.find((x) => x.signature.includes('AllocateCommonBuffer'));
    expect(f?.message ?? '').toMatch(/use after put: AllocateCommonBuffer on adapter 0x[1-9a-f]/);
  });
});
