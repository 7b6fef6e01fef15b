// The user-memory range a target author reads in the docs is the model's (src/model/access.ts):
// a target that backs a narrower range fails on traces that use the rest.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { USER_VA_MAX, USER_VA_MIN, isUserVa } from '../../src/model/access.js';

const doc = (name: string): string =>
  readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');

const hex = (v: bigint): string => `\`0x${v.toString(16)}\``;

describe('user memory in the docs', () => {
  it("names the model's range in every page a target author reads", () => {
    const protocol = doc('target-protocol.md').split('## User memory\n')[1]?.split('\n## ')[0];
    for (const text of [protocol ?? '', doc('targets.md'), doc('calls.md'), doc('spec-gaps.md')]) {
      expect(text).toContain(hex(USER_VA_MIN));
      expect(text).toContain(hex(USER_VA_MAX));
    }
  });

  it('the range is as the docs read it: from its start, up to but not including its end', () => {
    expect(isUserVa(USER_VA_MIN, 1)).toBe(true);
    expect(isUserVa(USER_VA_MIN - 1n, 1)).toBe(false);
    expect(isUserVa(USER_VA_MAX - 1n, 1)).toBe(true);
    expect(isUserVa(USER_VA_MAX, 1)).toBe(false);
  });

  it('the C example target backs the same range (examples/c-target/vp.h)', () => {
    const header = readFileSync(new URL('../../examples/c-target/vp.h', import.meta.url), 'utf8');
    const define = (name: string): bigint | undefined => {
      const m = new RegExp(`^#define ${name} (0x[0-9a-fA-F]+)ULL`, 'm').exec(header);
      return m?.[1] === undefined ? undefined : BigInt(m[1]);
    };
    expect(define('USER_VA_MIN')).toBe(USER_VA_MIN);
    expect(define('USER_VA_MAX')).toBe(USER_VA_MAX);
  });

  it('the example address the docs give lies in it', () => {
    expect(doc('target-protocol.md')).toContain('`0x1230100`');
    expect(isUserVa(0x1230100n, 1)).toBe(true);
  });
});
