// What a bad frame from a process target says, from the bytes it sent (processTarget.test.ts
// drives real children through the same paths).
import { describe, expect, it } from 'vitest';
import { packMessage, unpackMessage } from '../trace/codec.js';
import { badFrameText, oversizeText, unansweredText, unaskedText } from './frameText.js';

function frame(prefix: number, body: Uint8Array, after: Uint8Array = new Uint8Array()): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32LE(prefix, 0);
  return Buffer.concat([head, body, after]);
}

const answer = packMessage({ ret: 5, out: { pLength: 4096 } });

describe('frameText', () => {
  it('a value that ends before its frame does: the prefix too large, other output behind it', () => {
    const kept = frame(answer.length + 4, answer, Buffer.from([1, 2, 3, 4]));
    expect(badFrameText(kept)).toBe(
      `sent a frame of ${answer.length + 4} bytes whose MessagePack map ended 4 bytes before the frame did (is the length prefix too large?)`,
    );
  });

  it('a value that runs past its frame: the prefix too small', () => {
    expect(badFrameText(frame(answer.length - 5, answer))).toBe(
      `sent a frame of ${answer.length - 5} bytes whose MessagePack map ran 5 bytes past its end (is the length prefix too small?)`,
    );
  });

  it('bytes that begin with no map, however much follows: not a map, no guess at the prefix', () => {
    const junk = Buffer.from([0xc1, 0xc1, 0xc1]);
    expect(badFrameText(frame(3, junk, junk))).toBe('sent a frame that is not a MessagePack map');
    // msgpackr decodes the reserved byte as an object of its own: no answer, not even `{}`.
    expect(unpackMessage(junk.subarray(0, 1))).toBeUndefined();
  });

  it('a timeout names the part of a frame that came, or that nothing did', () => {
    expect(unansweredText('VideoPortCreateEvent', 50, Buffer.alloc(0))).toBe(
      'did not answer VideoPortCreateEvent within 50 ms',
    );
    expect(unansweredText('read', 50, Buffer.from([9, 0]))).toBe(
      "sent 2 of the 4 bytes of a frame's length prefix to answer read, then nothing more within 50 ms",
    );
    expect(unansweredText('call', 50, frame(100, answer.subarray(0, 3)))).toBe(
      'sent a frame of 100 bytes to answer call, only 3 arrived within 50 ms',
    );
  });

  it('unasked output and an oversize prefix: text quoted to its line break, else hex', () => {
    expect(unaskedText(Buffer.from('debug: x=1\n\x05\x00'))).toBe(
      'wrote output nobody asked for; its first bytes read as text "debug: x=1" (a stray print to stdout?)',
    );
    expect(oversizeText(0x05000000, Buffer.from([0, 0, 0, 5, 0x80]))).toBe(
      'sent a frame claiming 83886080 bytes (over the 16 MiB limit; the length prefix is little-endian uint32, and came as 00 00 00 05)',
    );
  });
});
