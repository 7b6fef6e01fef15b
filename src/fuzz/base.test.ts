// The base corpus's identity (`baseId` in reports, the key of each thread's decoded copy): two
// corpora that differ by one byte of one entry, names and sizes alike, are two bases.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonl } from '../trace/jsonl.js';
import type { Trace } from '../trace/trace.js';
import { encodeVpt, VptWriter } from '../trace/vpt.js';
import { baseEntries, buildBase } from './base.js';

const text = readFileSync(
  join(import.meta.dirname, '../../corpus/legacy-mapdma-during-transfers.jsonl'),
  'utf8',
);
/** The trace, its first @write's first data byte 0x70 made 0xff: same length, same coverage. */
const edited = text.replace(/("fn":"@write","args":\{"va":"0x[0-9a-f]+","data":")70/, '$1ff');

function trace(jsonl: string): Trace {
  const r = parseJsonl(jsonl, 'mine.jsonl');
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const firstWrite = (t: { program: readonly { fn: string; args: unknown }[] }): unknown =>
  t.program.find((c) => c.fn === '@write')?.args;

describe('the base corpus id', () => {
  it('is the same for the same corpus, another when one byte of an entry differs', () => {
    expect(edited).not.toBe(text);
    expect(edited.length).toBe(text.length);
    const a = buildBase([{ name: 'mine.jsonl', trace: trace(text) }], 64);
    const again = buildBase([{ name: 'mine.jsonl', trace: trace(text) }], 64);
    const b = buildBase([{ name: 'mine.jsonl', trace: trace(edited) }], 64);
    expect(again.shared.id).toBe(a.shared.id);
    // Same name, same size, same weights: only the bytes tell them apart.
    expect(b.shared.bytes.byteLength).toBe(a.shared.bytes.byteLength);
    expect(b.entries.map((e) => e.weight)).toEqual(a.entries.map((e) => e.weight));
    expect(b.shared.id).not.toBe(a.shared.id);
    // A thread that last decoded (or built) b decodes a afresh, not b's entries under a's id.
    const [decodedA] = baseEntries(a.shared);
    const [builtA] = a.entries;
    expect(decodedA && firstWrite(decodedA)).toEqual(builtA && firstWrite(builtA));
    expect(decodedA && firstWrite(decodedA)).not.toEqual(b.entries[0] && firstWrite(b.entries[0]));
  });
});

describe("an entry's own .vpt bytes", () => {
  const t = trace(text);
  /** The trace as two call frames: valid .vpt, decoding to t, but not the bytes encodeVpt writes. */
  function twoFrames(): Uint8Array {
    const w = new VptWriter(t.header);
    const half = Math.floor(t.calls.length / 2);
    const parts = [w.start()];
    for (const c of t.calls.slice(0, half)) parts.push(w.push(c) ?? new Uint8Array());
    parts.push(w.finish() ?? new Uint8Array());
    for (const c of t.calls.slice(half)) parts.push(w.push(c) ?? new Uint8Array());
    parts.push(w.finish() ?? new Uint8Array());
    return Buffer.concat(parts);
  }

  it('are shared as they are, and decode to the same programs', () => {
    const bytes = twoFrames();
    expect(Buffer.compare(bytes, encodeVpt(t))).not.toBe(0);
    const given = buildBase([{ name: 'mine.vpt', trace: t, encoded: bytes }], 64);
    expect(new Uint8Array(given.shared.bytes)).toEqual(new Uint8Array(bytes));
    const encoded = buildBase([{ name: 'mine.vpt', trace: t }], 64);
    expect(given.shared.id).not.toBe(encoded.shared.id);
    // A worker decodes the entry from the bytes: the same program as the encoded base's.
    const fromBytes = baseEntries({ ...given.shared, id: 'another thread' });
    expect(fromBytes.map((e) => e.program)).toEqual(encoded.entries.map((e) => e.program));
  });

  it('are the same base as encoding them when encodeVpt wrote them (a campaign keeps those)', () => {
    const given = buildBase([{ name: 'mine.vpt', trace: t, encoded: encodeVpt(t) }], 64);
    const encoded = buildBase([{ name: 'mine.vpt', trace: t }], 64);
    expect(given.shared.id).toBe(encoded.shared.id);
  });
});
