// traceKey hashes a call at a time: the key is the digest of the calls' JSONL text as before,
// and a trace whose text passes V8's longest string (about 512 MiB) still gets one. The JSON
// of one call is memoized here (a 1 MiB @write spends 70 ms printing its hex, 257 times over),
// so the test pays only for the 537 million characters hashed.
import { describe, expect, it, vi } from 'vitest';
import { hashString, StringHash } from '../core/hash.js';
import type { TraceCall } from '../model/values.js';
import type { Trace } from '../trace/trace.js';
import { smallTrace } from '../../test/support/testTraces.js';
import type * as JsonModule from '../trace/json.js';
import { traceKey } from './materialize.js';

vi.mock('../trace/json.js', async (importOriginal) => {
  const json = await importOriginal<typeof JsonModule>();
  const printed = new WeakMap<TraceCall, ReturnType<typeof json.callToJson>>();
  return {
    ...json,
    callToJson: (c: TraceCall) => {
      const known = printed.get(c);
      if (known !== undefined) return known;
      const j = json.callToJson(c);
      printed.set(c, j);
      return j;
    },
  };
});

const { callToJson } = await vi.importActual<typeof JsonModule>('../trace/json.js');

/** The key as traceKey made it from the whole text, joined. */
function joinedKey(t: Trace): string {
  const text = t.calls.map((c) => JSON.stringify(callToJson(c))).join('\n');
  const a = hashString(text, 0).toString(36);
  const b = hashString(text, 0x5bd1e995).toString(36);
  return `${a}.${b}.${text.length.toString(36)}`;
}

describe('StringHash', () => {
  it('gives hashString of the pieces joined, however the text is cut', () => {
    const text = 'VideoPortMapDmaMemory\n{"fn":"@write","args":{}}\u00e9\u4e2d';
    for (const seed of [0, 0x5bd1e995])
      for (let cut = 0; cut <= text.length; cut++) {
        const h = new StringHash(seed);
        h.add(text.slice(0, cut));
        h.add('');
        h.add(text.slice(cut));
        expect(h.value).toBe(hashString(text, seed));
      }
  });
});

describe('traceKey', () => {
  it('is the digest of the joined JSONL text, as it always was', () => {
    const t = smallTrace(true);
    expect(traceKey(t)).toBe(joinedKey(t));
    expect(traceKey({ ...t, calls: [] })).toBe(joinedKey({ ...t, calls: [] }));
    expect(traceKey({ ...t, calls: t.calls.slice(1) })).not.toBe(traceKey(t));
  });

  it('keys a trace whose text is longer than the longest string V8 allows', () => {
    const write: TraceCall = {
      fn: '@write',
      args: { va: 0x1000n, data: new Uint8Array(1 << 20).fill(0xab) },
    };
    const line = JSON.stringify(callToJson(write));
    const one = line.length + 1;
    const n = Math.ceil(2 ** 29 / one) + 1;
    const calls = Array<TraceCall>(n).fill(write);
    const t: Trace = { header: smallTrace().header, calls };
    // What the joined text was: too long to build.
    expect(() => Array<string>(n).fill(line).join('\n')).toThrow(RangeError);
    expect(traceKey(t).split('.')[2]).toBe((n * one - 1).toString(36));
  }, 120_000);
});
