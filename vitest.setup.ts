// One seed for every property test in the run: VPDMA_SEED (CI sets it) or a fixed default,
// printed so any failure can be replayed with the same seed.
import fc from 'fast-check';

const raw = process.env['VPDMA_SEED'] ?? '20261128';
const seed = Number.parseInt(raw, 10);
if (!Number.isSafeInteger(seed)) throw new Error(`VPDMA_SEED must be an integer, got ${raw}`);
fc.configureGlobal({ seed, numRuns: 100 });
