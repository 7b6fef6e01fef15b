// The worker's side of a replay task (also run inline when there is one worker): read each
// trace, open a fresh target for it, replay, and return plain results in item order.
import { profileOf, resolveDevice } from '../model/device.js';
import { TargetFault } from './callTarget.js';
import { HEARTBEAT_SLOTS, type ItemResult, type ReplayTask, type TraceItem } from './protocol.js';
import type { ReplaySettings } from './protocol.js';
import { replayTrace } from './replayTrace.js';
import { createSession, type TargetSession } from './sessions.js';
import { parseTargetSpec } from './targetSpec.js';
import { isWanted, NOT_STARTED, violation, type Violation } from './violation.js';
import { beat, holding, starting, stopAsked, violationFound, watchedBy } from './heartbeat.js';
import { callLines, Explainer } from './explain.js';
import { callsIn, load, type Loaded } from './loadTrace.js';

export { streamBytesMin } from './loadTrace.js';

const sessions = new Map<string, TargetSession>();

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
  try {
    return await replayLoaded(task, session, item, trace, hb, explain);
  } finally {
    // A streamed trace's file, whichever way its replay ended (stopped, thrown, bad input).
    await trace.close?.();
  }
}

async function replayLoaded(
  task: ReplayTask,
  session: TargetSession,
  item: TraceItem,
  trace: Loaded,
  hb: Int32Array | undefined,
  explain: ((text: string) => void) | undefined,
): Promise<ItemResult> {
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
