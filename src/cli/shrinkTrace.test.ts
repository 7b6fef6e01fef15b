// The repro's header: what it was minimized from, and a description that stays true.
import { describe, expect, it } from 'vitest';
import type { JsonValue, Trace } from '../trace/trace.js';
import { validateMeta } from '../trace/meta.js';
import { metaBytesMax } from '../trace/traceLimits.js';
import { Bad } from '../trace/validateValue.js';
import type { Violation } from '../replay/violation.js';
import { reproOf } from './shrinkTrace.js';

const CALL = { fn: 'VideoPortGetBytesUsed', args: { hwDeviceExtension: 0n, pDma: 0n } };
const V = { kind: 'inert-return-mismatch', fn: 'VideoPortGetBytesUsed' } as Violation;

function shrunk(meta: Record<string, JsonValue>, calls = 1): Trace {
  const header = { format: 'vpdma-trace', version: 1, device: {}, meta } as const;
  return { header, calls: Array.from({ length: calls }, () => CALL) };
}

describe('reproOf', () => {
  it('puts what was done before the original description, and keeps the rest of meta', () => {
    const meta = { source: 'capture', scenario: 'upload', description: 'A texture upload.' };
    const r = reproOf(shrunk(meta), V, { from: 'upload.jsonl', calls: 32 });
    expect(r.header.meta).toEqual({
      source: 'capture',
      scenario: 'upload',
      description: 'minimized from upload.jsonl (32 calls -> 1 call): A texture upload.',
      minimized: { from: 'upload.jsonl', calls: 32, kind: V.kind, fn: V.fn },
    });
    // Minimized again, the chain reads back to the original.
    const again = reproOf(r, V, { from: 'upload.min.txt', calls: 1 });
    expect(again.header.meta['description']).toBe(
      'minimized from upload.min.txt (1 call -> 1 call): minimized from upload.jsonl (32 calls -> 1 call): A texture upload.',
    );
  });

  it('invents no description, and moves one that is not text under minimized', () => {
    const none = reproOf(shrunk({ seed: '5' }, 2), V, { calls: 9 });
    expect(none.header.meta).toEqual({
      seed: '5',
      minimized: { calls: 9, kind: V.kind, fn: V.fn },
    });
    const odd = reproOf(shrunk({ description: { en: 'upload' } }, 2), V, { calls: 9 });
    expect(odd.header.meta).toEqual({
      minimized: { calls: 9, kind: V.kind, fn: V.fn, description: { en: 'upload' } },
    });
  });

  it("drops the original's text rather than write a meta no reader takes", () => {
    const long = 'x'.repeat(metaBytesMax - 40);
    expect(validateMeta({ description: long })).not.toBeInstanceOf(Bad);
    const r = reproOf(shrunk({ description: long }), V, { from: 'big.jsonl', calls: 3 });
    expect(r.header.meta['description']).toBe('minimized from big.jsonl (3 calls -> 1 call)');
    expect(validateMeta(r.header.meta)).not.toBeInstanceOf(Bad);
  });
});
