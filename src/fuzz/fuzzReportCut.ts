// A fuzz report of a run cut short: by a target known not to start before any case ran, or
// by vpdma's own fault part way (cli/fuzzFault.ts).
import type { FuzzReport } from './fuzzReport.js';

/**
 * `r` of a run whose target was known not to start before any case ran (a module that cannot
 * be loaded; nightly's corpus replay that could not start it): stopped by "setup", and why.
 */
export function setupFailed(r: FuzzReport, why: string): FuzzReport {
  return { ...r, stoppedBy: 'setup', setupError: why };
}

/**
 * `r` of a run vpdma itself cut short (cli/fuzzFault.ts): what it gathered, and the fault. A
 * fault in the campaign leaves out what only the campaign knew (the base's identity, what was
 * reached), and the campaign was stopped by it ("harness"); after it, the campaign's are kept.
 */
export function harnessFailed(
  r: FuzzReport,
  harnessError: string,
  faultIn: 'campaign' | 'findings',
): FuzzReport {
  if (faultIn === 'findings') return { ...r, harnessError };
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- what the campaign alone knew
  const { reached, unreached, branches, ...rest } = r;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- likewise
  const { baseId, ...corpus } = r.corpus;
  return { ...rest, corpus, stoppedBy: 'harness', harnessError };
}
