// The .vpt decoder's state machine (layout in codec.ts), shared by the whole-buffer decoder
// and the streaming reader: check the prelude, then each frame's length, checksum and payload.
import type { TraceCall } from '../model/values.js';
import { callsMax, frameBytesMax } from '../core/limits.js';
import { frameCrc32 } from './checksum.js';
import type { TraceHeader } from './trace.js';
import type { Result } from '../core/result.js';
import { err } from '../core/result.js';
import type { TraceError, Where } from './traceError.js';
import { describeValue, traceError } from './traceError.js';
import { adoptVptCall } from './validate.js';
import { mapsToObjects } from './mapsToObjects.js';
import { type KeyProblem, MapKeyScanner } from './mapKeys.js';
import { validateHeader } from './header.js';
import { frameCallsMax } from './traceLimits.js';
import { CallFrameReader } from './callFrameReader.js';
import { isPlainObject, unknownKey, unknownKeyMessage } from './structs.js';

/** A call table's revision as the writer records it (model/calls.ts tableRevision). */
const MODEL_REVISION = /^[0-9a-f]{8}$/;
const HEADER_FRAME_KEYS: ReadonlySet<string> = new Set(['header', 'modelRevision']);
const FRAME_ONLY =
  "the header frame holds only header and modelRevision: a capture tool's own fields belong in the header's meta";
import {
  FRAME_HEADER_BYTES,
  PRELUDE_BYTES,
  CallFrameUnpacker,
  type UnpackedCalls,
  type UnpackFailure,
  unpackHeaderFrame,
  VPT_FORMAT_VERSION,
  VPT_MAGIC,
} from './codec.js';

export type FrameContent =
  | { readonly header: TraceHeader; readonly modelRevision?: string }
  | { readonly calls: TraceCall[]; readonly error?: TraceError };

export class VptDecoder {
  private header: TraceHeader | undefined;
  private calls = 0;
  private readonly unpacker = new CallFrameUnpacker();
  private readonly reader = new CallFrameReader();

  constructor(
    private readonly file?: string,
    /** Calls a trace may hold (a reader that keeps none may pass Infinity). */
    private readonly callsLimit = callsMax,
  ) {}

  get sawHeader(): boolean {
    return this.header !== undefined;
  }

  private fail(offset: number, message: string, field?: string, callIndex?: number): TraceError {
    const where = { offset, ...(callIndex === undefined ? {} : { callIndex }) };
    return traceError(
      this.file === undefined ? where : { file: this.file, ...where },
      field,
      message,
    );
  }

  /** Damage to the frames after the header: the calls before it are intact. */
  private damage(offset: number, message: string): TraceError {
    const e = this.fail(offset, message);
    return this.header === undefined ? e : { ...e, damaged: true };
  }

  prelude(bytes: Uint8Array): TraceError | undefined {
    if (bytes.length < PRELUDE_BYTES) return this.fail(0, 'truncated: not a complete .vpt prelude');
    for (let i = 0; i < VPT_MAGIC.length; i++) {
      if (bytes[i] !== VPT_MAGIC[i]) return this.fail(0, 'not a .vpt file (bad magic)');
    }
    const version = (bytes[4] as number) | ((bytes[5] as number) << 8);
    if (version !== VPT_FORMAT_VERSION) {
      const m = `unsupported .vpt format version ${version} (this vpdma reads ${VPT_FORMAT_VERSION})`;
      return this.fail(4, m, 'formatVersion');
    }
    return undefined;
  }

  /** The payload length a frame header announces, or the damage it shows. */
  frameLength(head: Uint8Array, offset: number): number | TraceError {
    if (head.length < FRAME_HEADER_BYTES) {
      return this.damage(
        offset,
        `truncated frame header (${head.length} of ${FRAME_HEADER_BYTES} bytes)`,
      );
    }
    const length = readU32(head, 0);
    if (length === 0 || length > frameBytesMax) {
      return this.damage(offset, `frame length ${length} outside 1..${frameBytesMax}`);
    }
    return length;
  }

  /** Checks and decodes one complete frame (head = its 8-byte header). */
  frame(head: Uint8Array, payload: Uint8Array, offset: number): FrameContent | TraceError {
    const length = readU32(head, 0);
    if (payload.length < length) {
      return this.damage(offset, `truncated frame (${payload.length} of ${length} payload bytes)`);
    }
    if (frameCrc32(payload) !== readU32(head, 4))
      return this.damage(offset, 'frame checksum mismatch');
    if (this.header === undefined) {
      const unpacked = unpackHeaderFrame(payload);
      if ('error' in unpacked) return this.undecodable(offset, unpacked);
      // The header frame is all plain maps: its keys are checked every time (one small frame).
      const bad = new MapKeyScanner(payload, [], false).problemIn(0);
      if (bad !== undefined) return this.fail(offset, bad.message, bad.field);
      return this.headerFrame(mapsToObjects(unpacked.value).value, offset);
    }
    const parts = this.unpacker.parts(payload);
    if ('error' in parts) return this.undecodable(offset, parts);
    // Frames as our writer makes them take the fast path; anything it gives up on, this one.
    const calls = this.reader.read(parts.body, parts.structures, this.callsLimit - this.calls);
    if (calls !== undefined) {
      this.calls += calls.length;
      return { calls };
    }
    const unpacked = this.unpacker.unpack(parts);
    if ('error' in unpacked) return this.undecodable(offset, unpacked);
    return this.callFrame(unpacked, offset);
  }

  /**
   * A frame whose checksum holds but whose MessagePack does not unpack: damage, unless its
   * values nest too deeply to read, which is bad input, as in a JSONL or text trace.
   */
  private undecodable(offset: number, u: UnpackFailure): TraceError {
    return u.tooDeep === true
      ? this.fail(offset, u.error)
      : this.damage(offset, `undecodable frame: ${u.error}`);
  }

  private headerFrame(value: unknown, offset: number): FrameContent | TraceError {
    if (!isPlainObject(value)) {
      const m = `expected the header frame, a map {header, modelRevision}, got ${describeValue(value)}`;
      return this.fail(offset, m);
    }
    const h = validateHeader(
      value['header'],
      this.file === undefined ? { offset } : { file: this.file, offset },
    );
    if (!h.ok)
      return {
        ...h.error,
        field: `header${h.error.field === undefined ? '' : `.${h.error.field}`}`,
      };
    // Refused as in the header (contract.md: a key the format does not define), the forbidden
    // ones by that name (a consumer copying the map would set a prototype). vpdma's writer has
    // only ever written these two keys.
    const extra = unknownKey(value, HEADER_FRAME_KEYS);
    if (extra !== undefined) {
      const m = unknownKeyMessage(extra, 'header frame key', HEADER_FRAME_KEYS, FRAME_ONLY);
      return this.fail(offset, m, extra);
    }
    const rev = value['modelRevision'];
    // What the writer records (tableRevision()); show prints it, so nothing else gets through.
    if (rev !== undefined && (typeof rev !== 'string' || !MODEL_REVISION.test(rev))) {
      const m = `expected the call table's revision, 8 hex digits, got ${describeValue(rev)}`;
      return this.fail(offset, m, 'modelRevision');
    }
    this.header = h.value;
    return rev === undefined ? { header: h.value } : { header: h.value, modelRevision: rev };
  }

  private callFrame(frame: UnpackedCalls, offset: number): FrameContent | TraceError {
    const value = frame.value;
    if (!Array.isArray(value) || value.length === 0 || value.length > frameCallsMax) {
      return this.fail(
        offset,
        `call frame is not a list of 1..${frameCallsMax} calls: ${describeValue(value)}`,
      );
    }
    if (this.calls + value.length > this.callsLimit)
      return this.fail(offset, `more than ${this.callsLimit} calls`);
    const calls: TraceCall[] = [];
    const where =
      this.file === undefined
        ? { offset, callIndex: 0 }
        : { file: this.file, offset, callIndex: 0 };
    let keys: MapKeyScanner | undefined;
    for (let i = 0; i < value.length; i++) {
      where.callIndex = this.calls;
      const raw: unknown = value[i];
      let c = adoptVptCall(raw, where);
      if (!c.ok) {
        // Plain maps decode as Map (codec.ts), which no call passes: only a call that fails
        // pays for checking their keys and making them objects (our writer writes records).
        keys ??= new MapKeyScanner(frame.body, frame.structures, true);
        c = this.fromMaps(raw, keys.problemIn(i), where) ?? c;
      }
      // The calls before a bad one are valid: keep them, so readers see all before the damage.
      if (!c.ok) return { calls, error: c.error };
      calls.push(c.value);
      this.calls++;
    }
    return { calls };
  }

  /** A failed call again: its key problem, or its maps made objects and validated. */
  private fromMaps(
    raw: unknown,
    problem: KeyProblem | undefined,
    where: Where,
  ): Result<TraceCall, TraceError> | undefined {
    if (problem !== undefined) return err(traceError(where, problem.field, problem.message));
    const converted = mapsToObjects(raw);
    return converted.maps > 0 ? adoptVptCall(converted.value, where) : undefined;
  }

  /** The error for input that ended at `offset` (a clean end is after the header frame). */
  end(offset: number): TraceError | undefined {
    return this.header === undefined ? this.fail(offset, 'truncated: no header frame') : undefined;
  }
}

function readU32(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at] as number) |
      ((bytes[at + 1] as number) << 8) |
      ((bytes[at + 2] as number) << 16) |
      ((bytes[at + 3] as number) << 24)) >>>
    0
  );
}
