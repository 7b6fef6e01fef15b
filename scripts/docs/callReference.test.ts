// docs/calls.md is the call table as it is: regenerate it (npx tsx scripts/docs/callReference.ts)
// whenever a call description changes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CALLS } from '../../src/model/calls.js';
import { normalizeScalar, type ScalarType } from '../../src/trace/scalars.js';
import { CALL_NOTES } from './callNotes.js';
import { CALL_RETURNS } from './callReturns.js';
import { callReference, example } from './callReference.js';

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

  it('prints every "For a target" note, each under a call the table has', () => {
    const text = callReference(CALLS);
    const names = new Set(CALLS.map((c) => c.fn));
    for (const [fn, notes] of Object.entries(CALL_NOTES)) {
      expect(names.has(fn), fn).toBe(true);
      const entry = text.split(`### ${fn}\n`)[1]?.split('\n### ')[0] ?? '';
      for (const note of notes) expect(entry).toContain(`- For a target: ${note}\n`);
    }
  });

  it('gives the return values of every VideoPort function that returns something', () => {
    const text = callReference(CALLS);
    const returning = CALLS.filter((c) => c.ret !== undefined && c.family !== 'event');
    expect(Object.keys(CALL_RETURNS).sort()).toEqual(returning.map((c) => c.fn).sort());
    for (const c of returning) {
      const entry = text.split(`### ${c.fn}\n`)[1]?.split('\n### ')[0] ?? '';
      expect(entry).toContain(`- return values: ${CALL_RETURNS[c.fn]}\n`);
    }
    // The probe's four guesses (WAIT_TIMEOUT, AllocateBuffer's failure, NULL views, MapDmaMemory).
    expect(CALL_RETURNS['VideoPortWaitForSingleObject']).toContain('WAIT_TIMEOUT (258, 0x102)');
    expect(CALL_RETURNS['VideoPortAllocateBuffer']).toContain('ERROR_NOT_ENOUGH_MEMORY (8)');
    expect(CALL_RETURNS['VideoPortGetDeviceBase']).toContain(
      'NULL for a range outside every aperture',
    );
    expect(CALL_RETURNS['VideoPortMapDmaMemory']).toMatch(/^NULL, always/);
    // The spec audit's: ReactOS's StartDma ignores *pLength, so 0 is no failure there.
    expect(CALL_RETURNS['VideoPortStartDma']).toContain(
      'ReactOS profile: `*pLength` is ignored (0 is not a failure)',
    );
  });

  it('calls no legacy PDMA argument live: the spec says none is ever created', () => {
    const text = callReference(CALLS);
    const pdmaArgs = CALLS.flatMap((c) =>
      c.args.filter((a) => a.role.kind === 'consumes' && a.role.res === 'pdma'),
    );
    expect(pdmaArgs.length).toBeGreaterThan(0);
    expect(text).not.toContain('a live pdma');
    for (const a of pdmaArgs)
      expect(text).toContain(`| \`${a.name}\` | ptr | any pointer: no PDMA`);
  });

  it('spells every example value as the trace reader reads it back', () => {
    for (const c of CALLS) {
      for (const a of c.args) {
        for (const v of a.values ?? []) {
          const shown = example(a.type, v);
          // The page shows "0x..." strings unquoted; anything else is JSON.
          const json: unknown = shown.startsWith('0x') ? shown : JSON.parse(shown);
          const back = normalizeScalar(a.type as ScalarType, json);
          expect(back, `${c.fn} ${a.name} ${shown}`).toEqual(v);
        }
      }
    }
  });
});
