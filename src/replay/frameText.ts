// What a process target's bad frame says in a message (docs/target-protocol.md "Faults"):
// built from bytes read once the child's pipes are drained, so the same fault reads the same
// however its output was cut into chunks.
import { frameBytesMax } from '../core/limits.js';
import { leadingMapBytes } from '../trace/codec.js';
import { wireValue } from './wire.js';

/** Bytes after a frame that did not decode, kept for its message (where its value may end). */
export const afterFrameBytesMax = 4096;

/** Characters of a stray print that a message quotes. */
export const strayCharsMax = 40;

/**
 * What a frame header that is really text says (a print to stdout is the usual cause): the
 * text up to its first line break or other byte that is no text. Not beyond it, where the
 * frame the child wrote next may or may not have arrived.
 */
export function strayText(bytes: Buffer): string {
  const printable = (b: number | undefined): boolean => b !== undefined && b >= 0x20 && b < 0x7f;
  let end = 0;
  while (end < bytes.length && (printable(bytes[end]) || bytes[end] === 0x09)) end++;
  // Its length prefix is all text, or a line break ends the text within it ("ok\n").
  const lineEnd = bytes[end] === 0x0a || bytes[end] === 0x0d;
  if (end < 4 && !(lineEnd && end > 0)) return '';
  const text = bytes.subarray(0, end).toString('latin1').replace(/\s+/g, ' ');
  const more = end === strayCharsMax ? '...' : '';
  return `; its first bytes read as text "${text}${more}" (a stray print to stdout?)`;
}

/** Bytes as hex, as a message shows them: `19 00 00 00`. */
function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Why a request went unanswered within the timeout: nothing came, or only part of a frame
 * (`partial`, from its length prefix on). A whole MessagePack map in that part says the
 * length prefix was too large.
 */
export function unansweredText(op: string, timeoutMs: number, partial: Buffer): string {
  const within = `within ${timeoutMs} ms`;
  if (partial.length === 0) return `did not answer ${op} ${within}`;
  if (partial.length < 4)
    return `sent ${partial.length} of the 4 bytes of a frame's length prefix to answer ${op}, then nothing more ${within}`;
  const n = partial.readUInt32LE(0);
  const body = partial.subarray(4);
  const k = body.length === 0 ? undefined : leadingMapBytes(body);
  const hint =
    k === undefined
      ? ''
      : `; a whole MessagePack map ended after ${k} of them: is the length prefix ${n - k} too large?`;
  return `sent a frame of ${n} bytes to answer ${op}, only ${body.length} arrived ${within}${hint}`;
}

/**
 * Why a whole frame is no MessagePack map. `kept` is the frame from its length prefix on and
 * what the child wrote after it (up to afterFrameBytesMax bytes): a map that ends before the
 * frame does, or runs past it, says which way its length prefix is wrong.
 */
export function badFrameText(kept: Buffer): string {
  const n = kept.readUInt32LE(0);
  if (n === 0) return 'sent an empty frame (length prefix 0), not a MessagePack map';
  const k = leadingMapBytes(kept.subarray(4, 4 + n));
  if (k !== undefined && k < n)
    return `sent a frame of ${n} bytes whose MessagePack map ended ${n - k} bytes before the frame did (is the length prefix too large?)`;
  const past = k === undefined ? leadingMapBytes(kept.subarray(4)) : undefined;
  if (past !== undefined && past > n)
    return `sent a frame of ${n} bytes whose MessagePack map ran ${past - n} bytes past its end (is the length prefix too small?)`;
  return 'sent a frame that is not a MessagePack map';
}

/** Output nobody asked for (from its first byte on): its first bytes, as text if they are. */
export function unaskedText(bytes: Buffer): string {
  const text = strayText(bytes);
  if (text !== '') return `wrote output nobody asked for${text}`;
  return `wrote output nobody asked for (its first bytes: ${hex(bytes.subarray(0, 8))})`;
}

/**
 * A length prefix over the limit (`kept`: the output from the prefix on): the text it was, if
 * it was text, or its bytes (big-endian, or the top bytes of a size the writer got wrong).
 */
export function oversizeText(n: number, kept: Buffer): string {
  const limit = `over the ${frameBytesMax / (1 << 20)} MiB limit`;
  const text = strayText(kept);
  if (text !== '') return `sent a frame claiming ${n} bytes (${limit})${text}`;
  return `sent a frame claiming ${n} bytes (${limit}; the length prefix is little-endian uint32, and came as ${hex(kept.subarray(0, 4))})`;
}

/** Whether an answer's seq (an integer of any encoding) is the request's. */
export function sameSeq(got: unknown, want: number): boolean {
  return got === want || got === BigInt(want);
}

/** An answer's seq, for a message: `seq 4`, `no seq`, `the string "4" as its seq`. */
export function seqText(got: unknown): string {
  if (got === undefined) return 'no seq';
  const n = typeof got === 'number' && Number.isInteger(got);
  return n || typeof got === 'bigint' ? `seq ${String(got)}` : `${wireValue(got)} as its seq`;
}
