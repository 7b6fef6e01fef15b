// The nightly job's options and decisions: which traces replay first, and what exit code a
// run earns under --fail-on.
import { readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { shellWord } from '../core/shellWord.js';
import { hasUnlisted } from '../report/knownViolations.js';
import type { NightlyReportWithDetail } from '../report/nightlyBuild.js';
import type { FindingStatus, NightlyReport, NotReplayed } from '../report/nightlySchema.js';
import type { ItemResult } from '../replay/protocol.js';
import { collectTraces, emptyDirMessage, type Alternate } from '../store/collect.js';
import { bundledCorpusDir, readCorpusDir } from '../store/corpus.js';
import { readTrace } from '../store/traceFiles.js';
import { isOriginalStem, isShardReproStem } from '../store/traceFormat.js';
import type { Trace } from '../trace/trace.js';
import { UserError } from './context.js';
import { firstDisabledCall } from './disabledTraces.js';
import { EXIT, type ExitCode } from './exitCodes.js';
import { budgetOptions } from './fuzzBudget.js';
import { shardAndRounds } from './fuzzRounds.js';
import type { Shard } from '../fuzz/campaign.js';

export interface NightlyOptions {
  readonly target?: string;
  readonly profile?: string;
  readonly seed?: string;
  readonly time?: string;
  readonly minimizeTime?: string;
  readonly runs?: string;
  readonly budgetReplay?: string;
  readonly replay?: string[];
  readonly workers?: string;
  readonly workerHeapMb?: string;
  readonly rssLimitMb?: string;
  readonly loadTimeout?: string;
  readonly corpus?: string;
  readonly corpusMax?: string;
  /** --rounds, with its value or alone. */
  readonly rounds?: string | boolean;
  readonly out?: string;
  readonly shard?: string;
  readonly history?: string;
  readonly historyRecover?: boolean;
  readonly failOn?: string;
  readonly json?: string;
  readonly callsMax?: string;
  readonly disable?: readonly string[];
  /** --known FILE, repeatable (knownFiles.ts). */
  readonly known?: readonly string[];
  /** false with --no-target-coverage. */
  readonly targetCoverage?: boolean;
  readonly timeout?: string;
  readonly quiet?: boolean;
  readonly jsonProgress?: boolean;
}

export type FailOn = 'new' | 'any' | 'none';

export function parseFailOn(text: string | undefined): FailOn {
  const v = text ?? 'any';
  if (v === 'new' || v === 'any' || v === 'none') return v;
  throw new UserError(`--fail-on: expected new, any or none, got "${v}"`);
}

/** The files a finding directory holds (cli/findingFiles.ts): repro, finding.json, original. */
const FINDING_FILES = [
  'repro.jsonl',
  'repro.txt',
  'repro.vpt',
  'finding.json',
  'original.txt',
  'original.vpt',
];

/**
 * Whether the finding in `dir` was never minimized (its finding.json says so): the night that
 * found it was interrupted first, or it is flaky. One without a readable finding.json counts
 * as minimized, so a repro is never dropped from the regressions on a guess.
 */
async function unminimized(dir: string): Promise<boolean> {
  try {
    const json = JSON.parse(await readFile(join(dir, 'finding.json'), 'utf8')) as unknown;
    return typeof json === 'object' && json !== null && 'minimized' in json && !json.minimized;
  } catch {
    return false;
  }
}

interface Found {
  repros: string[];
  unminimized: string[];
  originalsOnly: string[];
}

/** repro.jsonl of every finding an earlier run left in OUT/findings, sorted, by kind. */
async function regressions(dir: string, found: Found, depth = 0): Promise<void> {
  if (depth > 8) return;
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    return;
  }
  for (const n of names) {
    const p = join(dir, n);
    if (n === 'repro.jsonl') {
      if (await unminimized(dir)) found.unminimized.push(dir);
      else found.repros.push(p);
    } else if ((await stat(p).catch(() => undefined))?.isDirectory() === true)
      await regressions(p, found, depth + 1);
  }
  // A run killed outright (SIGKILL, a CI job's timeout) leaves the original of each bug it
  // met, written at once, and nothing else: no repro, no finding.json, no report saying so; a
  // merge copies a killed shard's as original-shard-K-of-N (mergeLost.ts).
  // A killed shard's repro the merge carried beside it (it had minimized that case) is shown
  // rather than the case as it ran.
  const original =
    names.find((n) => n.endsWith('.jsonl') && isShardReproStem(n.slice(0, -6))) ??
    ['.vpt', '.txt']
      .map((ext) => names.find((n) => n.endsWith(ext) && isOriginalStem(n.slice(0, -ext.length))))
      .find((f) => f !== undefined);
  if (original !== undefined && !names.includes('repro.jsonl') && !names.includes('finding.json'))
    found.originalsOnly.push(join(dir, original));
}

export interface NightlyTraces {
  /** Regressions first (a repro that once failed must keep passing once fixed), then --replay. */
  readonly files: string[];
  /** Of those, the regressions: the repros of earlier findings in OUT/findings. */
  readonly repros: readonly string[];
  /** --replay directories without a trace: skipped, with a warning once the usage is good. */
  readonly empty: string[];
  /** --replay files left out for the same name in a preferred format (collectTraces). */
  readonly alternates: Alternate[];
  /**
   * Directories in OUT/findings of earlier findings that were never minimized: not
   * regressions (docs/nightly.md: reported by their night, never recorded), replayed by no later night.
   */
  readonly unminimized: string[];
  /**
   * The originals in OUT/findings with nothing beside them, of a run killed before it wrote
   * their findings: not regressions (nothing says what they failed with), and never removed,
   * since nothing else holds what that run met; a later run that meets the bug writes its
   * finding there.
   */
  readonly originalsOnly: string[];
}

/** `--replay`'s word for the bundled corpus: `--replay bundled regress/` replays both. */
export const BUNDLED = 'bundled';

/**
 * The directories `--replay` names, `bundled` as the bundled corpus's path, and whether it is
 * one of them; without --replay, the bundled corpus alone. A directory named `bundled` here
 * is ambiguous, so refused: `./bundled` names it.
 */
export async function replayDirs(
  given: readonly string[] | undefined,
  cwd = '.',
): Promise<{ readonly dirs: string[]; readonly bundled: boolean }> {
  if (given === undefined) return { dirs: [bundledCorpusDir()], bundled: true };
  const bundled = given.includes(BUNDLED);
  if (bundled && (await stat(join(cwd, BUNDLED)).catch(() => undefined)) !== undefined)
    throw new UserError(
      `--replay ${BUNDLED}: names the bundled corpus, and there is also a ${BUNDLED} here; write ./${BUNDLED} for that one (both: --replay ${BUNDLED} ./${BUNDLED})`,
    );
  return { dirs: given.map((d) => (d === BUNDLED ? bundledCorpusDir() : d)), bundled };
}

export async function collectNightlyTraces(
  out: string,
  dirs: readonly string[],
): Promise<NightlyTraces> {
  const found: Found = { repros: [], unminimized: [], originalsOnly: [] };
  await regressions(join(out, 'findings'), found);
  const first = found.repros;
  const traces = await collectTraces(dirs);
  if ('error' in traces) throw new UserError(`--replay: ${traces.error}`);
  // A --replay directory holding OUT/findings would give an unminimized repro back as a trace.
  const skip = new Set([...first, ...found.unminimized.map((d) => join(d, 'repro.jsonl'))]);
  return {
    files: [...first, ...traces.files.filter((f) => !skip.has(f))],
    repros: first,
    empty: traces.empty,
    alternates: traces.alternates,
    unminimized: found.unminimized,
    originalsOnly: found.originalsOnly,
  };
}

/**
 * The traces a night with --disable leaves out, as resolved paths: the bundled corpus traces
 * (when it is replayed: without --replay, or with --replay bundled) and the earlier findings' repros that call a disabled function. The
 * target lacks it: they would fail every night, and a repro not replayed is never marked fixed
 * (it stays open in --history until a night without --disable replays it).
 */
export async function callingDisabled(
  disabled: readonly string[],
  repros: readonly string[],
  bundled: boolean,
): Promise<{ readonly bundled: Set<string>; readonly repros: Set<string> }> {
  const off = new Set(disabled);
  const calls = (t: Trace): boolean => firstDisabledCall(t, off) !== undefined;
  const corpus = bundled ? await readCorpusDir(bundledCorpusDir(), () => undefined) : [];
  const mine = new Set<string>();
  for (const p of repros) {
    const r = await readTrace(p);
    // An unreadable repro is replayed, and reported as such.
    if (r.ok && calls(r.value)) mine.add(resolve(p));
  }
  return {
    bundled: new Set(corpus.filter((f) => calls(f.trace)).map((f) => resolve(f.path))),
    repros: mine,
  };
}

/**
 * The traces of `files` phase 1 has no result for (--budget-replay ran out first), in replay
 * order, the earlier findings' repros (`repros`) marked as regressions.
 */
export function skippedTraces(
  files: readonly string[],
  results: readonly Pick<ItemResult, 'id'>[],
  repros: readonly string[],
): NotReplayed[] {
  const done = new Set(results.map((r) => r.id));
  const mine = new Set(repros);
  return files.flatMap((trace, id) =>
    done.has(id) ? [] : [mine.has(trace) ? { trace, regression: true as const } : { trace }],
  );
}

export function emptyReplayDirWarning(dir: string): string {
  return `vpdma nightly: --replay ${emptyDirMessage(dir)}; skipped\n`;
}

export function unminimizedNote(out: string, count: number): string {
  const one = count === 1;
  return `vpdma nightly: ${count} unminimized finding${one ? '' : 's'} of an earlier run in ${join(out, 'findings')} (interrupted first, or flaky): not replayed as ${one ? 'a regression' : 'regressions'}; removed once this night ends\n`;
}

/**
 * Removes the earlier unminimized findings (`dirs`) but those in `keep` (this night wrote
 * them again) and any whose finding.json no longer says unminimized: their files, then each directory left empty up to OUT/findings. Anything else
 * a user put there stays. Resolves to how many findings went.
 */
export async function removeFindings(
  out: string,
  dirs: readonly string[],
  keep: ReadonlySet<string>,
): Promise<number> {
  const top = resolve(out, 'findings');
  let removed = 0;
  for (const dir of dirs) {
    // Read again: a minimized repro written there since (by this night) is never removed.
    if (keep.has(resolve(dir)) || !(await unminimized(dir))) continue;
    await Promise.all(FINDING_FILES.map((f) => rm(join(dir, f), { force: true })));
    removed++;
    for (let d = resolve(dir); d.startsWith(top + sep); d = dirname(d)) {
      const gone = await rmdir(d).then(
        () => true,
        () => false,
      );
      if (!gone) break;
    }
  }
  return removed;
}

/**
 * The exit code of a nightly report, from the report alone (so a merge of shards decides as
 * one machine does): 3 a target that could not be set up, 2 unreadable or damaged corpus
 * traces, then --fail-on (new: failsOnNew). Under --fail-on any, an earlier finding's repro that --budget-replay
 * left unreplayed fails the night as a corpus violation would: it was not checked, so the night
 * must not look green (as an interrupted replay is not). Other traces left unreplayed do not:
 * capping the corpus replay is what --budget-replay is for, and every report names them.
 */
export function exitForNightly(r: NightlyReportWithDetail, failOn: FailOn): ExitCode {
  const traces = r.corpus.traces;
  // vpdma itself cut the run short (a merged shard's, as a night's own fault exits 3 too).
  if (
    traces.some((t) => t.outcome === 'setup-failed') ||
    r.fuzzDetail.setupError !== undefined ||
    r.harnessError !== undefined
  )
    return EXIT.crash;
  if (traces.some((t) => t.outcome === 'invalid' || t.damage !== undefined)) return EXIT.badInput;
  if (failOn === 'none') return EXIT.ok;
  // An earlier finding's repro --budget-replay left unchecked: the night cannot say it passes.
  // Known violations and findings (--known) are listed, not counted.
  const corpusFailed =
    r.corpus.violations.some((v) => v.known !== true) ||
    traces.some(hasUnlisted) ||
    (r.corpus.notReplayed ?? []).some((t) => t.regression === true);
  const found = r.findings.some((f) => f.known !== true);
  if (failOn === 'any') return corpusFailed || found ? EXIT.violations : EXIT.ok;
  return failsOnNew(r) ? EXIT.violations : EXIT.ok;
}

/**
 * What `--fail-on new` fails on: a new or regressed finding; a failing replayed trace whose
 * verdict is new or regressed (TraceEntry.status: a corpus or --replay trace, an earlier
 * finding's repro); an earlier finding, fixed before, that a replayed trace showed again
 * (regressedByReplay: its repro, or a --replay trace); what an earlier finding's repro fails
 * with now when that is new or regressed (reprosChanged). The last two are said by the traces'
 * verdicts too, and kept for reports older than those. Nothing --known marks known.
 */
export function failsOnNew(r: NightlyReport): boolean {
  const fresh = (s: FindingStatus | undefined): boolean => s === 'new' || s === 'regressed';
  return (
    r.findings.some((f) => fresh(f.status) && f.known !== true) ||
    r.corpus.traces.some((t) => fresh(t.status)) ||
    (r.regressedByReplay ?? []).length > 0 ||
    (r.reprosChanged ?? []).some((c) => fresh(c.now.status) && c.now.known !== true)
  );
}

/** Which cases the night runs: --shard, --rounds (which refuses a shard) and the budget. */
export function casesOf(opts: NightlyOptions): {
  shard: Shard;
  rounds: number | undefined;
  budget: ReturnType<typeof budgetOptions>;
} {
  return { ...shardAndRounds(opts), budget: budgetOf(opts) };
}

/** --runs, else --time (default 30s); --minimize-time as for `vpdma fuzz`. */
export function budgetOf(opts: NightlyOptions): ReturnType<typeof budgetOptions> {
  const time = opts.runs === undefined ? (opts.time ?? '30s') : opts.time;
  return budgetOptions({
    ...(opts.runs === undefined ? {} : { runs: opts.runs }),
    ...(time === undefined ? {} : { time }),
    ...(opts.minimizeTime === undefined ? {} : { minimizeTime: opts.minimizeTime }),
  });
}

/** The originals a killed run left (NightlyTraces.originalsOnly): said, with how to see one. */
export function originalsOnlyNote(
  out: string,
  originals: readonly string[],
  target: string,
): string {
  const [first] = originals;
  if (first === undefined) return '';
  const one = originals.length === 1;
  const repro = isShardReproStem(basename(first).replace(/\.jsonl$/, ''));
  const what = one
    ? repro
      ? `the minimized repro of a bug a shard met before it was killed, carried by vpdma merge (${first})`
      : `the original of a bug an earlier run met, killed before writing its finding (${first})`
    : `the originals of ${originals.length} bugs an earlier run met, killed before writing their findings (${first}, and ${originals.length - 1} more)`;
  return `vpdma nightly: ${join(out, 'findings')} holds ${what}: not replayed as ${one ? 'a regression' : 'regressions'}, and kept until a run meets ${one ? 'that bug' : 'each bug'} again; \`vpdma replay ${shellWord(first)} --target ${shellWord(target)}\` shows ${one ? 'it' : 'the first'}\n`;
}
