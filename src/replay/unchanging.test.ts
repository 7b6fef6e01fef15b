// What the harness may trust never to change: what it built and holds alone, or what is frozen
// all the way down with no getters, typed arrays or maps, within the plain-data limits.
import { describe, expect, it, vi } from 'vitest';
import { isUnchanging, owned } from './unchanging.js';

describe('isUnchanging', () => {
  it('holds for primitives and plain data frozen all the way down', () => {
    expect(isUnchanging(1n)).toBe(true);
    expect(isUnchanging(Object.freeze({ a: Object.freeze([Object.freeze({ b: 1 })]) }))).toBe(true);
  });

  it.each([
    ['an object frozen at the top only', Object.freeze({ a: [1] })],
    ['a frozen list of unfrozen entries', Object.freeze([{ b: 1 }])],
    [
      'a frozen getter',
      Object.freeze({
        get a() {
          return 1;
        },
      }),
    ],
    ['a frozen map', Object.freeze({ m: Object.freeze(new Map()) })],
    ['bytes', Object.freeze({ b: new Uint8Array(4) })],
    ['a function', Object.freeze({ f: Object.freeze(() => 1) })],
    [
      'a frozen cycle',
      (() => {
        const o: Record<string, unknown> = {};
        o['self'] = o;
        return Object.freeze(o);
      })(),
    ],
    [
      'a Proxy whose trap throws',
      new Proxy(Object.freeze({}), {
        ownKeys: () => {
          throw new Error('no');
        },
      }),
    ],
  ])('does not hold for %s', (_, v) => {
    expect(isUnchanging(v)).toBe(false);
  });
});

describe('owned', () => {
  it('is recorded as unchanging, its object and lists frozen, bytes left as they are', () => {
    const v = owned({ a: [{ b: 1n }], c: new Uint8Array(2) });
    expect(isUnchanging(v)).toBe(true);
    expect(Object.isFrozen(v)).toBe(true);
    expect(Object.isFrozen(v.a)).toBe(true);
    expect(Object.isFrozen(v.c)).toBe(false);
  });
});

describe('owned, across copies of this module', () => {
  it("is known to another copy's isUnchanging (a worker bundle guarding a target that imports the package)", async () => {
    vi.resetModules();
    const other = await import('./unchanging.js');
    expect(other.isUnchanging).not.toBe(isUnchanging); // a second module instance
    // Its lists are frozen, its entries not: only the shared record makes it unchanging.
    const state = owned({ mdls: [{ handle: 1n }] });
    expect(other.isUnchanging(state)).toBe(true);
    expect(other.isUnchanging({ mdls: [{ handle: 1n }] })).toBe(false);
  });
});
