// A process target's garbage named in a message of bounded size, built without first turning
// every byte of a huge answer into JSON.
import { describe, expect, it } from 'vitest';
import { TargetFault } from './callTarget.js';
import { normalize } from './wire.js';

function garbage(v: unknown, type: Parameters<typeof normalize>[1]): string {
  try {
    normalize(v, type, 'ret');
  } catch (e) {
    if (TargetFault.is(e)) return e.message;
    throw e;
  }
  throw new Error('accepted');
}

describe('normalize: what a garbage answer is called', () => {
  it('bytes where a number belongs: their count', () => {
    expect(garbage(Buffer.alloc(16 << 20), 'u32')).toBe(
      'the target answered garbage: ret is bin of 16777216 bytes, not an integer (u32)',
    );
  });

  it('a long list inside a struct: its first entries and a count of the rest', () => {
    const vrp = { ioControlCode: Array.from({ length: 100 }, (_, i) => i), statusBlock: 0n };
    expect(garbage(vrp, 'vrp')).toBe(
      'the target answered garbage: ret.ioControlCode is the array [0,1,2,3,4,5,6,7,"<92 more>"], not an integer (u32)',
    );
    const nested = { ioControlCode: { bytes: Buffer.alloc(1 << 20), n: 5n } };
    expect(garbage(nested, 'vrp')).toBe(
      'the target answered garbage: ret.ioControlCode is the map {"bytes":"<1048576 bytes>","n":"5"}, not an integer (u32)',
    );
  });
});
