// The pools, the minimizer and the file writers a campaign runs on: vpdma fuzz's and nightly's,
// and the tests' (which keep kept cases and findings in memory).
import { profileOf, type Profile } from '../model/device.js';
import { createFuzzPool } from '../fuzz/executor.js';
import type { FuzzRunIo } from '../fuzz/run.js';
import { minimize } from '../minimize/minimize.js';
import { InlineExecutor } from '../replay/executor.js';
import { PiscinaExecutor } from '../replay/pool.js';

/** The pools, the minimizer and where kept cases and findings go (tests keep them in memory). */
export function fuzzIo(
  o: Omit<FuzzRunIo, 'fuzzExecutor' | 'replayExecutor' | 'minimize'> & {
    profile?: Profile | undefined;
  },
): FuzzRunIo {
  return {
    ...o,
    fuzzExecutor: createFuzzPool,
    // Repro candidates are short: for in-process targets, a pool round trip costs more than
    // the replay itself.
    replayExecutor: (n, target, hangs) =>
      !hangs && /^(model|mutant)(:|$)/.test(target) ? new InlineExecutor() : new PiscinaExecutor(n),
    minimize: async (trace, stillFails, m) => {
      const profile = profileOf(trace.header, o.profile);
      const r = await minimize(trace, stillFails, { ...m, profile });
      return { trace: r.trace, exhausted: r.exhausted, attempts: r.attempts };
    },
  };
}
