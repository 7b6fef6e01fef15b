import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  readTrace,
  streamTraceBatches,
  streamTraceCalls,
  writeTraceAtomic,
  writeTraceItemsAtomic,
} from './traceFiles.js';
import { formatTraceError } from '../trace/traceError.js';
import { collectTrace, type TraceItem } from '../trace/items.js';
import type { Trace } from '../trace/trace.js';
import { emptyHeader } from '../trace/trace.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vpdma-store-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const trace: Trace = {
  header: emptyHeader({ case: 'store' }),
  calls: Array.from({ length: 700 }, (_, i) => ({
    fn: '@read',
    args: { va: 0xffffa00000000000n + BigInt(i), length: 16 },
    ret: new Uint8Array([i & 0xff]),
  })),
};
const error = (r: { ok: boolean; error?: unknown }): string =>
  r.ok ? 'ok' : formatTraceError(r.error as Parameters<typeof formatTraceError>[0]);

describe('trace files', () => {
  it('writes and reads back every format', async () => {
    for (const ext of ['jsonl', 'vpt', 'txt']) {
      const path = join(dir, `t.${ext}`);
      expect(await writeTraceAtomic(path, trace)).toEqual({ ok: true, value: { calls: 700 } });
      expect(await readTrace(path)).toEqual({ ok: true, value: trace });
    }
    expect((await readFile(join(dir, 't.vpt'))).subarray(0, 4).toString()).toBe('VPDT');
  });

  it('streams every format in batches and one call at a time, the same calls', async () => {
    for (const ext of ['jsonl', 'vpt', 'txt']) {
      const path = join(dir, `b.${ext}`);
      await writeTraceAtomic(path, trace);
      expect(await collectTrace(streamTraceBatches(path))).toEqual({ ok: true, value: trace });
      expect(await collectTrace(streamTraceCalls(path))).toEqual({ ok: true, value: trace });
      // And back through the writer, batches in: a conversion.
      const copy = join(dir, `b2.${ext === 'vpt' ? 'jsonl' : 'vpt'}`);
      expect(await writeTraceItemsAtomic(copy, streamTraceBatches(path))).toEqual({
        ok: true,
        value: { calls: 700 },
      });
      expect(await readTrace(copy)).toEqual({ ok: true, value: trace });
    }
  });

  it('reports unknown extensions, missing files and directories as errors', async () => {
    expect(error(await readTrace(join(dir, 't.json')))).toMatch(/unknown trace format/);
    expect(error(await readTrace(join(dir, 'missing.jsonl')))).toBe(
      `${join(dir, 'missing.jsonl')}: cannot read: no such file`,
    );
    await mkdir(join(dir, 'd.vpt'));
    expect(error(await readTrace(join(dir, 'd.vpt')))).toMatch(/cannot read: not a regular file/);
    // A directory without a trace's extension (vpdma show corpus/) is named for what it is.
    await mkdir(join(dir, 'traces'));
    expect(error(await readTrace(join(dir, 'traces')))).toBe(
      `${join(dir, 'traces')}: is a directory: give one trace file (.jsonl, .vpt or .txt, or one of them .gz)`,
    );
    const fromStream: TraceItem[] = [];
    for await (const i of streamTraceCalls(join(dir, 'traces'))) fromStream.push(i);
    expect(fromStream).toEqual([
      {
        kind: 'error',
        error: {
          file: join(dir, 'traces'),
          message: 'is a directory: give one trace file (.jsonl, .vpt or .txt, or one of them .gz)',
        },
      },
    ]);
    const items: TraceItem[] = [];
    for await (const i of streamTraceCalls(join(dir, 'missing.vpt'))) items.push(i);
    expect(items.map((i) => (i.kind === 'error' ? formatTraceError(i.error) : i.kind))).toEqual([
      `${join(dir, 'missing.vpt')}: cannot read: no such file`,
    ]);
  });

  it('refuses JSONL and text files above the whole-file limit with a clear message', async () => {
    const path = join(dir, 'huge.jsonl');
    const fh = await open(path, 'w');
    await fh.truncate(513 * 1024 * 1024); // sparse: costs no disk
    await fh.close();
    expect(error(await readTrace(path))).toBe(
      `${path}: 513 MiB is too large to read whole (limit 512 MiB); convert it to .vpt, which streams`,
    );
    await rm(path);
  });

  it('leaves the target untouched and no temporary file behind when the input is bad', async () => {
    const path = join(dir, 'keep.jsonl');
    await writeFile(path, 'old contents\n');
    async function* bad(): AsyncGenerator<TraceItem> {
      yield { kind: 'header', header: trace.header };
      yield { kind: 'call', call: trace.calls[0] as Trace['calls'][number] };
      yield {
        kind: 'error',
        error: { file: 'in.vpt', offset: 99, message: 'frame checksum mismatch' },
      };
      return Promise.resolve();
    }
    expect(error(await writeTraceItemsAtomic(path, bad()))).toBe(
      'in.vpt: byte 99: frame checksum mismatch',
    );
    expect(await readFile(path, 'utf8')).toBe('old contents\n');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('streams a damaged .vpt up to the damage', async () => {
    const path = join(dir, 'cut.vpt');
    await writeTraceAtomic(path, trace);
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 5));
    const items: TraceItem[] = [];
    for await (const i of streamTraceCalls(path)) items.push(i);
    expect(items.filter((i) => i.kind === 'call')).toHaveLength(512);
    const last = items[items.length - 1];
    expect(last?.kind === 'error' && formatTraceError(last.error)).toMatch(
      /cut.vpt: byte \d+: truncated frame/,
    );
  });
});
