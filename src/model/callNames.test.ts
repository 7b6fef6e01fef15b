// The table is the one list of functions: a name spelled anywhere else in the source must be
// one of its names (a misspelled name in a comparison or a hand-written set is silently never
// true), and the C example target must dispatch every one of them (a function added to the
// table and not to it makes every fuzz case reaching it a target-crashed finding).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CALLS } from './calls.js';

const root = resolve(import.meta.dirname, '../..');
// Quoted as code quotes a name; backticks are for text (messages, doc comments).
const NAME = /['"](VideoPort[A-Za-z0-9]+|@[a-zA-Z]+)['"]/g;
// An object key, unquoted as prettier leaves it: { VideoPortStartDma: ... } in a hand-written map.
const KEY = /^\s*(VideoPort[A-Za-z0-9]+)\??:/gm;
const names = new Set(CALLS.map((c) => c.fn));

function files(dir: string, keep: (f: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && keep(e.name))
    .map((e) => join(e.parentPath, e.name));
}

function spelled(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(NAME)].map((m) => m[1] ?? '');
}

/** Names in TypeScript: quoted, and as unquoted object keys. */
function spelledInTs(file: string): string[] {
  const keys = [...readFileSync(file, 'utf8').matchAll(KEY)].map((m) => m[1] ?? '');
  return [...spelled(file), ...keys];
}

describe('function names outside the table', () => {
  it('are all the table’s, in every source file but the tests', () => {
    const source = files(join(root, 'src'), (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(source.length).toBeGreaterThan(100);
    const unknown = source.flatMap((f) =>
      spelledInTs(f)
        .filter((n) => n.startsWith('VideoPort') && !names.has(n))
        .map((n) => `${relative(root, f)}: ${n}`),
    );
    // Event names start with @ in the table; elsewhere '@' strings may be other things.
    const events = source.flatMap((f) =>
      spelled(f).filter((n) => /^@(write|read|executeDma|deviceDma)/.test(n) && !names.has(n)),
    );
    expect(unknown).toEqual([]);
    expect(events).toEqual([]);
  });

  it('finds unquoted object keys too (a hand-written map such as fuzz/coherence.ts FIXUPS)', () => {
    const keys = spelledInTs(join(root, 'src/fuzz/coherence.ts'));
    expect(keys).toContain('VideoPortStartDma');
    expect('  VideoPortStartDmaa: (a) =>\n'.match(KEY)).toEqual(['  VideoPortStartDmaa:']);
  });

  it('dispatched by the C example target: every table function, nothing else', () => {
    const c = files(join(root, 'examples/c-target'), (f) => f.endsWith('.c'));
    const dispatched = new Set(c.flatMap(spelled));
    expect([...names].filter((n) => !dispatched.has(n))).toEqual([]);
    expect([...dispatched].filter((n) => !names.has(n))).toEqual([]);
  });
});
