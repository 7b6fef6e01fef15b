// The worker's side of a replay task (also run inline when there is one worker): read each
// trace, open a fresh target for it, replay, and return plain results in item order.
import { profileOf, resolveDevice } from '../model/device.js';
import { stat } from 'node:fs/promises';
import type { TraceCall } from '../model/values.js';
import { formatOf, isGzipPath, readTracePrefix, streamTraceBatches } from '../store/traceFiles.js';
import { formatTraceError, type TraceError } from '../trace/traceError.js';
import { checkReferences, ReferenceCheck } from '../trace/references.js';
import { decodeVpt } from '../trace/vpt.js';
import type { TraceHeader } from '../trace/trace.js';
import { TargetFault } from './callTarget.js';
import { HEARTBEAT_SLOTS, type ItemResult, type ReplayTask, type TraceItem } from './protocol.js';
import type { ReplaySettings } from './protocol.js';
import { replayTrace } from './replayTrace.js';
import { createSession, type TargetSession } from './sessions.js';
import { parseTargetSpec } from './targetSpec.js';
import { isWanted, NOT_STARTED, violation, type Violation } from './violation.js';
import {
  beat,
  holding,
  readKib,
  starting,
  stopAsked,
  violationFound,
  watchedBy,
} from './heartbeat.js';
import { callLines, Explainer } from './explain.js';

const sessions = new Map<string, TargetSession>();

/**
 * .vpt and JSONL files above this many bytes are streamed rather than read whole. Low: over the
 * replay benchmark's 1.5 GiB of traces, streaming every file halved the peak memory (580 to
 * 260 MB with one worker, 900 to 400 MB with two) at the same speed; a small file read whole
 * skips the per-frame awaits.
 */
export const streamBytesMin = 1 << 20;

type SessionSettings = Pick<ReplaySettings, 'target' | 'timeoutMs'> & SessionLimits;
type SessionLimits = Pick<ReplaySettings, 'startTimeoutMs' | 'rssLimitMb'>;
/** What a session is cached under, provideSession's (SPEC and timeout only) among them. */
const sessionKey = (o: SessionSettings): string =>
  [o.target, o.timeoutMs, o.startTimeoutMs ?? '', o.rssLimitMb ?? 0].join('\u0000');

/** The worker's session for a SPEC (one per SPEC, timeouts and limit, reused across tasks). */
export async function sessionFor(o: SessionSettings): Promise<TargetSession | string> {
  const key = sessionKey(o);
  const have = sessions.get(key);
  if (have !== undefined) return have;
  const parsed = parseTargetSpec(o.target);
  if (!parsed.ok) return parsed.error;
  const s = await createSession(parsed.value, o.timeoutMs, o.startTimeoutMs, o.rssLimitMb);
  if (!s.ok) return s.error;
  sessions.set(key, s.value);
  return s.value;
}

/**
 * Makes `spec` name `session` in this thread until the returned function is called: how a
 * target built in code (the library's fuzzTarget) reaches the inline executors, which look
 * sessions up by SPEC.
 */
export function provideSession(
  spec: string,
  timeoutMs: number,
  session: TargetSession,
): () => void {
  const key = sessionKey({ target: spec, timeoutMs });
  if (sessions.has(key)) throw new Error(`a session is already provided for ${spec}`);
  sessions.set(key, session);
  return () => void sessions.delete(key);
}

/** What reading a streamed trace to its end found wrong: bad input, or damage after a good part. */
interface Finished {
  readonly inputError?: string;
  readonly damage?: string;
  /** Calls read (before the damage or bad input, if any). */
  readonly calls: number;
}

/** A trace to replay: whole in memory, or streamed from its file a frame at a time. */
interface Loaded {
  readonly header: TraceHeader;
  readonly calls: readonly TraceCall[] | AsyncIterable<readonly TraceCall[]>;
  /** The trace is damaged here; `calls` are the intact ones before it. */
  readonly damage?: string;
  /**
   * Streamed: reads what the replay left unread (only if it stopped early) and says what was
   * wrong with the input, if anything.
   */
  readonly finish?: () => Promise<Finished>;
}

async function load(item: TraceItem, hb: Int32Array | undefined): Promise<Loaded | string> {
  if (item.bytes !== undefined) {
    const r = decodeVpt(item.bytes, item.label);
    return r.ok ? r.value : formatTraceError(r.error);
  }
  if (item.path === undefined) return `${item.label}: nothing to replay`;
  const format = formatOf(item.path);
  // A .gz streams whatever its size: how many bytes it inflates to is known only at its end.
  const big = isGzipPath(item.path) || (await sizeOf(item)) > streamBytesMin;
  if ((format === 'vpt' || format === 'jsonl') && big) return streamed(item.path, item.label, hb);
  // A damaged trace (cut short, a bad checksum) replays up to the damage, which is reported.
  const r = await readTracePrefix(item.path, item.label);
  if (!r.ok) return beforeBadInput(item.path, item.label, format, r.error, hb);
  const broken = checkReferences(r.value.trace, item.label);
  if (broken !== undefined) return beforeBadInput(item.path, item.label, format, broken, hb);
  const { trace, damage } = r.value;
  return damage === undefined ? trace : { ...trace, damage: formatTraceError(damage) };
}

/**
 * A small .vpt or JSONL with bad input (a bad line, a handle no call returned): streamed, as a
 * big one is, so the calls before it replay and their violations are kept beside the error.
 * A .txt, or a file whose header is bad, gives the whole read's error alone.
 */
async function beforeBadInput(
  path: string,
  label: string,
  format: ReturnType<typeof formatOf>,
  error: TraceError,
  hb: Int32Array | undefined,
): Promise<Loaded | string> {
  if (format !== 'vpt' && format !== 'jsonl') return formatTraceError(error);
  const s = await streamed(path, label, hb);
  return typeof s === 'string' ? formatTraceError(error) : s;
}

async function sizeOf(item: TraceItem): Promise<number> {
  if (item.size !== undefined) return item.size;
  try {
    return (await stat(item.path ?? '')).size;
  } catch {
    return 0; // readTrace reports what is wrong with the file
  }
}

/**
 * A big .vpt or JSONL in bounded memory and one pass: the batches (a .vpt frame, a JSONL
 * chunk's lines) feed the replay as they are read, and every call and handle reference is
 * checked on the way. Bad input found part way (an invalid call, a reference no earlier call
 * produced) is the same input error a whole read reports, with the result of the calls
 * replayed before it (their violations are not lost to a bad line 4 GB in); damage (a
 * truncated or corrupted frame) ends the trace there, as a whole read's intact part does.
 * (Checking in a pass of its own first decoded every frame twice: 0.9 to 1.3 s of a 4 s
 * replay of a 555,000-call trace.)
 */
async function streamed(path: string, label: string, hb?: Int32Array): Promise<Loaded | string> {
  let kib = 0;
  // No call limit: the replay holds a batch at a time, however long the trace.
  const frames = streamTraceBatches(path, {
    label,
    traceCallsMax: Number.POSITIVE_INFINITY,
    // The KiB read so far (the heartbeat's, for progress through one long trace).
    ...(hb === undefined
      ? {}
      : {
          onBytes: (n: number) => {
            const now = Math.floor(n / 1024);
            readKib(hb, now - kib);
            kib = now;
          },
        }),
  })[Symbol.asyncIterator]();
  const first = await frames.next();
  if (first.done === true) return `${label}: no header`;
  if (first.value.kind === 'error') return formatTraceError(first.value.error);
  if (first.value.kind !== 'header') return `${label}: no header`;
  const refs = new ReferenceCheck(label);
  let bad: TraceError | undefined;
  let read = 0;
  /** Set at a broken reference: the replay has its last calls; the rest are only checked. */
  let cut = false;
  /**
   * Checks calls[from..]: the index of the first whose reference is broken (calls.length if
   * none, or once cut: every call is then checked, none replayed).
   */
  const check = (calls: readonly TraceCall[], from: number): number => {
    for (let i = from; i < calls.length; i++) {
      refs.add(calls[i] as TraceCall);
      if (!cut && refs.result() !== undefined) return i;
    }
    return calls.length;
  };
  /** Takes the next frame's calls, checking them; undefined at the end or at bad input. */
  const nextCalls = async (): Promise<readonly TraceCall[] | undefined> => {
    for (let it = await frames.next(); it.done !== true; it = await frames.next()) {
      const v = it.value;
      if (v.kind === 'error') {
        bad = v.error;
        return undefined;
      }
      if (v.kind !== 'calls') continue;
      read += v.calls.length;
      const broken = check(v.calls, 0);
      if (broken === v.calls.length) return v.calls;
      // A captured trace's first handle no call returned: the replay ends before that call
      // (the trace is bad input; the calls before it are what it can say anything about).
      cut = true;
      check(v.calls, broken + 1);
      return v.calls.slice(0, broken);
    }
    return undefined;
  };
  async function* calls(): AsyncGenerator<readonly TraceCall[]> {
    for (let c = await nextCalls(); c !== undefined; c = await nextCalls()) {
      yield c;
      if (cut) return;
    }
  }
  return {
    header: first.value.header,
    calls: calls(),
    finish: async () => {
      // A replay that stopped early left these; a Ctrl-C stops reading them (runItem sees it).
      while (!stopAsked(hb) && (await nextCalls()) !== undefined);
      const calls = read;
      if (bad !== undefined && bad.damaged !== true)
        return { inputError: formatTraceError(bad), calls };
      const broken = refs.result();
      if (broken !== undefined) return { inputError: formatTraceError(broken), calls };
      return bad === undefined ? { calls } : { damage: formatTraceError(bad), calls };
    },
  };
}

/**
 * The calls in a trace read to its end (before its damage or bad input): what the replay's
 * caller would otherwise read the file again to count (ItemResult.traceCalls).
 */
function callsIn(trace: Loaded, late: Finished | undefined): number | undefined {
  if (late !== undefined) return late.calls;
  return trace.finish === undefined ? (trace.calls as readonly TraceCall[]).length : undefined;
}

/** Counts each violation in the heartbeat (progress), then tells `also` (--explain). */
function counted(hb: Int32Array, also?: (v: Violation) => void): (v: Violation) => void {
  return (v) => {
    violationFound(hb);
    also?.(v);
  };
}

async function runItem(
  task: ReplayTask,
  session: TargetSession,
  item: TraceItem,
  hb: Int32Array | undefined,
  explain: ((text: string) => void) | undefined,
): Promise<ItemResult> {
  holding(hb, item.id);
  const trace = await load(item, hb);
  if (typeof trace === 'string') return { id: item.id, label: item.label, inputError: trace };
  const ex =
    explain === undefined
      ? undefined
      : new Explainer(item.label, await callLines(item.path), explain);
  const s = task.settings;
  const profile = profileOf(trace.header, s.profile);
  let target;
  starting(hb, item.id);
  try {
    target = await session.open(resolveDevice(trace.header.device), profile);
  } catch (e) {
    if (!TargetFault.is(e)) throw e;
    holding(hb, item.id); // reading the rest is not a call the watchdog should time
    const bad = await trace.finish?.();
    if (bad?.inputError !== undefined)
      return { id: item.id, label: item.label, inputError: bad.inputError };
    const damage = trace.damage ?? bad?.damage;
    // A Ctrl-C stops finish() part way: the count is then of what was read, not the trace.
    const count = stopAsked(hb) ? undefined : callsIn(trace, bad);
    // Filed under (start), as fuzz and the watchdog do: no call ran, so none is to blame.
    const v = violation(
      e.timeout ? 'target-timeout' : 'target-crashed',
      '(start)',
      0,
      `${NOT_STARTED}: ${e.message}`,
    );
    ex?.end(undefined, v.message);
    return {
      id: item.id,
      label: item.label,
      result: { outcome: e.timeout ? 'timeout' : 'crash', calls: 0, violations: [v] },
      ...(damage === undefined ? {} : { damage }),
      ...(count === undefined ? {} : { traceCalls: count }),
    };
  }
  if (hb !== undefined) Atomics.store(hb, 0, item.id);
  const hooks = ex?.hooks(hb === undefined ? undefined : (i, fn) => beat(hb, i, fn));
  const heard = hb === undefined ? hooks?.onViolation : counted(hb, hooks?.onViolation);
  const want = s.stopAtViolation;
  /** Set once the violation settings.stopAtViolation asks for is found: the replay ends. */
  let found = false;
  const onViolation =
    want === undefined
      ? heard
      : (v: Violation) => {
          found ||= isWanted(v, want);
          heard?.(v);
        };
  const result = await replayTrace(trace.header, trace.calls, target, {
    profile,
    paranoid: s.paranoid,
    sampleBytes: s.sampleBytes,
    callTimeoutMs: s.timeoutMs,
    ...(hb === undefined ? {} : { onCall: (i: number, fn: string) => beat(hb, i, fn) }),
    ...(hb === undefined && want === undefined ? {} : { stopped: () => found || stopAsked(hb) }),
    ...hooks,
    ...(onViolation === undefined ? {} : { onViolation }),
  });
  const closeError = await session.release(
    target,
    result.outcome === 'crash' || result.outcome === 'timeout',
  );
  const closed = closeError === undefined ? {} : { closeError };
  holding(hb, item.id); // reading the rest is not a call the watchdog should time
  /** Stopped when asked (Ctrl-C): what was found so far, without the rest of the file. */
  const stoppedHere = (): ItemResult => {
    ex?.end(result, trace.damage ?? 'interrupted: the rest of the trace was not replayed');
    return {
      id: item.id,
      label: item.label,
      result: result.interrupted === true ? result : { ...result, interrupted: true },
      ...(trace.damage === undefined ? {} : { damage: trace.damage }),
      ...closed,
    };
  };
  if (result.interrupted === true && (!found || stopAsked(hb))) return stoppedHere();
  const late = await trace.finish?.();
  // Ctrl-C while the rest was read (finish stops reading then): as if stopped at the end.
  if (stopAsked(hb)) return stoppedHere();
  ex?.end(result, late?.inputError ?? trace.damage ?? late?.damage);
  // Read to its end (the rest after a stop at the violation asked for was read and checked
  // above, not replayed): how many calls it holds.
  const count = callsIn(trace, late);
  const total = count === undefined ? {} : { traceCalls: count };
  // Bad input part way: the calls before it were replayed, and what they showed is kept.
  if (late?.inputError !== undefined)
    return {
      id: item.id,
      label: item.label,
      inputError: late.inputError,
      result,
      ...total,
      ...closed,
    };
  const damage = trace.damage ?? late?.damage;
  return {
    id: item.id,
    label: item.label,
    result,
    ...(damage === undefined ? {} : { damage }),
    ...total,
    ...closed,
  };
}

/**
 * Runs a task's traces in order; `explain` (with settings.explain) takes the text of
 * `vpdma replay --explain` as it is ready.
 */
export async function runReplayTask(
  task: ReplayTask,
  explain?: (text: string) => void,
): Promise<ItemResult[]> {
  const session = await sessionFor(task.settings);
  if (typeof session === 'string')
    return task.items.map((i) => ({ id: i.id, label: i.label, setupError: session }));
  const hb =
    task.heartbeat === undefined ? undefined : new Int32Array(task.heartbeat, 0, HEARTBEAT_SLOTS);
  watchedBy(hb);
  const out: ItemResult[] = [];
  for (const item of task.items) {
    // Stopped (Ctrl-C): the traces not begun are not replayed; the pool reports them so.
    if (stopAsked(hb)) break;
    const r = await runItem(
      task,
      session,
      item,
      hb,
      task.settings.explain === true ? explain : undefined,
    );
    // Asked to stop while it loaded or its target started: not begun, so not replayed.
    if (r.result?.interrupted === true && r.result.calls === 0 && stopAsked(hb)) break;
    out.push(r);
    // Between traces nothing is being called: the watchdog must not count loading time.
    holding(hb, -1);
  }
  return out;
}

export async function closeSessions(): Promise<void> {
  for (const s of sessions.values()) await s.close();
  sessions.clear();
}
