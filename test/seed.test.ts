// VPDMA_SEED in the test suite takes what --seed takes: a decimal number or a git SHA.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED, parseSeed } from '../src/core/rng.js';
import { seedOption } from '../src/cli/options.js';
import { testSeedOf } from './seed.js';

describe('testSeedOf', () => {
  it('reads a git SHA whole, as the CLI does, not as its leading digits', () => {
    for (const sha of ['deadbeef', '58c7482', '58c7482fda0e3b1e2a9d8f8c34a1b0e9d7c6b5a4'])
      expect(testSeedOf(sha), sha).toEqual(seedOption(undefined, { VPDMA_SEED: sha }));
    expect(testSeedOf('58c7482').value).not.toBe(58);
  });

  it('takes the CLI default when unset or empty, and a number as itself', () => {
    expect(testSeedOf(undefined)).toEqual(parseSeed(DEFAULT_SEED));
    expect(testSeedOf('')).toEqual(seedOption(undefined, {}));
    expect(testSeedOf('42')).toEqual({ text: '42', value: 42 });
  });

  it('refuses what is neither, naming VPDMA_SEED', () => {
    expect(() => testSeedOf('x!')).toThrow(/^VPDMA_SEED: expected a decimal number .*got "x!"$/);
    expect(() => testSeedOf('0x10')).toThrow(
      /^VPDMA_SEED: .*got "0x10": .*give 16 for the number 0x10$/,
    );
  });
});
