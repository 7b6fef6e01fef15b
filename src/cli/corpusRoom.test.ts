import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusRoom, diskFree, isDiskFull } from './corpusRoom.js';
import type { Trace } from '../trace/trace.js';

const trace = { header: {}, calls: [] } as unknown as Trace;
const enospc = (): Error =>
  Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

/** A keeper writing `n` entries before the disk fills; counts the writes it was asked for. */
function keeper(n: number): { keep: () => Promise<string>; asked: () => number } {
  let asked = 0;
  return {
    keep: () => (++asked > n ? Promise.reject(enospc()) : Promise.resolve(`e${asked}`)),
    asked: () => asked,
  };
}

describe('corpusRoom', () => {
  it('stops keeping at the first ENOSPC: no further write is tried, one message says so', async () => {
    const k = keeper(2);
    const room = corpusRoom(k.keep, 'out/corpus', () => Promise.resolve(undefined));
    const got = await Promise.allSettled([1, 2, 3, 4, 5].map(() => room.keep(trace)));
    expect(got.map((g) => g.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
      'rejected',
    ]);
    // The three after the full disk were tried at most once more each (they were in flight).
    const first = got[2] as PromiseRejectedResult;
    expect(String(first.reason)).toMatch(
      /out\/corpus: ENOSPC: no space left on device, write: no more cases are kept/,
    );
    expect(room.stopped()).toMatch(/^out\/corpus: ENOSPC/);
    const before = k.asked();
    await expect(room.keep(trace)).rejects.toThrow(/^not kept: out\/corpus: ENOSPC/);
    expect(k.asked()).toBe(before);
  });

  it('stops before the disk is full: less than the room for the reports left', async () => {
    let free = 20 << 20;
    const k = keeper(100);
    const room = corpusRoom(
      () => {
        free -= 3 << 20;
        return k.keep();
      },
      'c',
      () => Promise.resolve(free),
    );
    for (let i = 0; i < 2; i++) await room.keep(trace);
    expect(room.stopped()).toBeUndefined();
    await expect(room.keep(trace)).rejects.toThrow(
      'c: 14.0 MiB free on its disk, 16.0 MiB kept back for the findings and reports: no more cases are kept in the corpus this run',
    );
    expect(k.asked()).toBe(2);
  });

  it('passes other failures through and keeps going', async () => {
    let n = 0;
    const room = corpusRoom(
      () =>
        n++ === 0
          ? Promise.reject(Object.assign(new Error('EACCES: denied'), { code: 'EACCES' }))
          : Promise.resolve('x'),
      'c',
      () => Promise.resolve(undefined),
    );
    await expect(room.keep(trace)).rejects.toThrow('EACCES: denied');
    await expect(room.keep(trace)).resolves.toBe('x');
    expect(room.stopped()).toBeUndefined();
  });

  it('reads the free space of a real directory, and none of a missing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vpdma-room-'));
    expect(await diskFree(dir)).toBeGreaterThan(0);
    expect(await diskFree(join(dir, 'missing'))).toBeUndefined();
    expect(isDiskFull(enospc())).toBe(true);
    expect(isDiskFull(Object.assign(new Error('x'), { code: 'EDQUOT' }))).toBe(true);
    expect(isDiskFull(new Error('x'))).toBe(false);
  });
});
