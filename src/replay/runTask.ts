// The worker's side of a replay task (also run inline when there is one worker): read each
// trace, open a fresh target for it, replay, and return plain results in item order.
import { resolveDevice } from '../model/device.js';
import { readTrace } from '../store/traceFiles.js';
import { formatTraceError } from '../trace/traceError.js';
import { checkReferences } from '../trace/references.js';
import { decodeVpt } from '../trace/vpt.js';
import type { Trace } from '../trace/trace.js';
import { TargetFault } from './callTarget.js';
import { HEARTBEAT_SLOTS, type ItemResult, type ReplayTask, type TraceItem } from './protocol.js';
import { replayTrace } from './replay.js';
import { createSession, type TargetSession } from './sessions.js';
import { parseTargetSpec } from './targetSpec.js';
import { violation } from './violation.js';
import { beat } from './heartbeat.js';

const sessions = new Map<string, TargetSession>();

/** The worker's session for a target SPEC (one per SPEC and timeout, reused across tasks). */
export async function sessionFor(spec: string, timeoutMs: number): Promise<TargetSession | string> {
  const key = `${spec}\u0000${timeoutMs}`;
  const have = sessions.get(key);
  if (have !== undefined) return have;
  const parsed = parseTargetSpec(spec);
  if (!parsed.ok) return parsed.error;
  const s = await createSession(parsed.value, timeoutMs);
  if (!s.ok) return s.error;
  sessions.set(key, s.value);
  return s.value;
}

async function load(item: TraceItem): Promise<Trace | string> {
  if (item.bytes !== undefined) {
    const r = decodeVpt(item.bytes, item.label);
    return r.ok ? r.value : formatTraceError(r.error);
  }
  if (item.path === undefined) return `${item.label}: nothing to replay`;
  const r = await readTrace(item.path);
  if (!r.ok) return formatTraceError(r.error);
  const broken = checkReferences(r.value, item.label);
  return broken === undefined ? r.value : formatTraceError(broken);
}

async function runItem(
  task: ReplayTask,
  session: TargetSession,
  item: TraceItem,
  hb: Int32Array | undefined,
): Promise<ItemResult> {
  const trace = await load(item);
  if (typeof trace === 'string') return { id: item.id, label: item.label, inputError: trace };
  const s = task.settings;
  const profile = s.profile ?? trace.header.profile ?? 'docs';
  let target;
  try {
    target = await session.open(resolveDevice(trace.header.device), profile);
  } catch (e) {
    if (!TargetFault.is(e)) throw e;
    const v = violation(
      'target-crashed',
      trace.calls[0]?.fn ?? '(start)',
      0,
      `the target could not start: ${e.message}`,
    );
    return {
      id: item.id,
      label: item.label,
      result: { outcome: 'crash', calls: 0, violations: [v] },
    };
  }
  if (hb !== undefined) Atomics.store(hb, 0, item.id);
  const result = await replayTrace(trace.header, trace.calls, target, {
    profile,
    paranoid: s.paranoid,
    sampleBytes: s.sampleBytes,
    callTimeoutMs: s.timeoutMs,
    ...(hb === undefined ? {} : { onCall: (i: number, fn: string) => beat(hb, i, fn) }),
  });
  await session.release(target, result.outcome === 'crash' || result.outcome === 'timeout');
  return { id: item.id, label: item.label, result };
}

export async function runReplayTask(task: ReplayTask): Promise<ItemResult[]> {
  const session = await sessionFor(task.settings.target, task.settings.timeoutMs);
  if (typeof session === 'string')
    return task.items.map((i) => ({ id: i.id, label: i.label, setupError: session }));
  const hb =
    task.heartbeat === undefined ? undefined : new Int32Array(task.heartbeat, 0, HEARTBEAT_SLOTS);
  const out: ItemResult[] = [];
  for (const item of task.items) {
    out.push(await runItem(task, session, item, hb));
    // Between traces nothing is being called: the watchdog must not count loading time.
    if (hb !== undefined) Atomics.store(hb, 0, -1);
  }
  return out;
}

export async function closeSessions(): Promise<void> {
  for (const s of sessions.values()) await s.close();
  sessions.clear();
}
