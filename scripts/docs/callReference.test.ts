// docs/calls.md is the call table as it is: regenerate it (npx tsx scripts/docs/callReference.ts)
// whenever a call description changes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CALLS } from '../../src/model/calls.js';
import { callReference } from './callReference.js';

describe('docs/calls.md', () => {
  it('is what the call table generates', () => {
    const committed = readFileSync(new URL('../../docs/calls.md', import.meta.url), 'utf8');
    expect(committed).toBe(callReference(CALLS));
  });

  it('has an entry per call, with every argument', () => {
    const text = callReference(CALLS);
    for (const c of CALLS) {
      expect(text).toContain(`### ${c.fn}\n`);
      for (const a of c.args) expect(text).toContain(`| \`${a.name}\` |`);
    }
  });
});
