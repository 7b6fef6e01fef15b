// The predicate both shrinkers run candidates through: the minimizer (src/minimize) and the
// fuzzer's reshaping (src/fuzz/shorten.ts), which may not import each other. The CLI supplies
// it (replay/stillFails.ts replays the candidates).
import type { Trace } from './trace.js';

/** Does each candidate still fail the same way? One answer per candidate, in order. */
export type StillFails = (candidates: readonly Trace[]) => Promise<boolean[]>;
