// The test run's seed: VPDMA_SEED (CI sets it) or the CLI's fixed default, read as --seed reads
// it (core/rng.ts parseSeed), so a git SHA works here as the docs say it does for the CLI.
import { DEFAULT_SEED, parseSeed, seedRefusal, type Seed } from '../src/core/rng.js';

/** VPDMA_SEED's value as a seed; empty counts as unset, as for the CLI. A bad one throws. */
export function testSeedOf(raw: string | undefined): Seed {
  const text = raw === undefined || raw === '' ? DEFAULT_SEED : raw;
  const seed = parseSeed(text);
  if (seed === undefined) {
    const why = seedRefusal(text);
    throw new Error(
      `VPDMA_SEED: expected a decimal number or a hex string such as a git SHA, got "${text}"${why === undefined ? '' : `: ${why}`}`,
    );
  }
  return seed;
}

/** The seed of this run, for property tests (vitest.setup.ts) and seeded test loops. */
export const testSeed: Seed = testSeedOf(process.env['VPDMA_SEED']);
