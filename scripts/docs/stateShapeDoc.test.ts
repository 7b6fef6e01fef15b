// target-protocol.md spells out the shape of a target's state() for an author who cannot read
// src/: the keys and entry fields of the reference model's state (LiveState), and the fields
// `replay --explain` takes into the oracle's addresses (explainState.ts ADDRESS_FIELDS). Both
// tables must be what the code has, and the Target interface's comment must name them too.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AddressSpace } from '../../src/model/callTypes.js';
import type { LiveState } from '../../src/model/liveState.js';
import { ADDRESS_FIELDS } from '../../src/replay/explainState.js';

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');
const doc = read('../../docs/target-protocol.md');

type Keys<T> = Record<keyof T, true>;

/** Every key of LiveState and every field of its entries: does not compile if one is missing. */
const MODEL: { readonly [K in keyof LiveState]: Keys<LiveState[K][number]> } = {
  adapters: { handle: true, mapRegisters: true, mapRegistersUsed: true },
  commonBuffers: { va: true, logical: true, length: true, cacheEnabled: true },
  mdls: { handle: true, va: true, length: true, inFlight: true },
  transfers: {
    ...{ sgList: true, adapter: true, mdl: true, offset: true, length: true },
    ...{ writeToDevice: true, mapRegisters: true, firstRegister: true, elements: true },
    state: true,
  },
  views: { va: true, length: true, bus: true, space: true, process: true, refcount: true },
  events: { handle: true, signaled: true },
  blocks: { va: true, length: true, kind: true },
};

/** The rows of the table under `<!-- MARKER ... -->`: its cells, backquotes dropped. */
function rows(marker: string): string[][] {
  const after = doc.split(`<!-- ${marker}`)[1] ?? '';
  const table = after.split('\n\n')[1] ?? '';
  return table
    .split('\n')
    .slice(2)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
}

const names = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');

const HOLDS: Readonly<Record<AddressSpace, string>> = {
  handle: 'a handle',
  cpu: 'a CPU virtual address',
  device: 'a device logical address',
};

describe("target-protocol.md's shape of state", () => {
  it("lists the reference model's keys and each entry's fields, in its order", () => {
    const got = rows('state keys').map(([key = '', fields = '']) => [names(key), names(fields)]);
    expect(got).toEqual(Object.entries(MODEL).map(([key, fields]) => [[key], Object.keys(fields)]));
  });

  it('lists the fields --explain translates, each with the space it is learned in', () => {
    const got = rows('state address fields').map(([field = '', holds = '']) => [
      names(field),
      holds,
    ]);
    expect(got.map(([f]) => f)).toEqual(Object.keys(ADDRESS_FIELDS).map((k) => [k]));
    got.forEach(([field, holds]) => {
      const space = ADDRESS_FIELDS[field?.[0] ?? ''];
      expect(space).toBeDefined();
      expect(holds).toMatch(new RegExp(`^${HOLDS[space ?? 'handle']}\\b`));
    });
    // Each is a field the model itself reports: the oracle's side has it to compare with.
    const modelFields = new Set(Object.values(MODEL).flatMap((f) => Object.keys(f)));
    expect(Object.keys(ADDRESS_FIELDS).filter((k) => !modelFields.has(k))).toEqual([]);
  });

  it("is named in the Target interface's state() comment (the library's .d.ts)", () => {
    const src = read('../../src/replay/target.ts');
    const comment = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*state\?\(\)/.exec(src)?.[1] ?? '';
    for (const name of [...Object.keys(MODEL), ...Object.keys(ADDRESS_FIELDS)])
      expect(comment, name).toContain(`\`${name}\``);
    expect(comment).toContain('"The shape of `state`"');
  });
});
