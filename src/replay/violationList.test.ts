import { describe, expect, it } from 'vitest';
import { violation } from './violation.js';
import { ViolationList } from './violationList.js';

describe('ViolationList', () => {
  it('lists up to its bound, then only the first of each kind and function, counting the rest', () => {
    const l = new ViolationList(3);
    const nonNull = (i: number) =>
      violation('map-dma-returned-non-null', 'VideoPortMapDmaMemory', i, 'non-NULL');
    for (let i = 0; i < 10; i++) l.add(nonNull(i));
    expect(l.unlistedOrNone()).toEqual({ 'map-dma-returned-non-null': 7 });
    l.add(violation('recorded-mismatch', 'VideoPortCompleteDma', 10, 'recorded 8'));
    l.add(violation('recorded-mismatch', 'VideoPortCompleteDma', 11, 'recorded 8'));
    l.add(violation('recorded-mismatch', 'VideoPortStartDma', 12, 'recorded 1'));
    expect(l.list.map((v) => [v.kind, v.callIndex])).toEqual([
      ['map-dma-returned-non-null', 0],
      ['map-dma-returned-non-null', 1],
      ['map-dma-returned-non-null', 2],
      ['recorded-mismatch', 10],
      ['recorded-mismatch', 12],
    ]);
    expect(l.unlisted).toEqual({ 'map-dma-returned-non-null': 7, 'recorded-mismatch': 1 });
  });

  it('has nothing unlisted below its bound', () => {
    const l = new ViolationList(3);
    l.add(violation('return-mismatch', 'VideoPortGetBytesUsed', 0, 'x'));
    expect(l.unlistedOrNone()).toBeUndefined();
  });
});
