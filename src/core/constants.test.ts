// The values a miniport passes through (HwDeviceExtension, its ExecuteDma routine, its pool tag)
// are written once, in constants.ts: every other source file imports them, so the table's edge
// values, the fuzzer's producers and the test devices cannot drift apart. Tests and text
// snapshots still spell them out (a snapshot shows what a user sees).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXECUTE_DMA_ROUTINE, HW_DEVICE_EXTENSION, POOL_TAG } from './constants.js';

const root = resolve(import.meta.dirname, '../..');
const LITERALS = [
  `0x${HW_DEVICE_EXTENSION.toString(16)}n`,
  `0x${EXECUTE_DMA_ROUTINE.toString(16)}n`,
  `0x${POOL_TAG.toString(16)}`,
];

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

describe('pass-through values', () => {
  it('are written as literals in core/constants.ts only, outside tests', () => {
    const files = ['src', 'scripts', 'examples'].flatMap(sources);
    expect(files.length).toBeGreaterThan(100);
    const spelled = files.flatMap((f) => {
      const text = readFileSync(join(root, f), 'utf8').toLowerCase();
      return LITERALS.filter((l) => text.includes(l)).map((l) => `${f}: ${l}`);
    });
    expect(spelled).toEqual(LITERALS.map((l) => `src/core/constants.ts: ${l}`));
  });
});
