/*
 * The binary trace format, .vpt, version 1. The only module that imports msgpackr.
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
 *              L bytes of payload, one msgpack value
 *
 * The header frame's payload is a map {header, modelRevision}: `header` in its JSONL spelling
 * (addresses as "0x..." strings, device as written) and `modelRevision` the call table's hash
 * (tableRevision()) of the writer. A call frame's payload is an array of 1..frameCallsMax
 * calls {fn, args, ret?, out?} in the in-memory spelling: pointers and 64-bit values as
 * msgpack int64/uint64 (decoded as bigint), other integers as msgpack integers or float64
 * (decoded as number), byte strings as bin, booleans, structures as maps.
 *
 * msgpackr options are pinned here. Records are on, and self-describing: no shared structures,
 * so each frame carries its record definitions inline at first use and decodes with no state
 * from any other frame (a damaged frame cannot corrupt the next one). No structuredClone or
 * moreTypes for untrusted input; copyBuffers so decoded bytes never alias a reused buffer.
 * Every decoded call is re-validated against the call table (validate twice, STYLE lesson 5),
 * and every call is validated before it is encoded.
 *
 * Also here, as the one msgpackr user: plain MessagePack (maps, no records) for the process
 * target protocol (docs/target-protocol.md), which other languages must be able to speak.
 */
import { Packr, Unpackr } from 'msgpackr';
import type { TraceCall } from '../model/values.js';
import { tableRevision } from '../model/calls.js';
import { crc32 } from '../core/crc32.js';
import type { TraceHeader } from './trace.js';
import { headerToJson } from './header.js';

export const VPT_MAGIC = new Uint8Array([0x56, 0x50, 0x44, 0x54]);
export const VPT_FORMAT_VERSION = 1;
export const PRELUDE_BYTES = 6;
export const FRAME_HEADER_BYTES = 8;

const packr = new Packr({
  useRecords: true,
  structuredClone: false,
  moreTypes: false,
  bundleStrings: false,
  sequential: false,
  largeBigIntToFloat: false,
  useBigIntExtension: false,
});

const unpackr = new Unpackr({
  useRecords: true,
  structuredClone: false,
  moreTypes: false,
  mapsAsObjects: true,
  int64AsType: 'bigint',
  copyBuffers: true,
});

/** Magic and format version, the first 6 bytes of every .vpt file. */
export function vptPrelude(): Uint8Array {
  const out = new Uint8Array(PRELUDE_BYTES);
  out.set(VPT_MAGIC, 0);
  new DataView(out.buffer).setUint16(4, VPT_FORMAT_VERSION, true);
  return out;
}

/** Length, checksum and payload in one fresh array (msgpackr reuses its own buffer). */
function frame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, payload.length, true);
  view.setUint32(4, crc32(payload), true);
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

let revision: string | undefined;

export function headerFrame(header: TraceHeader): Uint8Array {
  revision ??= tableRevision();
  return frame(packr.pack({ header: headerToJson(header), modelRevision: revision }));
}

/** One call frame; the calls must already be validated. */
export function callFrame(calls: readonly TraceCall[]): Uint8Array {
  return frame(packr.pack(calls));
}

/** Decodes one payload; msgpack errors come back as a message, never thrown. */
export function unpackPayload(payload: Uint8Array): { value: unknown } | { error: string } {
  try {
    return { value: unpackr.unpack(payload) as unknown };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** Plain MessagePack (no records), for peers that are not msgpackr: the process target. */
const plainPackr = new Packr({
  useRecords: false,
  variableMapSize: true,
  structuredClone: false,
  moreTypes: false,
  bundleStrings: false,
  largeBigIntToFloat: false,
  useBigIntExtension: false,
});

const plainUnpackr = new Unpackr({
  useRecords: false,
  structuredClone: false,
  moreTypes: false,
  mapsAsObjects: true,
  int64AsType: 'bigint',
  copyBuffers: true,
});

/** One protocol message as plain MessagePack, in a fresh array. */
export function packMessage(message: Readonly<Record<string, unknown>>): Uint8Array {
  return new Uint8Array(plainPackr.pack(message));
}

/**
 * Decodes one protocol message: a map becomes an object (64-bit integers as bigint, smaller
 * ones as number, bin as bytes); anything else, or undecodable bytes, is undefined.
 */
export function unpackMessage(payload: Uint8Array): Record<string, unknown> | undefined {
  let v: unknown;
  try {
    v = plainUnpackr.unpack(payload);
  } catch {
    return undefined;
  }
  const isMap =
    typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
  return isMap ? (v as Record<string, unknown>) : undefined;
}
