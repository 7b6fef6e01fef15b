// `vpdma minimize` options as a validated job: the trace read, the output path, the target
// checked, the replay settings every candidate uses.
import { basename, dirname, join } from 'node:path';
import { describe } from '../model/calls.js';
import type { Profile } from '../model/device.js';
import { profileOf } from '../model/device.js';
import type { ReplaySettings } from '../replay/protocol.js';
import { DEFAULT_SAMPLE_BYTES } from '../replay/replay.js';
import { formatTargetSpec, type TargetSpec } from '../replay/targetSpec.js';
import { VIOLATION_KINDS } from '../replay/violation.js';
import { formatOf, readTracePrefix } from '../store/traceFiles.js';
import { checkReferences } from '../trace/references.js';
import { checkTarget } from './targetCheck.js';
import type { Trace } from '../trace/trace.js';
import { formatTraceError } from '../trace/traceError.js';
import { UserError } from './context.js';
import {
  positiveInt,
  profileOption,
  targetOption,
  workerHeapOption,
  workersOption,
} from './options.js';
import { checkOutputFile, landsIn } from './outputDir.js';
import { timeoutMsMax } from '../core/limits.js';

export interface MinimizeCliOptions {
  readonly target?: string;
  readonly profile?: string;
  readonly out?: string;
  readonly workers?: string;
  readonly workerHeapMb?: string;
  readonly attempts?: string;
  readonly kind?: string;
  readonly fn?: string;
  readonly timeout?: string;
  readonly quiet?: boolean;
  readonly jsonProgress?: boolean;
}

export const DEFAULT_ATTEMPTS = 10_000;

/** foo.jsonl → foo.min.txt beside it: the text repro format, readable in a bug report. */
function defaultOut(file: string): string {
  const base = basename(file).replace(/\.(jsonl|vpt|txt)$/i, '');
  return join(dirname(file), `${base}.min.txt`);
}

export interface Job {
  readonly file: string;
  readonly out: string;
  readonly spec: TargetSpec;
  readonly trace: Trace;
  readonly settings: ReplaySettings;
  readonly attemptsMax: number;
  readonly workers: number;
  /** --worker-heap-mb (undefined: Node's own limit). */
  readonly workerHeapMb?: number;
  /** The trace is damaged here; `trace` holds the intact calls before it. */
  readonly damage?: string;
}

export async function prepare(file: string, opts: MinimizeCliOptions): Promise<Job> {
  const spec = targetOption(opts.target);
  const out = opts.out ?? defaultOut(file);
  if (formatOf(out) === undefined)
    throw new UserError(`--out: ${out}: the name must end in .jsonl, .vpt or .txt`);
  if ((await landsIn(out)) === (await landsIn(file)))
    throw new UserError(`--out: ${out}: is the trace being minimized; give another file`);
  if (opts.kind !== undefined && !(VIOLATION_KINDS as readonly string[]).includes(opts.kind))
    throw new UserError(`--kind: unknown kind "${opts.kind}" (${VIOLATION_KINDS.join(', ')})`);
  if (opts.fn !== undefined && describe(opts.fn) === undefined)
    throw new UserError(`--fn: unknown function "${opts.fn}"`);
  const attemptsMax = positiveInt('--attempts', opts.attempts, DEFAULT_ATTEMPTS);
  const workers = workersOption(opts.workers);
  const workerHeapMb = workerHeapOption(opts.workerHeapMb);
  const timeoutMs = positiveInt('--timeout', opts.timeout, 5000, timeoutMsMax);
  // Before the work: an unwritable --out found after minimizing would throw the result away.
  await checkOutputFile('--out', out);
  // A damaged capture is minimized from its intact part (the violation may well be in it).
  const read = await readTracePrefix(file);
  if (!read.ok) throw new UserError(formatTraceError(read.error));
  const { header, calls } = read.value.trace;
  // A handle no call returned is bad input here as in replay (which would say so per candidate).
  const broken = checkReferences(read.value.trace, file);
  if (broken !== undefined) throw new UserError(formatTraceError(broken));
  // The repro records the profile it was minimized under, so replaying it needs no --profile.
  const profile: Profile = profileOf(header, profileOption(opts.profile));
  const trace: Trace = { header: { ...header, profile }, calls };
  const damage = read.value.damage;
  await checkTarget(spec, timeoutMs);
  const target = formatTargetSpec(spec);
  const settings = {
    target,
    profile,
    paranoid: false,
    timeoutMs,
    sampleBytes: DEFAULT_SAMPLE_BYTES,
  };
  return {
    file,
    out,
    spec,
    trace,
    settings,
    attemptsMax,
    workers,
    ...(workerHeapMb === undefined ? {} : { workerHeapMb }),
    ...(damage === undefined ? {} : { damage: formatTraceError(damage) }),
  };
}
