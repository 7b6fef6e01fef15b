// Option values as typed, validated data: one parser per kind of value, each naming the option
// in its error (STYLE lesson 15).
import { availableParallelism } from 'node:os';
import { Option } from 'commander';
import { DEFAULT_SEED, parseSeed, seedRefusal, type Seed } from '../core/rng.js';
import { parseShard, type Shard } from '../fuzz/shard.js';
import { isProfile, type Profile } from '../model/device.js';
import { disabledNames, disabledWarnings } from '../fuzz/disabledNames.js';
import { parseTargetSpec, TARGET_SPECS, type TargetSpec } from '../replay/targetSpec.js';
import { FUZZ_DEFAULTS, FUZZ_MAX } from '../fuzz/fuzzDefaults.js';
import { UserError } from './context.js';
import { timeoutMsMax } from '../core/limits.js';
import { START_TIMEOUT_MS } from '../replay/startTimeout.js';
import { RSS_LIMIT_MB } from '../replay/rssLimit.js';

/**
 * How long a module target may take to load (once per run, in a thread of its own) before it
 * is refused, unless --load-timeout says: a load that takes under a second on a quiet machine
 * took over 5 s at a load average of 20 (a user probe), and a module that hangs while loading
 * costs this wait once.
 */
export const LOAD_TIMEOUT_MS = 30_000;

/** --load-timeout, ms: as given, else LOAD_TIMEOUT_MS or the call --timeout if longer. */
export function loadTimeoutOption(text: string | undefined, timeoutMs: number): number {
  return positiveInt('--load-timeout', text, Math.max(LOAD_TIMEOUT_MS, timeoutMs), timeoutMsMax);
}

/**
 * --load-timeout as a process: target's hello allowance, as settings spread it: only when
 * given (replay/startTimeout.ts has the default, which stays short: see START_TIMEOUT_MS).
 */
export function helloTimeoutOption(
  text: string | undefined,
  timeoutMs: number,
): { startTimeoutMs?: number } {
  return text === undefined ? {} : { startTimeoutMs: loadTimeoutOption(text, timeoutMs) };
}

/** Options that several commands declare alike, as `.option()` arguments: flags, help, default. */
export const SHARED_OPTIONS = {
  target: ['--target <spec>', TARGET_SPECS.join(' | '), 'model'],
  profile: [
    '--profile <profile>',
    "oracle profile: docs or reactos (default: each trace header's, else docs; a fuzz case's is its base trace's)",
  ],
  seed: ['--seed <seed>', 'decimal or a git SHA (default: $VPDMA_SEED, else fixed)'],
  workers: ['--workers <n>', 'worker threads (default: the number of cores)'],
  quiet: [
    '--quiet',
    'no progress output (the seed line, warnings and results still print; --json-progress wins over it)',
  ],
  loadTimeout: [
    '--load-timeout <ms>',
    `a module: target that takes longer to load is refused, exit 3 (default: ${LOAD_TIMEOUT_MS}, or --timeout if longer); a process: target's fresh child that takes longer to answer hello has not started (default: ${START_TIMEOUT_MS}, or --timeout if longer)`,
  ],
  workerHeapMb: [
    '--worker-heap-mb <n>',
    "each worker thread's JavaScript heap limit, MiB: a module: target that outgrows it is a target-crashed of that trace or case (default: Node's)",
  ],
  rssLimitMb: [
    '--rss-limit-mb <n>',
    `a process: target's child whose resident memory (its own, not its children's) exceeds this many MiB is killed: a target-crashed of the call in flight (default: ${RSS_LIMIT_MB}, libFuzzer's; 0: no limit)`,
  ],
  disable: [
    '--disable <functions>',
    'functions the target does not implement: the fuzzer never calls them (comma-separated, the VideoPort prefix optional; repeatable; warns when that leaves out MapDmaMemory, or every function that creates an object)',
    (v: string, prev: readonly string[] = []): readonly string[] => [...prev, v],
  ],
  targetCoverage: [
    '--no-target-coverage',
    "never ask the target for its own coverage (a process target's coverage feature, a module's coverage()): cases are kept for new model coverage alone, for comparison",
  ],
  jsonProgress: [
    '--json-progress',
    'progress as JSON lines on stderr (lines starting with "{"; numbers as numbers; the last at the end; given with --quiet, the JSON lines still print)',
  ],
} as const;

/** replay's and minimize's --timeout when not given, ms (fuzz's is FUZZ_DEFAULTS.timeoutMs). */
export const REPLAY_TIMEOUT_MS = 5000;

/**
 * A whole-number option whose default commander applies as the text a user would give, but
 * --help prints as a number: `(default: 64)`, not the `(default: "64")` of a string default.
 * A new Option each call: one Option object belongs to one command.
 */
export function numberOption(flags: string, description: string, value: number): Option {
  return new Option(flags, description).default(String(value), String(value));
}

/** fuzz's and nightly's whole-number options (fuzz/fuzzDefaults.ts), for `.addOption()`. */
export const FUZZ_OPTIONS = {
  callsMax: () =>
    numberOption('--calls-max <n>', 'calls per fuzz case at most', FUZZ_DEFAULTS.callsMax),
  timeout: () =>
    numberOption(
      '--timeout <ms>',
      'a target call (for process:, each request) that takes longer is a hang (target-timeout)',
      FUZZ_DEFAULTS.timeoutMs,
    ),
  reprosPerKind: () =>
    numberOption(
      '--repros-per-kind <n>',
      'failing cases minimized per violation kind and function',
      FUZZ_DEFAULTS.reprosPerKind,
    ),
  attemptsMax: () =>
    numberOption(
      '--attempts-max <n>',
      'replays one minimization may use, over all its rounds',
      FUZZ_DEFAULTS.attemptsMax,
    ),
} as const;

/** replay's and minimize's --timeout (fuzz's and nightly's: FUZZ_OPTIONS), for `.addOption()`. */
export const REPLAY_OPTIONS = {
  timeout: () =>
    numberOption(
      '--timeout <ms>',
      'a target call (for process:, each request) that takes longer is a target-timeout',
      REPLAY_TIMEOUT_MS,
    ),
} as const;

const FUZZ_INT_KEYS = {
  '--calls-max': 'callsMax',
  '--timeout': 'timeoutMs',
  '--repros-per-kind': 'reprosPerKind',
  '--attempts-max': 'attemptsMax',
} as const;

/** One of FUZZ_OPTIONS' values: its default when not given, else from 1 to its FUZZ_MAX. */
export function fuzzIntOption(name: keyof typeof FUZZ_INT_KEYS, text: string | undefined): number {
  const key = FUZZ_INT_KEYS[name];
  return positiveInt(name, text, FUZZ_DEFAULTS[key], FUZZ_MAX[key]);
}

/** FuzzSettings' part for --no-target-coverage (commander's targetCoverage: false). */
export function targetCoverageOption(on: boolean | undefined): { targetCoverage?: false } {
  return on === false ? { targetCoverage: false } : {};
}

/** --disable's functions as the table names them (undefined: none); a bad one is a usage error. */
export function disableOption(values: readonly string[] | undefined): string[] | undefined {
  const r = disabledNames(values ?? []);
  if (!r.ok) throw new UserError(`--disable: ${r.error}`);
  return r.value;
}

/** The warning lines for what --disable gives up ('' for nothing): printed, and the run goes on. */
export function disableWarnings(disabled: readonly string[] | undefined): string {
  return disabledWarnings(disabled ?? [])
    .map((w) => `vpdma: warning: --disable: ${w}\n`)
    .join('');
}

export function workersOption(text: string | undefined): number {
  if (text === undefined) return Math.max(1, availableParallelism());
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new UserError(`--workers: expected a whole number from 1 to 256, got "${text}"`);
  return n;
}

export function positiveInt(
  name: string,
  text: string | undefined,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
  min = 1,
): number {
  if (text === undefined) return fallback;
  // Digits only: Number() would also take "1e3", "0x10" and " 5".
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UserError(`${name}: expected a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}

const DURATION_RE = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;

/** "90s", "30m", "1.5h", "500ms", or plain seconds; any length (cli/budgetTimer.ts waits it out). */
export function durationOption(name: string, text: string): number {
  const m = DURATION_RE.exec(text.trim());
  if (m === null)
    throw new UserError(`${name}: expected a duration like 30s, 10m or 1h, got "${text}"`);
  const value = Number(m[1]);
  const unit = m[2] ?? 's';
  const ms =
    unit === 'ms'
      ? value
      : unit === 's'
        ? value * 1000
        : unit === 'm'
          ? value * 60_000
          : value * 3_600_000;
  if (ms <= 0) throw new UserError(`${name}: must be more than zero`);
  // Reports record it in ms: a number of digits JSON would write as null is no duration.
  if (ms > Number.MAX_SAFE_INTEGER)
    throw new UserError(`${name}: expected at most ${Number.MAX_SAFE_INTEGER} ms, got "${text}"`);
  return ms;
}

export function profileOption(text: string | undefined): Profile | undefined {
  if (text === undefined) return undefined;
  if (!isProfile(text)) throw new UserError(`--profile: expected docs or reactos, got "${text}"`);
  return text;
}

/** --shard K/N (parseShard's message already names the option). */
export function shardOption(text: string | undefined): Shard {
  const s = parseShard(text ?? '1/1');
  if (typeof s === 'string') throw new UserError(s);
  return s;
}

/**
 * A warning for a process SPEC that sends the program's standard error into its standard
 * output (`2>&1`), which carries the protocol's frames: the first line the program writes to
 * stderr would then read as a stray print, or a frame of garbage. Undefined for any other SPEC.
 */
export function stderrIntoStdoutWarning(text: string | undefined): string | undefined {
  if (text === undefined || !text.startsWith('process:')) return undefined;
  if (!/(^|[^0-9])2>&1(?![0-9])/.test(text.slice('process:'.length))) return undefined;
  return `--target: the command sends its standard error to standard output (2>&1), which carries the protocol's frames: anything it writes to stderr will read as garbage; redirect it to a file instead (2>>target.log)`;
}

export function targetOption(text: string | undefined): TargetSpec {
  const r = parseTargetSpec(text ?? 'model');
  if (!r.ok) throw new UserError(`--target: ${r.error}`);
  return r.value;
}

/** --seed, else VPDMA_SEED, else the fixed default: printed and recorded either way. */
export function seedOption(text: string | undefined, env: NodeJS.ProcessEnv = process.env): Seed {
  // An empty VPDMA_SEED (a CI template with nothing filled in) counts as unset.
  const fromEnv = env['VPDMA_SEED'] === '' ? undefined : env['VPDMA_SEED'];
  const raw = text ?? fromEnv ?? DEFAULT_SEED;
  const seed = parseSeed(raw);
  if (seed === undefined) {
    const why = seedRefusal(raw);
    throw new UserError(
      `${text === undefined ? 'VPDMA_SEED' : '--seed'}: expected a decimal number or a hex string such as a git SHA, got "${raw.length > 80 ? `${raw.slice(0, 80)}..." (${raw.length} characters)` : `${raw}"`}${why === undefined ? '' : `: ${why}`}`,
    );
  }
  return seed;
}

/** Whether a seed was given (--seed, or a VPDMA_SEED that is not empty), not the default. */
export function seedGiven(text: string | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return text !== undefined || (env['VPDMA_SEED'] ?? '') !== '';
}

/** --worker-heap-mb: applied to every pool the command creates (undefined: Node's default). */
export function workerHeapOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  // From 16: a worker needs that much to start.
  return positiveInt('--worker-heap-mb', text, 0, 1 << 20, 16);
}

/** --rss-limit-mb: a process: target's child's resident memory limit, MiB (0: none). */
export function rssLimitOption(text: string | undefined): number {
  return positiveInt('--rss-limit-mb', text, RSS_LIMIT_MB, 1 << 20, 0);
}
