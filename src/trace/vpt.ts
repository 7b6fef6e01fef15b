// Encoding and decoding whole .vpt files and streams (byte layout: codec.ts).
import type { TraceCall, Value } from '../model/values.js';
import { frameBytesMax } from '../core/limits.js';
import { assert, InvariantError } from '../core/assert.js';
import type { Result } from '../core/result.js';
import { err, ok } from '../core/result.js';
import type { Trace, TraceHeader } from './trace.js';
import type { TraceError } from './traceError.js';
import { formatTraceError } from './traceError.js';
import { perCall, type StreamOptions, type TraceBatchItem, type TraceItem } from './items.js';
import { validateCall } from './validate.js';
import { validateHeader } from './header.js';
import { headerToJson } from './header.js';
import {
  CallFramePacker,
  FRAME_HEADER_BYTES,
  headerFrame,
  PRELUDE_BYTES,
  vptPrelude,
} from './codec.js';
import { VptDecoder } from './vptDecoder.js';
import { ByteQueue } from './byteQueue.js';
import { frameBytesTarget, frameCallsMax } from './traceLimits.js';

/** Streaming encoder: start() once, push() each call, finish() at the end; write what they return. */
export class VptWriter {
  private pending: TraceCall[] = [];
  private pendingBytes = 0;
  private readonly header: TraceHeader;
  private readonly packer = new CallFramePacker();

  constructor(header: TraceHeader) {
    const h = validateHeader(headerToJson(header), {});
    if (!h.ok) throw new InvariantError(`invalid trace header: ${formatTraceError(h.error)}`);
    this.header = h.value;
  }

  start(): Uint8Array {
    const head = headerFrame(this.header);
    const out = new Uint8Array(PRELUDE_BYTES + head.length);
    out.set(vptPrelude(), 0);
    out.set(head, PRELUDE_BYTES);
    return out;
  }

  /** Adds a call (validated first); returns a full frame when one is ready. */
  push(call: TraceCall): Uint8Array | undefined {
    const c = validateCall(call, {});
    if (!c.ok) throw new InvariantError(`invalid call: ${formatTraceError(c.error)}`);
    this.pending.push(c.value);
    this.pendingBytes += estimateBytes(c.value);
    if (this.pending.length < frameCallsMax && this.pendingBytes < frameBytesTarget)
      return undefined;
    return this.flush();
  }

  finish(): Uint8Array | undefined {
    return this.pending.length === 0 ? undefined : this.flush();
  }

  private flush(): Uint8Array {
    const frame = this.packer.frame(this.pending);
    // The estimate overshoots by at most one call (under 2 MiB), far below the hard limit.
    assert(frame.length - FRAME_HEADER_BYTES <= frameBytesMax, 'call frame above frameBytesMax');
    this.pending = [];
    this.pendingBytes = 0;
    return frame;
  }
}

/** A rough msgpack size, to cut frames near frameBytesTarget without packing twice. */
function estimateBytes(call: TraceCall): number {
  let n = 8 + call.fn.length;
  for (const k in call.args) n += 2 + valueBytes(call.args[k]);
  if (call.ret !== undefined) n += 1 + valueBytes(call.ret);
  if (call.out !== undefined) for (const k in call.out) n += 2 + valueBytes(call.out[k]);
  if (call.meta !== undefined) n += 8 + JSON.stringify(call.meta).length;
  return n;
}

function valueBytes(v: Value | undefined): number {
  if (typeof v === 'bigint') return 9;
  if (typeof v === 'number') return 9;
  if (typeof v !== 'object') return 1;
  if (v instanceof Uint8Array) return 5 + v.length;
  if (Array.isArray(v)) return v.length * 24 + 5;
  return 64;
}

export function encodeVpt(trace: Trace): Uint8Array {
  const w = new VptWriter(trace.header);
  const parts = [w.start()];
  for (const call of trace.calls) {
    const f = w.push(call);
    if (f !== undefined) parts.push(f);
  }
  const last = w.finish();
  if (last !== undefined) parts.push(last);
  return concat(parts);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Decodes a whole .vpt held in memory. */
export function decodeVpt(bytes: Uint8Array, file?: string): Result<Trace, TraceError> {
  const d = new VptDecoder(file);
  const bad = d.prelude(bytes.subarray(0, PRELUDE_BYTES));
  if (bad !== undefined) return err(bad);
  let header: TraceHeader | undefined;
  const calls: TraceCall[] = [];
  let offset = PRELUDE_BYTES;
  while (offset < bytes.length) {
    const head = bytes.subarray(offset, offset + FRAME_HEADER_BYTES);
    const length = d.frameLength(head, offset);
    if (typeof length !== 'number') return err(length);
    const start = offset + FRAME_HEADER_BYTES;
    const content = d.frame(head, bytes.subarray(start, start + length), offset);
    if ('message' in content) return err(content);
    if ('header' in content) header = content.header;
    else {
      for (const c of content.calls) calls.push(c);
      if (content.error !== undefined) return err(content.error);
    }
    offset = start + length;
  }
  const end = d.end(offset);
  if (end !== undefined || header === undefined) return err(end ?? { message: 'no header' });
  return ok({ header, calls });
}

/** Streams a .vpt: holds at most one frame; yields everything before any damage, then the error. */
export function readVptCalls(
  chunks: AsyncIterable<Uint8Array>,
  file?: string,
): AsyncGenerator<TraceItem> {
  return perCall(readVptFrames(chunks, file));
}

/**
 * readVptCalls a frame at a time: each call frame's calls as one batch, so a consumer that
 * works through them synchronously pays one await per frame instead of one per call.
 */
export async function* readVptFrames(
  chunks: AsyncIterable<Uint8Array>,
  file?: string,
  o: StreamOptions = {},
): AsyncGenerator<TraceBatchItem> {
  const d = new VptDecoder(file, o.traceCallsMax);
  const q = new ByteQueue(chunks);
  try {
    const bad = d.prelude(await q.read(PRELUDE_BYTES));
    if (bad !== undefined) {
      yield { kind: 'error', error: bad };
      return;
    }
    let offset = PRELUDE_BYTES;
    while (!(await q.atEnd())) {
      const head = await q.read(FRAME_HEADER_BYTES);
      const length = d.frameLength(head, offset);
      if (typeof length !== 'number') {
        yield { kind: 'error', error: length };
        return;
      }
      const content = d.frame(head, await q.read(length), offset);
      if ('message' in content) {
        yield { kind: 'error', error: content };
        return;
      }
      if ('header' in content) yield { kind: 'header', ...content };
      else {
        if (content.calls.length > 0) yield { kind: 'calls', calls: content.calls };
        if (content.error !== undefined) {
          yield { kind: 'error', error: content.error };
          return;
        }
      }
      offset += FRAME_HEADER_BYTES + length;
    }
    const end = d.end(offset);
    if (end !== undefined) yield { kind: 'error', error: end };
  } finally {
    // Damage, or a consumer that stopped early: the file is closed either way.
    await q.close();
  }
}
