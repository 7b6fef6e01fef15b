/*
 * The binary trace format, .vpt, version 1. The only module that imports msgpackr. For writers
 * other than this one (plain maps, what each type may be written as): docs/vpt-format.md.
 *
 * Byte layout (all integers little-endian):
 *
 *   offset 0   4 bytes   magic "VPDT" (0x56 0x50 0x44 0x54)
 *   offset 4   u16       format version (1)
 *   offset 6   frame     the header frame
 *   ...        frame*    call frames, until the end of the file
 *
 *   frame      u32 payload length L (1 <= L <= frameBytesMax; above is damage, not a frame)
 *              u32 CRC-32 (IEEE, as zlib) of the payload
 *              L bytes of payload
 *
 *   header frame payload: plain MessagePack map {header, modelRevision}; `header` in its JSONL
 *              spelling (addresses as "0x..." strings, device as written), `modelRevision`
 *              the writer's call-table hash (tableRevision()).
 *   call frame payload:
 *              u32 S, the byte length of the structures block
 *              S bytes: plain MessagePack array of record structures, each an array of key
 *                strings; structure i is msgpackr's shared structure i (record id 0x40 + i,
 *                in msgpackr's two-byte form from i = 32 on)
 *              the rest: MessagePack, records on, an array of 1..frameCallsMax calls
 *                {fn, args, ret?, out?, meta?} in the in-memory spelling: pointers and 64-bit
 *                values as int64/uint64 (decoded as bigint), other integers as integers or
 *                float64 (decoded as number), byte strings as bin, booleans, structures as
 *                records; `meta` (a call's free-form facts) as a string, its JSONL JSON text.
 *
 * Why meta is JSON text: it is free-form, so as records every new set of keys a capture
 * tool writes would grow the structure list (bounded, and sent with every frame); as text
 * it is one string, read by the same JSON rules as JSONL's. A call without meta has no key
 * for it, so files without call meta are byte for byte what a writer before it made. A
 * reader before it refuses a call with meta: `unknown key "meta"`, naming the call.
 *
 * Why this shape: msgpackr compiles a reader for each record structure it sees repeatedly;
 * with structures defined afresh inside every frame that compilation dominated decoding. Here
 * a file's writer keeps one growing list of structures and every call frame carries the whole
 * list, so each frame still decodes on its own (no state from other frames, nothing outside
 * the file), while a reader that sees the same list again keeps its compiled readers. The
 * list is bounded (recordStructuresMax) and checked before use.
 *
 * Pinned msgpackr options: no structuredClone or moreTypes for untrusted input; int64 as
 * bigint; decoded byte strings never alias a caller's buffer (copyBuffers, or for call frames
 * one private copy of the frame that they view); plain maps in the header and call frames
 * decoded as Map, made objects by the decoder (mapsToObjects.ts: msgpackr's own objects
 * rename a "__proto__" key) after it has checked their keys in the raw bytes (mapKeys.ts:
 * msgpackr keeps one of two equal keys). Every call is validated before
 * it is encoded and after it is decoded (STYLE lesson 5), by the callers (vpt.ts).
 *
 * Reading call frames: a frame that repeats the previous frame's structures block byte for
 * byte skips decoding and checking it again. The body is then read first by
 * callFrameReader.ts, which reads only what this writer writes (records, scalars, byte
 * strings) and validates as it reads; msgpackr and the validators read any frame it gives up
 * on, so what a file means and every error message stay theirs.
 *
 * Also here, as the one msgpackr user: plain MessagePack (maps, no records) for the process
 * target protocol (docs/target-protocol.md), which other languages must be able to speak.
 */
import { Packr, Unpackr } from 'msgpackr';
import type { CallMeta, TraceCall } from '../model/values.js';
import { tableRevision } from '../model/calls.js';
import { frameCrc32 } from './checksum.js';
import type { TraceHeader } from './trace.js';
import { headerToJson } from './header.js';
import { checkStructures, sameStructure } from './recordStructures.js';

export const VPT_MAGIC = new Uint8Array([0x56, 0x50, 0x44, 0x54]);
export const VPT_FORMAT_VERSION = 1;
export const PRELUDE_BYTES = 6;
export const FRAME_HEADER_BYTES = 8;
/** msgpackr's ceiling for shared record structures. */
const recordStructuresMax = 8160;

const SAFE_OPTIONS = {
  structuredClone: false,
  moreTypes: false,
  bundleStrings: false,
  largeBigIntToFloat: false,
  useBigIntExtension: false,
} as const;
const UNPACK_OPTIONS = {
  ...SAFE_OPTIONS,
  mapsAsObjects: true,
  int64AsType: 'bigint',
  copyBuffers: true,
} as const;
/**
 * Call frames are copied once, whole, into memory nobody else holds, and their byte strings
 * are views of that copy: the same safety as copyBuffers (nothing aliases the caller's or a
 * stream's buffer) for one allocation per frame instead of one per byte string.
 */
const CALL_UNPACK_OPTIONS = {
  ...UNPACK_OPTIONS,
  copyBuffers: false,
  mapsAsObjects: false,
} as const;

/** Plain MessagePack (no records): the header, structure lists, and the process protocol. */
const plainPackr = new Packr({ ...SAFE_OPTIONS, useRecords: false, variableMapSize: true });
const plainUnpackr = new Unpackr({ ...UNPACK_OPTIONS, useRecords: false });
const headerUnpackr = new Unpackr({ ...UNPACK_OPTIONS, useRecords: false, mapsAsObjects: false });

/** Magic and format version, the first 6 bytes of every .vpt file. */
export function vptPrelude(): Uint8Array {
  const out = new Uint8Array(PRELUDE_BYTES);
  out.set(VPT_MAGIC, 0);
  new DataView(out.buffer).setUint16(4, VPT_FORMAT_VERSION, true);
  return out;
}

/** Length, checksum and payload parts in one fresh array (msgpackr reuses its own buffer). */
function frame(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(FRAME_HEADER_BYTES + length);
  let at = FRAME_HEADER_BYTES;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  const view = new DataView(out.buffer);
  view.setUint32(0, length, true);
  view.setUint32(4, frameCrc32(out.subarray(FRAME_HEADER_BYTES)), true);
  return out;
}

let revision: string | undefined;

export function headerFrame(header: TraceHeader): Uint8Array {
  revision ??= tableRevision();
  return frame(plainPackr.pack({ header: headerToJson(header), modelRevision: revision }));
}

/** Unpacks a plain MessagePack value; errors come back as a message, never thrown. */
export function unpackPlain(payload: Uint8Array): { value: unknown } | UnpackFailure {
  return unpackWith(plainUnpackr, payload);
}

/**
 * How many bytes the MessagePack map that `bytes` begins with takes, or undefined if they do
 * not begin with a whole map (what a frame whose length prefix is wrong really held).
 */
export function leadingMapBytes(bytes: Uint8Array): number | undefined {
  let end: number | undefined;
  try {
    plainUnpackr.unpackMultiple(bytes, (value: unknown, _start?: number, e?: number) => {
      if (isPlainMap(value)) end = e;
      return false;
    });
  } catch {
    // no whole value, or bytes that are no MessagePack
  }
  return end;
}

/** The header frame's value, its maps as Map; errors come back as a message. */
export function unpackHeaderFrame(payload: Uint8Array): { value: unknown } | UnpackFailure {
  return unpackWith(headerUnpackr, payload);
}

/** Why a frame did not unpack; `tooDeep`: its values nest past what msgpackr can read. */
export interface UnpackFailure {
  readonly error: string;
  readonly tooDeep?: true;
}

function unpackWith(u: Unpackr, payload: Uint8Array): { value: unknown } | UnpackFailure {
  try {
    return { value: u.unpack(payload) as unknown };
  } catch (e) {
    return unpackFailure(e);
  }
}

/**
 * msgpackr reads nested values by recursion: nesting deep enough (1e5 arrays in 100 KB)
 * overflows the stack, which is said as the text reader says it, not in V8's words.
 */
function unpackFailure(e: unknown): UnpackFailure {
  if (e instanceof RangeError && e.message.includes('call stack'))
    return { error: 'values nested too deeply', tooDeep: true };
  return { error: e instanceof Error ? e.message : String(e) };
}

/** One per file written: owns the growing list of record structures. */
export class CallFramePacker {
  private readonly structures: string[][] = [];
  private readonly packr = new Packr({
    ...SAFE_OPTIONS,
    useRecords: true,
    structures: this.structures,
    maxSharedStructures: recordStructuresMax,
  });

  /** One call frame; the calls must already be validated. */
  frame(calls: readonly TraceCall[]): Uint8Array {
    // Pack the calls first: that is what adds new structures to the list.
    const body = this.packr.pack(calls.some(hasMeta) ? calls.map(metaAsJson) : calls);
    const list = plainPackr.pack(this.structures.map((s) => [...s]));
    const size = new Uint8Array(4);
    new DataView(size.buffer).setUint32(0, list.length, true);
    return frame(size, list, body);
  }
}

/** A call frame's parts: its body, and the structure list its records refer to. */
export interface CallFrameParts {
  /** The MessagePack after the structures block, copied into memory nobody else holds. */
  readonly body: Uint8Array;
  /** The structure list, checked; the same array while frames repeat or extend it. */
  readonly structures: readonly (readonly string[])[];
}

export interface UnpackedCalls extends CallFrameParts {
  readonly value: unknown;
}

/** One per file read: keeps compiled record readers while frames repeat the same list. */
export class CallFrameUnpacker {
  private live: string[][] = [];
  private unpackr = this.fresh();
  /** The last structures block, as bytes (a private copy): a frame that repeats it is known. */
  private lastBlock: Uint8Array | undefined;

  private fresh(): Unpackr {
    // getStructures is msgpackr's documented hook for shared structures: it is asked again
    // whenever a record id is unknown. A copy each time, so msgpackr's bookkeeping on its list
    // never aliases ours; the entries (which carry the compiled readers) are shared.
    return new Unpackr({
      ...CALL_UNPACK_OPTIONS,
      useRecords: true,
      getStructures: () => [...this.live],
    });
  }

  /**
   * The frame's structure list (checked, and adopted as the live list) and a private copy of
   * its body; any malformation of the list comes back as a message.
   */
  parts(payload: Uint8Array): CallFrameParts | UnpackFailure {
    if (payload.length < 4) return { error: 'call frame shorter than its structures length' };
    const size = new DataView(payload.buffer, payload.byteOffset).getUint32(0, true);
    if (size > payload.length - 4) return { error: 'structures block runs past the frame' };
    const block = payload.subarray(4, 4 + size);
    if (this.lastBlock === undefined || !sameBytes(block, this.lastBlock)) {
      // Frames of one writer repeat the list, or extend it: most frames skip this.
      this.lastBlock = undefined;
      const list = unpackPlain(block);
      if ('error' in list) return list;
      const structures = checkStructures(list.value, recordStructuresMax);
      if (typeof structures === 'string') return { error: structures };
      this.adopt(structures);
      this.lastBlock = Uint8Array.prototype.slice.call(block);
    }
    // Uint8Array's slice copies, where a Buffer's would return a view of the caller's memory.
    return { body: Uint8Array.prototype.slice.call(payload, 4 + size), structures: this.live };
  }

  /**
   * The frame's calls as msgpackr decodes them, unvalidated, plain maps as Map, with the parts
   * they came from (for mapKeys.ts); any malformation comes back as a message.
   */
  unpack(parts: CallFrameParts): UnpackedCalls | UnpackFailure {
    try {
      return { ...parts, value: this.unpackr.unpack(parts.body) as unknown };
    } catch (e) {
      return unpackFailure(e);
    }
  }

  /** Extends the live list if the frame's list extends it; otherwise starts over. */
  private adopt(structures: string[][]): void {
    const live = this.live;
    const extension =
      structures.length >= live.length && live.every((s, i) => sameStructure(s, structures[i]));
    if (!extension) {
      this.live = [];
      this.unpackr = this.fresh();
    }
    for (let i = this.live.length; i < structures.length; i++) {
      this.live.push(structures[i] as string[]);
    }
  }
}

const hasMeta = (c: TraceCall): boolean => c.meta !== undefined;

/** A call as a frame holds it: its meta (if any) as JSON text, keys in the same order. */
function metaAsJson(c: TraceCall): TraceCall | (Omit<TraceCall, 'meta'> & { meta: string }) {
  const meta: CallMeta | undefined = c.meta;
  return meta === undefined ? c : { ...c, meta: JSON.stringify(meta) };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One protocol message as plain MessagePack, in a fresh array. */
export function packMessage(message: Readonly<Record<string, unknown>>): Uint8Array {
  return new Uint8Array(plainPackr.pack(message));
}

/**
 * Decodes one protocol message: a map becomes an object (64-bit integers as bigint, smaller
 * ones as number, bin as bytes); anything else, or undecodable bytes, is undefined.
 */
export function unpackMessage(payload: Uint8Array): Record<string, unknown> | undefined {
  const r = unpackPlain(payload);
  if ('error' in r) return undefined;
  const v = r.value;
  return isPlainMap(v) ? v : undefined;
}

/**
 * A MessagePack map as plain data: not an array, bytes, or a value msgpackr makes a class of
 * (the reserved byte 0xc1 decodes as a C1Type object, which an answer must not pass as `{}`).
 */
function isPlainMap(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
