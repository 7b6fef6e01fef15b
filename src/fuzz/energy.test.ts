// Base entries are chosen by energy: the coverage keys an entry reaches, each split among the
// entries that reach it. The same weights in every thread, and the choice follows them.
import { describe, expect, it } from 'vitest';
import { bundledCorpusDir, readCorpusDir } from '../store/corpus.js';
import { baseEntries, buildBase } from './base.js';
import { caseProgram } from './caseGen.js';
import { energies } from './energy.js';

describe('energies', () => {
  it('gives keys only an entry reaches to that entry, and splits shared ones', () => {
    // Key 1 is reached by two entries (half a share each), the rest by one.
    expect(energies([new Set([1, 2, 3]), new Set([1]), new Set([4, 5, 6, 7])])).toEqual([
      16 + 40,
      16 + 8,
      16 + 64,
    ]);
  });

  it('lets copies of an entry split its energy instead of multiplying it', () => {
    const keys = new Set([1, 2, 3, 4, 5, 6]);
    expect(energies([keys, new Set([9])])).toEqual([16 + 96, 32]);
    expect(energies([keys, keys, keys, new Set([9])])).toEqual([48, 48, 48, 32]);
  });
});

const base = buildBase(await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/'), 64);

describe('choosing the base entry to mutate', () => {
  it('uses the same weights in a worker, which decodes the base from shared memory', () => {
    const weights = base.entries.map((e) => e.weight);
    expect(new Set(weights).size).toBeGreaterThan(1);
    const decoded = baseEntries({ ...base.shared, id: `${base.shared.id}:worker` });
    expect(decoded.map((e) => e.weight)).toEqual(weights);
  });

  it('picks entries in proportion to their weight', () => {
    const ctx = { seed: 5, seedText: '5', callsMax: 64, base: base.entries };
    const picked = new Map<string, number>();
    let mutated = 0;
    for (let i = 0; i < 4000; i++) {
      const parent = caseProgram(ctx, i).header.meta['parent'];
      if (typeof parent !== 'string') continue;
      mutated++;
      picked.set(parent, (picked.get(parent) ?? 0) + 1);
    }
    const total = base.entries.reduce((s, e) => s + e.weight, 0);
    for (const e of base.entries) {
      const expected = (mutated * e.weight) / total;
      expect(Math.abs((picked.get(e.name) ?? 0) - expected)).toBeLessThan(
        4 * Math.sqrt(expected) + 2,
      );
    }
  });
});
