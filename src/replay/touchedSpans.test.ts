// A touched() answer as compared: within live memory whole, a megabyte outside it at most, and
// no listing of live memory when the oracle's own writes cover it.
import { describe, expect, it } from 'vitest';
import { mergeSpans, type Span } from './memory.js';
import { touchedSpans, withinLive } from './touchedSpans.js';

describe('withinLive', () => {
  const live = mergeSpans([
    { address: 0x20000n, length: 0x2000 },
    { address: 0x10000n, length: 0x1000 },
  ]);

  it('keeps a claim inside live memory as it is', () => {
    expect(withinLive([{ address: 0x20800n, length: 0x100 }], live)).toEqual([
      { address: 0x20800n, length: 0x100 },
    ]);
  });

  it('cuts a lying claim to live memory and the first megabyte outside it', () => {
    const parts = withinLive([{ address: 0n, length: 0xffffffff }], live);
    const inside = parts.filter((p) => live.some((l) => p.address === l.address));
    expect(inside).toEqual(live);
    const total = parts.reduce((n, p) => n + p.length, 0);
    expect(total).toBe(0x3000 + (1 << 20));
  });
});

describe('touchedSpans', () => {
  const live = [
    { address: 0x10000n, length: 0x1000 },
    { address: 0x20000n, length: 0x2000 },
  ];
  const counting = (): { mergedNow(): readonly Span[]; asked: number } => {
    const c = {
      asked: 0,
      mergedNow: () => {
        c.asked++;
        return live;
      },
    };
    return c;
  };

  it('compares the oracle’s writes alone, without listing live memory, when they cover the claim', () => {
    const l = counting();
    const wrote = [{ address: 0x20000n, length: 0x800 }];
    expect(touchedSpans([...wrote], [{ address: 0x20100n, length: 0x10 }], l)).toEqual(wrote);
    expect(touchedSpans([...wrote], [], l)).toEqual(wrote);
    expect(l.asked).toBe(0);
  });

  it('adds what the target claims beyond the oracle’s writes, merged, each byte once', () => {
    const l = counting();
    const got = touchedSpans(
      [{ address: 0x20000n, length: 0x800 }],
      [
        { address: 0x20400n, length: 0x800 },
        { address: 0x10010n, length: 0x10 },
      ],
      l,
    );
    expect(got).toEqual([
      { address: 0x10010n, length: 0x10 },
      { address: 0x20000n, length: 0xc00 },
    ]);
    expect(l.asked).toBe(1);
  });

  it('keeps the lying claim’s cut beyond live memory (withinLive) on the general path', () => {
    const got = touchedSpans([], [{ address: 0n, length: 0xffffffff }], counting());
    expect(got.reduce((n, p) => n + p.length, 0)).toBe(0x3000 + (1 << 20));
  });

  it('counts a claim made many times once, and overlapping claims as their union', () => {
    const all = { address: 0n, length: 0xffffffff };
    const once = touchedSpans([], [all], counting());
    expect(touchedSpans([], Array<Span>(65_536).fill(all), counting())).toEqual(once);
    const halves = [
      { address: 0x10800n, length: 0x1000 },
      { address: 0x10000n, length: 0x1000 },
      { address: 0x10400n, length: 0x100 },
    ];
    // Their union runs 0x800 past the live span: read too, as the claim says (withinLive).
    expect(touchedSpans([], halves, counting())).toEqual([{ address: 0x10000n, length: 0x1800 }]);
  });
});
