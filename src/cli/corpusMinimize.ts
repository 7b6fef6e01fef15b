// The nightly job's last minimization: the failing corpus traces (corpusMinimizePlan.ts picks
// one per kind and function of the first violation), each shrunk exactly as `vpdma minimize
// TRACE --kind K --fn F --attempts-max A` shrinks it (shrinkTrace, candidates replayed in the pool:
// the repro is the same for any --workers), replayed once more, and written into
// OUT/corpus-repros/<kind>/<function>/ as repro.jsonl, repro.txt and repro.vpt, each file
// atomically. It has what --minimize-time left after the findings: past it the traces left
// keep their `vpdma minimize` command, as the findings left are reported not minimized. A
// fault while minimizing one (a harness bug) is that trace not minimized, said on stderr: it
// keeps its command, and the night's reports are written all the same.
import { basename, join, relative } from 'node:path';
import { oneLine } from '../core/oneLine.js';
import { plural } from '../core/plural.js';
import { signatureOfViolation } from '../fuzz/findings.js';
import type { FuzzReport } from '../fuzz/fuzzReport.js';
import type { Shard } from '../fuzz/shard.js';
import type { Profile } from '../model/device.js';
import { profileOf } from '../model/device.js';
import type { CorpusRepro } from '../report/nightlySchema.js';
import { corpusReplayCommand } from '../report/command.js';
import { PiscinaExecutor } from '../replay/pool.js';
import type { ItemResult, ReplaySettings } from '../replay/protocol.js';
import { printRepro } from '../replay/reproText.js';
import { PROFILE_PER_TRACE } from '../replay/runIdentity.js';
import {
  findFailure,
  replayTraces,
  signatureOf,
  stillFailsPredicate,
  TargetSetupError,
} from '../replay/stillFails.js';
import { writeRepro } from '../store/corpus.js';
import { readTraceStart } from '../store/tracePrefix.js';
import { formatTraceError } from '../trace/traceError.js';
import { planCorpusMinimization, type CorpusTarget } from './corpusMinimizePlan.js';
import { Progress, type ProgressOptions } from './progress.js';
import { reproOf, shrinkTrace } from './shrinkTrace.js';
import { budgetTimer } from './budgetTimer.js';

const CORPUS_REPROS_DIR = 'corpus-repros';

/** `kind/VideoPortFoo` → OUT/corpus-repros/kind/Foo, named as a finding's directory is. */
function corpusReproDir(out: string, t: Pick<CorpusTarget, 'violation'>): string {
  const fn = t.violation.fn.replace(/^VideoPort/, '').replace(/^@/, 'at-');
  return join(out, CORPUS_REPROS_DIR, t.violation.kind, fn);
}

export interface CorpusMinimizeInput {
  readonly results: readonly ItemResult[];
  /** The traces whose meta says `minimized` (minimalTraces.ts): not minimized again. */
  readonly minimal: ReadonlySet<string>;
  /** --known's signatures: a trace is minimized for its first violation not known. */
  readonly known?: ReadonlySet<string> | undefined;
  readonly shard: Shard;
  /** The night's replay settings: its target, --profile (if any), --timeout, --worker-heap-mb. */
  readonly settings: ReplaySettings & { readonly workerHeapMb?: number };
  readonly workers: number;
  readonly attemptsMax: number;
  readonly out: string;
  /** What --minimize-time left (undefined: no limit; 0 or less: none left). */
  readonly budgetMs: number | undefined;
  readonly signal: AbortSignal;
  readonly progress: Pick<ProgressOptions, 'mode' | 'write'>;
  readonly log: (text: string) => void;
}

export interface CorpusMinimized {
  readonly repros: CorpusRepro[];
  readonly minimizeStoppedBy?: 'time' | 'signal';
  /** With minimizeStoppedBy: the planned traces the stop left unminimized (0: it cut the last). */
  readonly minimizeLeft?: number;
  readonly ms: number;
}

/**
 * What --minimize-time (`minimizeTimeMs`) left once the findings were minimized: undefined
 * without a limit, 0 when their minimization spent it all.
 */
export function budgetLeft(
  minimizeTimeMs: number | undefined,
  fuzz: Pick<FuzzReport, 'minimizeStoppedBy' | 'timing'>,
): number | undefined {
  if (minimizeTimeMs === undefined) return undefined;
  if (fuzz.minimizeStoppedBy === 'time') return 0;
  return Math.max(0, minimizeTimeMs - fuzz.timing.minimizeMs);
}

export async function minimizeCorpusFailures(o: CorpusMinimizeInput): Promise<CorpusMinimized> {
  const started = performance.now();
  const plan = planCorpusMinimization(o.results, o.minimal, o.shard, o.known);
  const repros: CorpusRepro[] = [];
  if (plan.length === 0) return { repros, ms: 0 };
  const left = plan.length;
  if (o.signal.aborted) return { repros, minimizeStoppedBy: 'signal', minimizeLeft: left, ms: 0 };
  if (o.budgetMs !== undefined && o.budgetMs <= 0)
    return { repros, minimizeStoppedBy: 'time', minimizeLeft: left, ms: 0 };
  const stop = new AbortController();
  let stoppedBy: 'time' | 'signal' | undefined;
  const end = (why: 'time' | 'signal'): void => {
    stoppedBy ??= why;
    stop.abort();
  };
  const onSignal = (): void => end('signal');
  o.signal.addEventListener('abort', onSignal);
  const cancelTimer =
    o.budgetMs === undefined ? undefined : budgetTimer(o.budgetMs, () => end('time'));
  const executor = new PiscinaExecutor(o.workers);
  const progress = new Progress('minimize corpus', plan.length, { ...o.progress });
  let done = 0; // traces tried, minimized or not
  let cut = false; // a trace written as it stood when the stop came
  try {
    for (const [i, t] of plan.entries()) {
      if (stop.signal.aborted) break;
      progress.update(i + 1, { trace: oneLine(basename(t.trace)) }); // the (i+1)-th of them under way
      // A fault minimizing one trace is that trace not minimized: the reports still get written.
      const r = await minimizeOne(o, t, executor, stop.signal).catch(faulted);
      // Interrupted before anything shorter was found to fail: left with its command, unwritten.
      if (r === INTERRUPTED) break;
      done++;
      if ('skipped' in r) {
        o.log(`vpdma: ${oneLine(t.trace)}: not minimized: ${oneLine(r.skipped)}\n`);
        if (r.setup === true) break; // no other trace would fare better
        continue;
      }
      cut ||= r.cut;
      repros.push(r.repro);
      o.log(
        `vpdma nightly: corpus repro ${t.signature}: ${plural(r.repro.reproCalls, 'call')} (from ${oneLine(t.trace)})\n`,
      );
    }
  } finally {
    cancelTimer?.();
    o.signal.removeEventListener('abort', onSignal);
    progress.stop();
    await executor.close();
  }
  // Said when a trace was cut short or left; a stop after the last one's minimization cut nothing.
  const stopped = cut || done < plan.length;
  return {
    repros,
    ...(stopped && stoppedBy !== undefined
      ? { minimizeStoppedBy: stoppedBy, minimizeLeft: plan.length - done }
      : {}),
    ms: performance.now() - started,
  };
}

/** Why a trace was not minimized; `setup`: the target could not be set up at all. */
type Skipped = { readonly skipped: string; readonly setup?: true };

/**
 * Ctrl-C or SIGTERM (o.signal) while the trace was read, or before a shorter trace was found to
 * fail: nothing to write, as `vpdma minimize` writes nothing then (the "repro" would be the
 * calls up to the failing one, replayed once more first: seconds for a long capture).
 */
const INTERRUPTED = Symbol('interrupted');

/** A minimization that threw: a harness bug, told as the reason the trace was not minimized. */
function faulted(e: unknown): Skipped {
  if (TargetSetupError.is(e)) return { skipped: e.message, setup: true };
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { skipped: `internal error (please report it): ${what}` };
}

/**
 * One trace minimized, replayed once more and written (`cut`: the stop ended its minimization);
 * or why not.
 */
async function minimizeOne(
  o: CorpusMinimizeInput,
  t: CorpusTarget,
  executor: PiscinaExecutor,
  signal: AbortSignal,
): Promise<{ repro: CorpusRepro; cut: boolean } | Skipped | typeof INTERRUPTED> {
  const v = t.violation;
  // Only the calls up to the failing one are held (the first pass cuts the rest), the others
  // not read again when the night's replay counted them; a damaged trace is minimized from
  // its intact part, as `vpdma minimize` does. A signal ends the read at its next chunk (a late
  // violation's calls may take seconds to read); --minimize-time spent does not: the trace
  // under way is then written as it stands.
  const read = await readTraceStart(t.trace, v.callIndex + 1, t.traceCalls, o.signal);
  if (o.signal.aborted) return INTERRUPTED;
  if (!read.ok) return { skipped: formatTraceError(read.error) };
  const { header, calls } = read.value.trace;
  // The repro records the profile it was minimized under, as `vpdma minimize` writes it.
  const profile: Profile = profileOf(header, o.settings.profile);
  const settings: ReplaySettings = { ...o.settings, profile };
  const trace = { header: { ...header, profile }, calls };
  const failure = signatureOf(v);
  try {
    const stillFails = stillFailsPredicate({ executor, settings, failure, signal });
    const r = await shrinkTrace(trace, v, stillFails, {
      attemptsMax: o.attemptsMax,
      batchSize: o.workers,
      signal,
      traceCalls: read.value.calls,
    });
    if (r.aborted && r.accepted === 0 && o.signal.aborted) return INTERRUPTED;
    const repro = reproOf(r.trace, v, { from: basename(t.trace), calls: read.value.calls });
    const [again] = await replayTraces(executor, settings, [repro]);
    const seen = findFailure(again?.result, failure);
    const text = printRepro(repro);
    const dir = corpusReproDir(o.out, t);
    const files = await writeRepro(dir, repro, text).catch((e: unknown) => ({
      skipped: `cannot write ${dir}: ${e instanceof Error ? e.message : String(e)}`,
    }));
    if ('skipped' in files) return files;
    const written: CorpusRepro = {
      signature: t.signature,
      violationSignature: signatureOfViolation(v),
      kind: v.kind,
      fn: v.fn,
      from: t.trace,
      fromCalls: t.calls,
      callIndex: seen?.callIndex ?? Math.max(0, repro.calls.length - 1),
      message: seen?.message ?? v.message,
      reproCalls: repro.calls.length,
      trace: relative(o.out, files.jsonl),
      reproText: text,
      reproduced: seen !== undefined,
      exhausted: r.exhausted || r.aborted,
      // --profile only when the night had one: the repro's header records the one it used.
      command: corpusReplayCommand(
        {
          target: o.settings.target,
          profile: o.settings.profile ?? PROFILE_PER_TRACE,
          rssLimitMb: o.settings.rssLimitMb,
          workerHeapMb: o.settings.workerHeapMb,
        },
        files.jsonl,
        o.settings.timeoutMs,
        true,
      ),
    };
    return { repro: written, cut: r.aborted };
  } catch (e) {
    return faulted(e);
  }
}
