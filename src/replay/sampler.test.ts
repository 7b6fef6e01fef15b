// The rotating sample's promise (DESIGN.md "What the checks must catch"): over enough calls,
// every byte of every live range is looked at, the first and the last of each included.
import { describe, expect, it } from 'vitest';
import type { Span } from './memory.js';
import { Sampler } from './sampler.js';

/** How many times each byte of `live` (offsets from each range's start) the spans cover. */
function coverage(live: readonly Span[], spans: readonly Span[]): number[][] {
  const seen = live.map((r) => new Array<number>(r.length).fill(0));
  for (const s of spans) {
    const i = live.findIndex(
      (r) => s.address >= r.address && s.address < r.address + BigInt(r.length),
    );
    const r = live[i];
    const counts = seen[i];
    if (r === undefined || counts === undefined) throw new Error(`span outside live memory`);
    const from = Number(s.address - r.address);
    expect(from + s.length).toBeLessThanOrEqual(r.length);
    for (let k = from; k < from + s.length; k++) counts[k] = (counts[k] ?? 0) + 1;
  }
  return seen;
}

describe('Sampler', () => {
  const live: Span[] = [
    { address: 0x1000n, length: 9 },
    { address: 0x2000n, length: 6 },
    { address: 0x3000n, length: 7 },
  ];

  it('covers every byte of every range exactly once per lap, each call at most its budget', () => {
    const s = new Sampler(4);
    const spans: Span[] = [];
    // 22 live bytes, 4 a call: the sixth call finishes the first lap (its last 2 bytes wrap).
    // The second call ends one byte short of the first range's end, the last byte left over.
    for (let call = 0; call < 6; call++) {
      const got = s.next(live);
      expect(got.reduce((n, x) => n + x.length, 0)).toBe(4);
      spans.push(...got);
    }
    const seen = coverage(live, spans);
    // The first lap whole, and the wrap: the first 2 bytes of the first range a second time.
    expect(seen).toEqual([
      [2, 2, 1, 1, 1, 1, 1, 1, 1],
      [1, 1, 1, 1, 1, 1],
      [1, 1, 1, 1, 1, 1, 1],
    ]);
  });
});
