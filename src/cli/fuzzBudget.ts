// --runs / --time / --minimize-time, as vpdma fuzz and vpdma nightly both read them.
import type { FuzzReport } from '../fuzz/fuzzReport.js';
import { FUZZ_DEFAULTS } from '../fuzz/fuzzDefaults.js';
import { UserError } from './context.js';
import { durationOption, positiveInt } from './options.js';

export type Budget = { runs?: number; timeMs?: number; minimizeTimeMs?: number };

/**
 * --runs or --time, and --minimize-time: by default as long as --time (a night's job then
 * takes at most about twice --time), and unbounded with --runs, which stays deterministic.
 */
export function budgetOptions(o: { runs?: string; time?: string; minimizeTime?: string }): {
  budget: Budget;
  text: FuzzReport['budget'];
} {
  if (o.runs !== undefined && o.time !== undefined)
    throw new UserError('--runs and --time: give one budget, not both');
  // --time first: a bad --time is named as itself, not as the --minimize-time it defaults.
  const timeMs = o.time === undefined ? undefined : durationOption('--time', o.time);
  const minimizeTime = o.minimizeTime ?? o.time;
  const minimize =
    minimizeTime === undefined
      ? {}
      : { minimizeTimeMs: durationOption('--minimize-time', minimizeTime) };
  const minimizeText = minimizeTime === undefined ? {} : { minimizeTime };
  if (o.time !== undefined && timeMs !== undefined)
    return { budget: { timeMs, ...minimize }, text: { time: o.time, ...minimizeText } };
  const runs = positiveInt('--runs', o.runs, FUZZ_DEFAULTS.runs);
  return { budget: { runs, ...minimize }, text: { runs, ...minimizeText } };
}
