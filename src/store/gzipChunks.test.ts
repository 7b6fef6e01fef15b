// Reading .gz traces: the same trace as the uncompressed file, a limit on the inflated bytes
// met while inflating, damage placed at the compressed byte, and prefix reads that stop early.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Recorder } from '../model/recorder.js';
import { framebufferTraffic, smallTrace } from '../../test/support/testTraces.js';
import { emptyHeader, type TraceHeader } from '../trace/trace.js';
import type { TraceCall } from '../model/values.js';
import { formatJsonl } from '../trace/jsonl.js';
import { printText } from '../trace/text.js';
import { encodeVpt } from '../trace/vpt.js';
import type { IoStatus } from './fileChunks.js';
import { gunzipChunks } from './gzipChunks.js';
import { readTrace, readTracePrefix, streamTraceBatches } from './traceFiles.js';
import { readTraceStart } from './tracePrefix.js';
import { collectTrace } from '../trace/items.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-gzip-'));

function write(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

let long: { header: TraceHeader; calls: TraceCall[] } | undefined;

/** A trace whose JSONL inflates to several of the reader's chunks (about 1.7 MB); made once. */
function longTrace() {
  if (long !== undefined) return long;
  const r = new Recorder({}, true);
  framebufferTraffic(r, 8000);
  long = { header: emptyHeader(), calls: r.calls };
  return long;
}

describe('gzip traces', () => {
  it('reads .jsonl.gz, .vpt.gz and .txt.gz as the trace the uncompressed file holds', async () => {
    const t = smallTrace(true);
    for (const [name, bytes] of [
      ['s.jsonl', formatJsonl(t)],
      ['s.vpt', encodeVpt(t)],
      ['s.txt', printText(t)],
    ] as const) {
      const plain = await readTrace(write(name, bytes));
      const gz = write(`${name}.gz`, gzipSync(bytes));
      expect(await readTrace(gz), name).toEqual(plain);
      expect(await collectTrace(streamTraceBatches(gz)), name).toEqual(plain);
    }
  });

  it('names the file as labelled, and a bad line by its decompressed line number', async () => {
    const text = formatJsonl(smallTrace(true)).replace(/\n([^\n]*)\n$/, '\n{"fn": 1}\n');
    const lines = text.split('\n').length - 1;
    const gz = write('bad.jsonl.gz', gzipSync(text));
    const r = await readTrace(gz, '<stdin>');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ file: '<stdin>', line: lines });
  });

  it('stops inflating at the limit, holding no more than a chunk past it', async () => {
    const bytes = Buffer.alloc(8 << 20, 0x0a);
    const gz = write('bomb.gz', gzipSync(bytes));
    const io: IoStatus = {};
    let seen = 0;
    for await (const c of gunzipChunks(gz, io, { bytesMax: 1 << 20 })) seen += c.length;
    expect(seen).toBeLessThanOrEqual(1 << 20);
    expect(io.stop?.message).toMatch(/decompresses to more than 1 MiB \(limit 1 MiB/);
    expect(io.stop?.damaged).toBeUndefined();
  });

  it('places corrupt data at the compressed byte zlib fails at, keeping the calls before it', async () => {
    const t = longTrace();
    const gzBytes = gzipSync(formatJsonl(t));
    for (const [back, what] of [
      [6, 'incorrect data check'], // the CRC-32: complete at its last byte, 5 from the end
      [2, 'incorrect length check'], // ISIZE: complete at the last byte
    ] as const) {
      const bad = Uint8Array.from(gzBytes);
      bad[gzBytes.length - back] = (bad[gzBytes.length - back] ?? 0) ^ 0x55;
      const path = write(`crc${back}.jsonl.gz`, bad);
      const r = await readTracePrefix(path);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      const at = back === 6 ? gzBytes.length - 5 : gzBytes.length - 1;
      expect(r.value.damage?.message).toBe(`gzip: corrupt data at compressed byte ${at} (${what})`);
      expect(r.value.damage?.damaged).toBe(true);
      expect(r.value.trace.calls.length).toBeGreaterThan(0);
      expect(r.value.trace.calls).toEqual(t.calls.slice(0, r.value.trace.calls.length));
    }
  });

  it('keeps every call before trailing garbage, small file and large alike, and calls it damage', async () => {
    // zlib drops the output of the step that fails: a small file's only step, a large one's last.
    for (const [name, t] of [
      ['small', smallTrace(true)],
      ['large', longTrace()],
    ] as const) {
      const gzBytes = gzipSync(formatJsonl(t));
      const path = write(
        `${name}-trailing.jsonl.gz`,
        Buffer.concat([gzBytes, Buffer.from('garbage')]),
      );
      const message = `gzip: trailing garbage after the gzip data, failing at compressed byte ${gzBytes.length + 1} (incorrect header check)`;
      // readTracePrefix reads it whole first (readTrace), then streams it for the prefix.
      const r = await readTracePrefix(path);
      expect(r.ok && r.value.damage, name).toEqual({ file: path, message, damaged: true });
      expect(r.ok && r.value.trace, name).toEqual(t);
    }
  });

  it('reports a cut-short stream at its end, and an I/O failure as one', async () => {
    const gzBytes = gzipSync(formatJsonl(longTrace()));
    const cut = write('cut.jsonl.gz', gzBytes.subarray(0, 5000));
    const items = [];
    for await (const i of streamTraceBatches(cut)) items.push(i);
    expect(items.at(-1)).toEqual({
      kind: 'error',
      error: {
        file: cut,
        message: 'gzip: cut short at compressed byte 5000 (unexpected end of file)',
        damaged: true,
      },
    });
    const missing = await readTrace(join(dir, 'none.jsonl.gz'));
    expect(missing.ok ? '' : missing.error.message).toBe('cannot read: no such file');
  });

  it('reads only the prefix it needs: a trailer damaged past it is never reached', async () => {
    const t = longTrace();
    const gzBytes = gzipSync(formatJsonl(t));
    const bad = Uint8Array.from(gzBytes);
    bad[gzBytes.length - 6] = (bad[gzBytes.length - 6] ?? 0) ^ 0x55;
    const path = write('prefix.jsonl.gz', bad);
    const r = await readTraceStart(path, 10, t.calls.length);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.damage).toBeUndefined();
      expect(r.value.trace.calls).toEqual(t.calls.slice(0, 10));
    }
    // Read to its end (no count given), the damage is found.
    const whole = await readTraceStart(path, 10);
    expect(whole.ok && whole.value.damage?.message).toMatch(/gzip: corrupt data/);
  });
});
