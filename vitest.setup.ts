// One seed for every property test in the run: VPDMA_SEED (CI sets it; a number or a git SHA)
// or the CLI's fixed default, read as --seed reads it (test/seed.ts).
import fc from 'fast-check';
import { testSeed } from './test/seed.js';

fc.configureGlobal({ seed: testSeed.value, numRuns: 100 });
