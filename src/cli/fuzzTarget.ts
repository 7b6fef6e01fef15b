// `vpdma fuzz` for a target built in code (the library's): the same cases from the same seed,
// the same base corpus (the bundled one, plus any traces given), the same grouping,
// minimization and re-runs (runFuzz), with nothing written: kept cases and findings come
// back as values. Everything runs in the caller's thread, one case after another.
import { branchCount, unreached, type ReachedTable } from '../fuzz/reached.js';
import { minimize } from '../minimize/minimize.js';
import { DEFAULT_SEED, parseSeed, seedRefusal } from '../core/rng.js';
import { isProfile, profileOf, type Profile } from '../model/device.js';
import { disabledNames, disabledWarnings } from '../fuzz/disabledNames.js';
import type { NamedTrace } from '../fuzz/base.js';
import { InlineFuzzExecutor } from '../fuzz/executor.js';
import type { FuzzFinding, ViolationAtCall } from '../fuzz/findings.js';
import { reportFindingOf } from '../fuzz/outputs.js';
import type { FuzzSettings } from '../fuzz/protocol.js';
import { ROUND_CASES, ROUNDS_MAX } from '../fuzz/rounds.js';
import { runFuzz } from '../fuzz/run.js';
import { FUZZ_DEFAULTS, FUZZ_MAX } from '../fuzz/fuzzDefaults.js';
import { titleOf } from '../replay/crashTitle.js';
import { InlineExecutor } from '../replay/executor.js';
import { DEFAULT_SAMPLE_BYTES } from '../replay/replay.js';
import { provideSession } from '../replay/runTask.js';
import { factorySession } from '../replay/sessions.js';
import type { TargetFactory } from '../replay/target.js';
import type { ViolationKind } from '../replay/violation.js';
import { bundledCorpusDir, readCorpusDir } from '../store/corpus.js';
import type { Trace } from '../trace/trace.js';
import { closeFailure, uncheckedWarnings } from './closeWarning.js';

export interface FuzzTargetOptions {
  /** A number, or text as `--seed` takes it (decimal, or a git SHA); default as the command's. */
  readonly seed?: number | string;
  /** Cases to run (default 1000); or `timeMs` instead. */
  readonly runs?: number;
  readonly timeMs?: number;
  /** Calls per case at most (default 64). */
  readonly callsMax?: number;
  /** The oracle profile (default: each base trace's, else docs). */
  readonly profile?: Profile;
  /** A call (or a factory) whose promise does not settle within this is a hang (default 1000). */
  readonly timeoutMs?: number;
  /** Traces mutated besides the bundled corpus (as `--corpus`), each under its name. */
  readonly corpus?: readonly { readonly name: string; readonly trace: Trace }[];
  /** Failing cases minimized per violation kind and function (default 2). */
  readonly reprosPerKind?: number;
  /** Replays one minimization may use (default 2000). */
  readonly attemptsMax?: number;
  /** Functions the target does not implement, never called (as `--disable`'s names). */
  readonly disabled?: readonly string[];
  /** Stops fuzzing (the cases run so far count) and ends minimization early. */
  readonly signal?: AbortSignal;
  /** false: never ask the target's coverage() (as `--no-target-coverage`). */
  readonly targetCoverage?: boolean;
  /**
   * Cases per round (as `--rounds N`; true: 1000, as `--rounds` alone): each round's cases also
   * mutate the cases kept in the rounds before it (docs/fuzzing.md, "Rounds").
   */
  readonly rounds?: number | true;
}

export interface FuzzTargetFinding {
  /** What findings are deduplicated by (kind, function, the repro's calls), as in reports. */
  readonly signature: string;
  readonly kind: ViolationKind;
  readonly fn: string;
  readonly message: string;
  /** A target-crashed's title: what its repro was minimized to keep (as in reports). */
  readonly title?: string;
  /** Every violation at the repro's failing call, the one it is named after first. */
  readonly violationsAtCall: readonly ViolationAtCall[];
  /** The case it came from (with the seed, `vpdma fuzz` regenerates it). */
  readonly caseIndex: number;
  /** The minimized repro (or, when `minimized` is false, the case). */
  readonly repro: Trace;
  readonly originalCalls: number;
  /** How often it failed when re-run, e.g. "3/3". */
  readonly reproduced: string;
  readonly minimized: boolean;
  /** Minimization ran out of attempts: the repro may not be 1-minimal. */
  readonly exhausted: boolean;
}

export interface FuzzTargetResult {
  readonly seed: string;
  /** Cases run, and `runs` that reproduces exactly them. */
  readonly cases: number;
  readonly runsEquivalent: number;
  readonly calls: number;
  /** Coverage keys reached, the base corpus's included. */
  readonly coverage: number;
  /** Model branches in `reached` (report.json's `branches`): they level off, keys do not. */
  readonly branches: number;
  /** The target's own edges reached, when it has coverage() (docs/fuzzing.md, "Target coverage"). */
  readonly targetEdges?: number;
  /** Per function, the model's branches reached (docs/fuzzing.md, "What was reached"). */
  readonly reached: ReachedTable;
  /** VideoPort functions no call reached (`disabled` ones left out). */
  readonly unreached: readonly string[];
  /** Cases that reached new coverage (what `vpdma fuzz` writes to --corpus). */
  readonly kept: readonly Trace[];
  /** Distinct findings, confirmed by re-running them. */
  readonly findings: readonly FuzzTargetFinding[];
  /** Failing cases that never failed again when re-run (a flaky target). */
  readonly unconfirmed: number;
  readonly stoppedBy: 'runs' | 'time' | 'signal' | 'setup' | 'failures';
  /** Cases per round, when `rounds` was given (as report.json's `rounds`). */
  readonly rounds?: number;
  /** The target could not be started at all (its factory throws, say): nothing was fuzzed. */
  readonly setupError?: string;
  /**
   * What the run survived or gave up without a change to any result, one line each, as the
   * command warns on stderr: what `disabled` leaves unchecked (VideoPortMapDmaMemory's
   * property, or every function that creates an object), a target's close() that threw,
   * rejected or hung after a case (the first failure, and after how many cases), and what the
   * target left unchecked: no state(), or a touched() naming memory it never returned.
   */
  readonly warnings: readonly string[];
}

let sessions = 0;

/**
 * Fuzzes the target `factory` makes (called for every case with the device and profile, as a
 * module target's default export is): what `vpdma fuzz --target module:...` finds with the
 * same seed and runs, as values. The target's failures are findings; a synchronous call that
 * never returns cannot be stopped in this thread (the command runs module targets in workers).
 */
export async function fuzzTarget(
  factory: TargetFactory,
  options: FuzzTargetOptions = {},
): Promise<FuzzTargetResult> {
  const seedText = String(options.seed ?? DEFAULT_SEED);
  const seed = parseSeed(seedText);
  if (seed === undefined) {
    const why = seedRefusal(seedText);
    throw new RangeError(
      `seed: expected a number or a hex string${why === undefined ? '' : `: ${why}`}`,
    );
  }
  if (options.runs !== undefined && options.timeMs !== undefined)
    throw new RangeError('runs and timeMs: give one budget, not both');
  const timeoutMs = options.timeoutMs ?? FUZZ_DEFAULTS.timeoutMs;
  checkOptions(options);
  const named = disabledNames(options.disabled ?? []);
  if (!named.ok) throw new RangeError(`disabled: ${named.error}`);
  const disabled = named.value ?? [];
  const target = `library:${++sessions}`;
  const settings: FuzzSettings = {
    target,
    timeoutMs,
    sampleBytes: DEFAULT_SAMPLE_BYTES,
    callsMax: options.callsMax ?? FUZZ_DEFAULTS.callsMax,
    seed: seed.value,
    seedText: seed.text,
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(disabled.length === 0 ? {} : { disabled }),
    ...(options.targetCoverage === false ? { targetCoverage: false } : {}),
  };
  const rounds = options.rounds === true ? ROUND_CASES : options.rounds;
  const bundled = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
  const base: NamedTrace[] = [...bundled, ...(options.corpus ?? [])];
  const kept: Trace[] = [];
  const found: FuzzFinding[] = [];
  const withdraw = provideSession(target, timeoutMs, factorySession(factory, timeoutMs));
  try {
    const r = await runFuzz(
      {
        settings,
        base,
        shard: { index: 0, count: 1 },
        ...(rounds === undefined ? {} : { rounds }),
        ...(options.timeMs === undefined ? { runs: options.runs ?? FUZZ_DEFAULTS.runs } : {}),
        ...(options.timeMs === undefined ? {} : { timeMs: options.timeMs }),
        workers: 1,
        perGroup: options.reprosPerKind ?? FUZZ_DEFAULTS.reprosPerKind,
        attemptsMax: options.attemptsMax ?? FUZZ_DEFAULTS.attemptsMax,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
      {
        fuzzExecutor: () => new InlineFuzzExecutor(),
        replayExecutor: () => new InlineExecutor(),
        minimize: async (trace, stillFails, m) => {
          const profile = profileOf(trace.header, options.profile);
          const done = await minimize(trace, stillFails, { ...m, profile });
          return { trace: done.trace, exhausted: done.exhausted, attempts: done.attempts };
        },
        keep: (trace) => {
          kept.push(trace);
          return Promise.resolve(`(kept ${kept.length})`);
        },
        // Called for confirmed findings only.
        writeFinding: (f) => {
          found.push(f);
          const nowhere = { jsonl: '', txt: '', vpt: '' };
          return Promise.resolve(reportFindingOf(f, settings, nowhere));
        },
      },
    );
    const c = r.campaign;
    const closing = closeFailure(c.closeErrors, 'case');
    return {
      seed: seed.text,
      cases: c.cases,
      runsEquivalent: c.runsEquivalent,
      calls: c.calls,
      coverage: c.coverage,
      branches: branchCount(r.reached),
      ...(c.edgesFirstSeen === undefined
        ? {}
        : { targetEdges: (c.baseEdges ?? 0) + c.edgesFirstSeen.size }),
      reached: r.reached,
      unreached: unreached(r.reached, settings.disabled),
      kept,
      findings: found.map(findingOf),
      unconfirmed: r.unconfirmed.length,
      stoppedBy: c.stoppedBy,
      ...(rounds === undefined ? {} : { rounds }),
      ...(c.setupError === undefined ? {} : { setupError: c.setupError }),
      warnings: [
        ...disabledWarnings(disabled).map((w) => `disabled: ${w}`),
        ...(closing === undefined ? [] : [closing]),
        ...uncheckedWarnings(c),
      ],
    };
  } finally {
    withdraw();
  }
}

/** A finding as fuzzTarget returns it (its key set is tested: findingRecords.test.ts). */
export function findingOf(f: FuzzFinding): FuzzTargetFinding {
  return {
    signature: f.signature,
    kind: f.kind,
    fn: f.fn,
    message: f.message,
    ...titleOf(f),
    violationsAtCall: f.violationsAtCall,
    caseIndex: f.caseIndex,
    repro: f.repro,
    originalCalls: f.originalCalls,
    reproduced: f.reproduced,
    minimized: f.minimized,
    exhausted: f.exhausted,
  };
}

/** Options the command would refuse as usage errors: a TypeError or RangeError naming them. */
function checkOptions(o: FuzzTargetOptions): void {
  const whole = (name: string, n: number | undefined, max = Number.MAX_SAFE_INTEGER): void => {
    if (n !== undefined && (!Number.isSafeInteger(n) || n < 1 || n > max))
      throw new RangeError(`${name}: expected a whole number from 1 to ${max}, got ${String(n)}`);
  };
  whole('runs', o.runs);
  whole('callsMax', o.callsMax, FUZZ_MAX.callsMax);
  whole('timeoutMs', o.timeoutMs, FUZZ_MAX.timeoutMs);
  whole('reprosPerKind', o.reprosPerKind, FUZZ_MAX.reprosPerKind);
  whole('attemptsMax', o.attemptsMax, FUZZ_MAX.attemptsMax);
  if (o.rounds !== true) whole('rounds', o.rounds, ROUNDS_MAX);
  if (o.timeMs !== undefined && !(Number.isFinite(o.timeMs) && o.timeMs > 0))
    throw new RangeError(`timeMs: expected a number of milliseconds > 0, got ${String(o.timeMs)}`);
  if (o.profile !== undefined && !isProfile(o.profile))
    throw new TypeError(`profile: expected "docs" or "reactos", got ${JSON.stringify(o.profile)}`);
}
