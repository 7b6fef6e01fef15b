// The fuzz phase's start-up, said in figures: reading the --corpus directory and building the
// base (before the --time clock starts), then the worker threads starting, each unpacking the
// base, and the target being set up (on the --time clock, until the first cases come back).
// --time keeps its wall-clock meaning; a start-up that ate most of it is said in one line, so
// a short budget on a large cached corpus is no silent green night of one case.

export interface FuzzStartup {
  /** Reading the corpus and building the base, ms (fuzzDetail.timing.loadMs). */
  readonly loadMs: number;
  /** When the first cases came back on the campaign's clock, ms (undefined: none did). */
  readonly firstCasesMs?: number;
  /** --time, ms, and as given (undefined with --runs). */
  readonly timeMs?: number;
  readonly timeText?: string;
  /** Cases the campaign ran, and the base's entries every worker thread unpacks. */
  readonly cases: number;
  readonly entries: number;
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const cases = (n: number): string => `${n} case${n === 1 ? '' : 's'}`;

/** Start-up took half of --time or more: what it cost, and what to do. */
export function startupWarning(s: FuzzStartup): string | undefined {
  if (s.timeMs === undefined) return undefined;
  const first = s.firstCasesMs;
  if (first !== undefined && first < s.timeMs / 2) return undefined;
  const took =
    first === undefined
      ? 'no case came back within it'
      : `the first cases came back ${secs(first)} into it`;
  return `--time ${s.timeText ?? secs(s.timeMs)} fuzzed ${cases(s.cases)}: ${took} (worker start-up: threads loading ${s.entries} corpus entries, the target starting), after ${secs(s.loadMs)} reading the corpus before it; give --time well over the start-up, or bound the corpus (--corpus-max)`;
}

/** The summary's line: the whole start-up and the part of it --time paid for. */
export function startupLine(s: FuzzStartup): string {
  const first =
    s.firstCasesMs === undefined
      ? 'no case came back'
      : `${secs(s.firstCasesMs)} until the first cases came back`;
  const clock = s.timeMs === undefined ? '' : ` (of --time ${s.timeText ?? secs(s.timeMs)})`;
  return `fuzz start-up: ${secs(s.loadMs)} reading the corpus, then ${first}${clock}`;
}
