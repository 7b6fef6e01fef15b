// Reading a trace for its replay: whole in memory when small, else streamed a batch at a time
// (checked as it feeds the replay, in one pass). A streamed trace's file stays open until the
// replay's caller closes it (Loaded.close), whichever way the replay ended.
import { stat } from 'node:fs/promises';
import type { TraceCall } from '../model/values.js';
import { formatOf, isGzipPath, readTracePrefix, streamTraceBatches } from '../store/traceFiles.js';
import { formatTraceError, type TraceError } from '../trace/traceError.js';
import { checkReferences, ReferenceCheck } from '../trace/references.js';
import { decodeVpt } from '../trace/vpt.js';
import type { TraceHeader } from '../trace/trace.js';
import type { TraceItem } from './protocol.js';
import { outsideTarget, readKib, stopAsked } from './heartbeat.js';

/**
 * .vpt and JSONL files above this many bytes are streamed rather than read whole. Low: over the
 * replay benchmark's 1.5 GiB of traces, streaming every file halved the peak memory (580 to
 * 260 MB with one worker, 900 to 400 MB with two) at the same speed; a small file read whole
 * skips the per-frame awaits.
 */
export const streamBytesMin = 1 << 20;

/** What reading a streamed trace to its end found wrong: bad input, or damage after a good part. */
export interface Finished {
  readonly inputError?: string;
  readonly damage?: string;
  /** Calls read (before the damage or bad input, if any). */
  readonly calls: number;
}

/** A trace to replay: whole in memory, or streamed from its file a frame at a time. */
export interface Loaded {
  readonly header: TraceHeader;
  readonly calls: readonly TraceCall[] | AsyncIterable<readonly TraceCall[]>;
  /** The trace is damaged here; `calls` are the intact ones before it. */
  readonly damage?: string;
  /**
   * Streamed: reads what the replay left unread (only if it stopped early) and says what was
   * wrong with the input, if anything.
   */
  readonly finish?: () => Promise<Finished>;
  /** Streamed: closes the file, read to its end or not (the caller's finally, every time). */
  readonly close?: () => Promise<void>;
}

export async function load(item: TraceItem, hb: Int32Array | undefined): Promise<Loaded | string> {
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
  if (first.done === true || first.value.kind !== 'header') {
    // No replay follows to close the file: closed here.
    await frames.return(undefined);
    return first.done !== true && first.value.kind === 'error'
      ? formatTraceError(first.value.error)
      : `${label}: no header`;
  }
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
    const next = () => outsideTarget(hb, () => frames.next());
    for (let it = await next(); it.done !== true; it = await next()) {
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
    // Bad input or a stop leaves the stream suspended at a batch, its file open, until told.
    close: async () => void (await frames.return(undefined)),
  };
}

/**
 * The calls in a trace read to its end (before its damage or bad input): what the replay's
 * caller would otherwise read the file again to count (ItemResult.traceCalls).
 */
export function callsIn(trace: Loaded, late: Finished | undefined): number | undefined {
  if (late !== undefined) return late.calls;
  return trace.finish === undefined ? (trace.calls as readonly TraceCall[]).length : undefined;
}
