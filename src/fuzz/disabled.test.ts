// --disable: a function the target does not implement is never called, in fresh cases, in
// mutated base programs, as a producer another call needs, or as the watch call; the rest of
// the table still is, and a case without disabled functions is what it always was.
import { describe, expect, it } from 'vitest';
import { bundledCorpusDir, readCorpusDir } from '../store/corpus.js';
import { buildBase } from './base.js';
import { generateCase, type CaseContext } from './caseGen.js';
import { CREATING_FNS, disabledWarnings } from './disabledNames.js';

const named = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
// A producer many calls need (an adapter), the watch call's function, and a pool producer.
const off = ['VideoPortAllocatePool', 'VideoPortGetDmaAdapter', 'VideoPortMapDmaMemory'];

function context(seed: number, disabled?: readonly string[]): CaseContext {
  const base = buildBase(named, 64, undefined, disabled);
  return {
    seed,
    seedText: String(seed),
    callsMax: 64,
    base: base.entries,
    ...(disabled === undefined ? {} : { disabled: new Set(disabled) }),
  };
}

describe('disabled functions', () => {
  it('are never generated, while every other function still is', () => {
    const seen = new Map<string, number>();
    for (const seed of [1, 2]) {
      const ctx = context(seed, off);
      for (let i = 0; i < 300; i++)
        for (const c of generateCase(ctx, i).calls) seen.set(c.fn, (seen.get(c.fn) ?? 0) + 1);
    }
    expect(off.filter((fn) => seen.has(fn))).toEqual([]);
    // Functions that need only what is still enabled keep coming (an adapter's consumers
    // mostly cannot: nothing makes one).
    for (const fn of ['VideoPortGetDeviceBase', 'VideoPortCreateEvent', 'VideoPortUnmapDmaMemory'])
      expect(seen.get(fn) ?? 0, fn).toBeGreaterThan(20);
  });

  it('leave a case without them as it was', () => {
    const plain = context(3);
    const none = context(3, []);
    for (let i = 0; i < 40; i++)
      expect(generateCase({ ...none, disabled: new Set() }, i)).toEqual(generateCase(plain, i));
  });

  it('drop only their calls: a case that called one still runs, without it', () => {
    // The first fresh case of seed 4 calls a disabled function; without it, the case still has
    // calls, and none of them is one of those disabled.
    const ctx = context(4, off);
    const with_ = generateCase(context(4), 1).calls.map((c) => c.fn);
    const without = generateCase(ctx, 1).calls.map((c) => c.fn);
    expect(with_.some((fn) => off.includes(fn))).toBe(true);
    expect(without.length).toBeGreaterThan(0);
    expect(without.some((fn) => off.includes(fn))).toBe(false);
  });

  it('warn when they take MapDmaMemory, or every function that creates an object', () => {
    expect(disabledWarnings([])).toEqual([]);
    expect(disabledWarnings(['VideoPortGetMdl', 'VideoPortUnmapDmaMemory'])).toEqual([]);
    expect(disabledWarnings(['VideoPortMapDmaMemory'])).toEqual([
      'VideoPortMapDmaMemory is never called, so the fuzzer does not check the MapDmaMemory property (NULL returned, nothing changed)',
    ]);
    // The creators come from the table: every function whose answer is a handle or a range.
    expect(CREATING_FNS).toEqual(
      expect.arrayContaining([
        'VideoPortGetDmaAdapter',
        'VideoPortMapMemory',
        'VideoPortCreateEvent',
      ]),
    );
    expect(CREATING_FNS).not.toContain('VideoPortMapDmaMemory');
    expect(CREATING_FNS.some((fn) => fn.startsWith('@'))).toBe(false);
    const none = [
      'no function that creates an object is left (an adapter, buffer, MDL, mapping or event): generated cases have nothing live to use or check',
    ];
    expect(disabledWarnings(CREATING_FNS)).toEqual(none);
    expect(disabledWarnings(CREATING_FNS.slice(1))).toEqual([]);
    // What the warning says: with them all off, no case calls one.
    const ctx = context(5, CREATING_FNS);
    for (let i = 0; i < 50; i++)
      for (const c of generateCase(ctx, i).calls) expect(CREATING_FNS).not.toContain(c.fn);
  });
});
