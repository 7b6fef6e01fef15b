import { describe, expect, it } from 'vitest';
import { AddressBook } from './addressBook.js';

describe('AddressBook', () => {
  it('translates nothing while every learned value is the same on all sides', () => {
    const b = new AddressBook();
    b.learn('cpu', 0x1000n, 0x1000n, 0x1000n, 0x100);
    expect(b.moves('trace', 'target')).toBe(false);
    expect(b.map('cpu', 'trace', 'target', 0x1010n)).toBe(0x1010n);
    expect(b.lookup('cpu', 'trace', 'target', 0x1010n)).toBe(0x1010n);
    expect(b.lookup('cpu', 'trace', 'target', 0x9000n)).toBeUndefined();
  });

  it('a range ends before its length: its last byte translates, the byte after it does not', () => {
    const b = new AddressBook();
    b.learn('cpu', 0x1000n, 0x1000n, 0x9000n, 0x100);
    expect(b.lookup('cpu', 'model', 'target', 0x10ffn)).toBe(0x90ffn);
    expect(b.lookup('cpu', 'model', 'target', 0x1100n)).toBeUndefined();
    expect(b.map('cpu', 'model', 'target', 0x1100n)).toBe(0x1100n);
  });

  it('keeps what it learned before the sides first differed', () => {
    const b = new AddressBook();
    b.learn('cpu', 0x1000n, 0x1000n, 0x1000n, 0x100);
    b.learn('handle', 0x50n, 0x50n, 0x50n);
    // The target allocates differently from here on.
    b.learn('cpu', 0x2000n, 0x2000n, 0x8000n, 0x100);
    b.learn('handle', 0x60n, 0x60n, 0x70n);
    expect(b.moves('trace', 'target')).toBe(true);
    expect(b.map('cpu', 'trace', 'target', 0x1010n)).toBe(0x1010n);
    expect(b.map('cpu', 'trace', 'target', 0x2010n)).toBe(0x8010n);
    expect(b.map('cpu', 'target', 'trace', 0x8010n)).toBe(0x2010n);
    expect(b.map('cpu', 'target', 'model', 0x1020n)).toBe(0x1020n);
    expect(b.map('handle', 'trace', 'target', 0x50n)).toBe(0x50n);
    expect(b.map('handle', 'trace', 'target', 0x60n)).toBe(0x70n);
    expect(b.map('handle', 'target', 'model', 0x70n)).toBe(0x60n);
    // A handle is exact: no interior addresses.
    expect(b.lookup('handle', 'trace', 'target', 0x61n)).toBeUndefined();
  });

  it('the latest of overlapping ranges wins (a reused address)', () => {
    const b = new AddressBook();
    b.learn('cpu', 0x1000n, 0x1000n, 0x5000n, 0x1000);
    b.learn('cpu', 0x1000n, 0x1000n, 0x7000n, 0x1000);
    expect(b.map('cpu', 'trace', 'target', 0x1800n)).toBe(0x7800n);
    expect(b.map('cpu', 'target', 'trace', 0x5800n)).toBe(0x1800n);
  });

  it('of two oracle objects one target value stands for, a live one wins over a newer dead one', () => {
    // ReactOS's one counted view for a GetDeviceBase and a MapMemory of one range; the oracle
    // unmaps the MapMemory's.
    const live = new Set<bigint>([0xa000n, 0xc000n]);
    const liveOne = (_kind: string, v: bigint): boolean => live.has(v);
    const b = new AddressBook(undefined, liveOne);
    b.learn('cpu', 0xa000n, 0xa000n, 0xa000n, 0x2000, 'view');
    b.learn('cpu', 0xc000n, 0xc000n, 0xa000n, 0x1000, 'view');
    expect(b.map('cpu', 'target', 'model', 0xa010n)).toBe(0xc010n);
    expect(b.map('cpu', 'target', 'model', 0xa000n)).toBe(0xc000n);
    live.delete(0xc000n);
    expect(b.map('cpu', 'target', 'model', 0xa010n)).toBe(0xa010n);
    expect(b.map('cpu', 'target', 'model', 0xa000n)).toBe(0xa000n);
    // Past the newer one's end only the older holds the value anyway.
    expect(b.map('cpu', 'target', 'model', 0xb800n)).toBe(0xb800n);
    // Both dead: the newest, as without liveOne.
    live.delete(0xa000n);
    expect(b.map('cpu', 'target', 'model', 0xa010n)).toBe(0xc010n);
  });

  describe('bounded over a long trace', () => {
    // The target's values are the trace's plus 1 TiB: everything is translated.
    const moved = (v: bigint): bigint => v + (1n << 40n);
    const live = new Set<bigint>();
    const liveness = () => (_kind: string, v: bigint) => live.has(v);

    it('keeps what is still live, however old, and forgets the dead beyond the newest', () => {
      live.clear();
      const b = new AddressBook(liveness);
      const fb = 0xffffc00000000000n;
      live.add(fb);
      b.learn('cpu', fb, fb, moved(fb), 0x10000, 'view');
      b.learn('handle', 0x50n, 0x50n, 0x70n, 0, 'adapter');
      live.add(0x50n);
      // 300,000 pool blocks, each freed before the next.
      for (let i = 0n; i < 300_000n; i++) {
        const va = 0xffffa00000000000n + i * 0x1000n;
        b.learn('cpu', va, va, moved(va), 64, 'pool');
      }
      expect(b.map('cpu', 'trace', 'target', fb + 0x20n)).toBe(moved(fb + 0x20n));
      expect(b.map('cpu', 'target', 'trace', moved(fb + 0x20n))).toBe(fb + 0x20n);
      expect(b.map('handle', 'trace', 'target', 0x50n)).toBe(0x70n);
      // The newest dead block still translates (a use right after free), the first does not.
      const last = 0xffffa00000000000n + 299_999n * 0x1000n;
      expect(b.map('cpu', 'trace', 'target', last + 8n)).toBe(moved(last + 8n));
      expect(b.lookup('cpu', 'trace', 'target', 0xffffa00000000000n)).toBeUndefined();
      expect(b.size()).toBeLessThanOrEqual(2 * 16384 + 2);
    });

    it('of several values for one oracle value, keeps only the latest', () => {
      live.clear();
      const b = new AddressBook(liveness);
      // The oracle reuses one address; the target does not.
      live.add(0x9000n);
      b.learn('handle', 0x9000n, 0x9000n, 0x1111n, 0, 'event');
      b.learn('handle', 0x9000n, 0x9000n, 0x2222n, 0, 'event');
      for (let i = 0n; i < 200_000n; i++)
        b.learn('handle', 0x100000n + i, 0x100000n + i, i, 0, 'mdl');
      expect(b.map('handle', 'trace', 'target', 0x9000n)).toBe(0x2222n);
      expect(b.lookup('handle', 'target', 'trace', 0x1111n)).toBeUndefined();
    });

    it('without liveness keeps only the newest', () => {
      const b = new AddressBook();
      b.learn('handle', 0x50n, 0x50n, 0x70n, 0, 'adapter');
      for (let i = 0n; i < 200_000n; i++)
        b.learn('handle', 0x100000n + i, 0x100000n + i, i, 0, 'mdl');
      expect(b.lookup('handle', 'trace', 'target', 0x50n)).toBeUndefined();
      expect(b.size()).toBeLessThanOrEqual(2 * 16384 + 1);
    });
  });
});
