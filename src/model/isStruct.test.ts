// isStruct is model/values.ts's, and only there: two private copies without its null check
// used to share the name (replay/compare.ts, replay/inertCheck.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Value } from './values.js';
import { isStruct } from './values.js';

const root = resolve(import.meta.dirname, '../..');

describe('isStruct', () => {
  it('is true of a structure only', () => {
    expect(isStruct({ a: 1 })).toBe(true);
    expect(isStruct({})).toBe(true);
    const others: (Value | undefined)[] = [undefined, 0, 0n, true, new Uint8Array(2), [], [{}]];
    expect(others.filter(isStruct)).toEqual([]);
    expect(isStruct(null as unknown as Value)).toBe(false);
  });

  it('is defined once, in model/values.ts', () => {
    const defines = /\b(function|const|let)\s+isStruct\b/;
    const found = readdirSync(join(root, 'src'), { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
      .map((e) => join(e.parentPath, e.name))
      .filter((f) => defines.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    expect(found).toEqual(['src/model/values.ts']);
  });
});
