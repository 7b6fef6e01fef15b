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
});
