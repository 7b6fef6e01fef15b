// `vpdma minimize` options as a validated job: the trace's header read, the output path, the
// target checked, the replay settings every candidate uses. The calls are read once the first
// replay (of the file, streamed) has found the failing call, and only up to it.
import { basename, dirname, join } from 'node:path';
import { describe } from '../model/calls.js';
import type { Profile } from '../model/device.js';
import { profileOf } from '../model/device.js';
import type { ReplaySettings } from '../replay/protocol.js';
import { DEFAULT_SAMPLE_BYTES } from '../replay/replay.js';
import { formatTargetSpec, type TargetSpec } from '../replay/targetSpec.js';
import { VIOLATION_KINDS } from '../replay/violation.js';
import type { Executor } from '../replay/executor.js';
import type { ItemResult } from '../replay/protocol.js';
import { TargetSetupError } from '../replay/stillFails.js';
import { makeTasks } from '../replay/tasks.js';
import type { Violation } from '../replay/violation.js';
import { formatOf, streamTraceBatches } from '../store/traceFiles.js';
import { readTraceStart } from '../store/tracePrefix.js';
import { checkReferences } from '../trace/references.js';
import { checkTarget } from './targetCheck.js';
import type { Trace, TraceHeader } from '../trace/trace.js';
import { formatTraceError } from '../trace/traceError.js';
import { UserError } from './context.js';
import {
  positiveInt,
  profileOption,
  targetOption,
  workerHeapOption,
  workersOption,
  loadTimeoutOption,
  helloTimeoutOption,
  rssLimitOption,
  REPLAY_TIMEOUT_MS,
} from './options.js';
import { checkOutputFile, landsIn } from './outputDir.js';
import { timeoutMsMax } from '../core/limits.js';

export interface MinimizeCliOptions {
  readonly target?: string;
  readonly profile?: string;
  readonly out?: string;
  readonly workers?: string;
  readonly workerHeapMb?: string;
  readonly rssLimitMb?: string;
  readonly attemptsMax?: string;
  /** --attempts, the older name of --attempts-max (kept: scripts pass it). */
  readonly attempts?: string;
  readonly kind?: string;
  readonly fn?: string;
  readonly timeout?: string;
  readonly loadTimeout?: string;
  readonly quiet?: boolean;
  readonly jsonProgress?: boolean;
}

export const DEFAULT_ATTEMPTS = 10_000;

/**
 * foo.jsonl → foo.min.txt beside it: the text repro format, readable in a bug report. `here`:
 * in the current directory instead, for an input that is no file of the user's (stdin's spool,
 * removed afterwards, is stdin.jsonl; a bundled trace is in vpdma's own corpus directory).
 */
function defaultOut(file: string, here: boolean): string {
  const base = basename(file).replace(/\.(jsonl|vpt|txt)(\.gz)?$/i, '');
  return here ? `${base}.min.txt` : join(dirname(file), `${base}.min.txt`);
}

/** The trace minimized: the file read, and how messages and the repro's meta name it. */
export interface MinimizeInput {
  readonly path: string;
  readonly label: string;
  /** Its repro goes to the current directory by default, not beside it (defaultOut). */
  readonly outHere: boolean;
}

export interface Job {
  /** The file read. */
  readonly file: string;
  /** How messages and the repro's `meta.minimized.from` name it (`<stdin>` for `-`). */
  readonly label: string;
  readonly out: string;
  readonly spec: TargetSpec;
  /** The trace's header, its profile the one minimized under. */
  readonly header: TraceHeader;
  readonly settings: ReplaySettings;
  readonly attemptsMax: number;
  readonly workers: number;
  /** --worker-heap-mb (undefined: Node's own limit). */
  readonly workerHeapMb?: number;
}

/** The options on their own, parsed: usage errors come before any input is read (`-`'s too). */
export interface MinimizeOptions {
  readonly spec: TargetSpec;
  readonly attemptsMax: number;
  readonly workers: number;
  readonly workerHeapMb: number | undefined;
  readonly timeoutMs: number;
  /** --rss-limit-mb (0: none). */
  readonly rssLimitMb: number;
}

const OUT_FORMATS = 'the name must end in .jsonl, .vpt or .txt (or those .gz)';

export function minimizeOptions(opts: MinimizeCliOptions): MinimizeOptions {
  const spec = targetOption(opts.target);
  if (opts.out !== undefined && formatOf(opts.out) === undefined)
    throw new UserError(`--out: ${opts.out}: ${OUT_FORMATS}`);
  if (opts.kind !== undefined && !(VIOLATION_KINDS as readonly string[]).includes(opts.kind))
    throw new UserError(`--kind: unknown kind "${opts.kind}" (${VIOLATION_KINDS.join(', ')})`);
  if (opts.fn !== undefined && describe(opts.fn) === undefined)
    throw new UserError(`--fn: unknown function "${opts.fn}"`);
  return {
    spec,
    attemptsMax: attemptsOption(opts),
    workers: workersOption(opts.workers),
    workerHeapMb: workerHeapOption(opts.workerHeapMb),
    timeoutMs: positiveInt('--timeout', opts.timeout, REPLAY_TIMEOUT_MS, timeoutMsMax),
    rssLimitMb: rssLimitOption(opts.rssLimitMb),
  };
}

/** The job; undefined when `signal` stopped the read of the trace's header or the target's load. */
export async function prepare(
  input: MinimizeInput,
  opts: MinimizeCliOptions,
  parsed = minimizeOptions(opts),
  signal?: AbortSignal,
): Promise<Job | undefined> {
  const file = input.path;
  const { spec, attemptsMax, workers, workerHeapMb, timeoutMs, rssLimitMb } = parsed;
  const out = opts.out ?? defaultOut(file, input.outHere);
  if (formatOf(out) === undefined) throw new UserError(`--out: ${out}: ${OUT_FORMATS}`);
  if ((await landsIn(out)) === (await landsIn(file)))
    throw new UserError(`--out: ${out}: is the trace being minimized; give another file`);
  // Before the work: an unwritable --out found after minimizing would throw the result away.
  await checkOutputFile('--out', out);
  const first = await readHeader(file, {
    label: input.label,
    ...(signal === undefined ? {} : { signal }),
  });
  if (first === undefined) return undefined;
  // The repro records the profile it was minimized under, so replaying it needs no --profile.
  const profile: Profile = profileOf(first, profileOption(opts.profile));
  const header: TraceHeader = { ...first, profile };
  await checkTarget(spec, timeoutMs, loadTimeoutOption(opts.loadTimeout, timeoutMs), signal);
  if (signal?.aborted === true) return undefined;
  const target = formatTargetSpec(spec);
  const settings = {
    target,
    profile,
    paranoid: false,
    timeoutMs,
    ...helloTimeoutOption(opts.loadTimeout, timeoutMs),
    rssLimitMb,
    sampleBytes: DEFAULT_SAMPLE_BYTES,
  };
  return {
    file,
    label: input.label,
    out,
    spec,
    header,
    settings,
    attemptsMax,
    workers,
    ...(workerHeapMb === undefined ? {} : { workerHeapMb }),
  };
}

/**
 * The trace's header; a file that has none (or no such file) is bad input. Undefined when the
 * read was stopped by `read.signal`.
 */
async function readHeader(
  file: string,
  read: { readonly label: string; readonly signal?: AbortSignal },
): Promise<TraceHeader | undefined> {
  for await (const item of streamTraceBatches(file, read)) {
    if (item.kind === 'header') return item.header;
    if (read.signal?.aborted === true) return undefined;
    if (item.kind === 'error') throw new UserError(formatTraceError(item.error));
  }
  throw new UserError(`${read.label}: no header`);
}

/**
 * The trace replayed from its file, streamed as `vpdma replay` streams it (memory does not
 * grow with its length), up to the call showing the first violation matching `want` (the
 * first one, by default): the rest is read and checked, not replayed. Bad input anywhere in
 * it (or a handle no call returned) is a UserError; damage leaves the replay of the intact
 * part, with `damage` set. Undefined when `signal` stopped it.
 */
export async function replayInput(
  executor: Executor,
  job: Job,
  want: { readonly kind?: string; readonly fn?: string },
  signal: AbortSignal,
): Promise<ItemResult | undefined> {
  const items = [{ id: 0, label: job.label, path: job.file }];
  const settings = { ...job.settings, stopAtViolation: want };
  const [r] = await executor.run(makeTasks(items, settings, executor.workers), { signal });
  if (signal.aborted) return undefined;
  if (r?.setupError !== undefined)
    throw new TargetSetupError(`the target cannot be set up: ${r.setupError}`);
  if (r?.inputError !== undefined) throw new UserError(r.inputError);
  return r ?? { id: 0, label: job.label };
}

/** What is minimized: the calls up to the failing one, and how many the trace held. */
export interface Failing {
  readonly trace: Trace;
  readonly calls: number;
}

/**
 * The trace's calls up to `v`'s (the first pass would cut the rest), read again from the file;
 * `first` is its replay (its traceCalls counts the trace's calls, so the rest is not read).
 * Undefined when `signal` stopped the read (at its next chunk: a late violation's calls may
 * take seconds to read).
 */
export async function readFailing(
  job: Job,
  first: ItemResult,
  v: Violation,
  signal?: AbortSignal,
): Promise<Failing | undefined> {
  const read = await readTraceStart(job.file, v.callIndex + 1, first.traceCalls, signal);
  if (signal?.aborted === true) return undefined;
  if (!read.ok) throw new UserError(formatTraceError(read.error));
  // The replay checked every reference already; this is the same check on what is kept.
  const broken = checkReferences(read.value.trace, job.label);
  if (broken !== undefined) throw new UserError(formatTraceError(broken));
  return { trace: { header: job.header, calls: read.value.trace.calls }, calls: read.value.calls };
}

/** --attempts-max, or --attempts (its older name, as fuzz and the library name it attemptsMax). */
function attemptsOption(opts: MinimizeCliOptions): number {
  if (opts.attempts !== undefined && opts.attemptsMax !== undefined)
    throw new UserError('--attempts: the older name of --attempts-max; give one of them');
  if (opts.attempts !== undefined)
    return positiveInt('--attempts', opts.attempts, DEFAULT_ATTEMPTS);
  return positiveInt('--attempts-max', opts.attemptsMax, DEFAULT_ATTEMPTS);
}
