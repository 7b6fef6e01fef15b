// readTraceHeader reads a bounded prefix: the header of any format, plain or compressed, and
// nothing past `bytesMax` (replay asks it for a one-trace run's recorded seed before replaying).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyHeader, type Trace } from '../trace/trace.js';
import { formatJsonl } from '../trace/jsonl.js';
import { readTraceHeader, writeTraceAtomic } from './traceFiles.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vpdma-header-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const trace: Trace = {
  header: emptyHeader({ seed: '7', note: 'x'.repeat(300) }),
  calls: Array.from({ length: 50 }, (_, i) => ({
    fn: '@read',
    args: { va: 0xffffa00000000000n + BigInt(i), length: 16 },
    ret: new Uint8Array([i]),
  })),
};

describe('readTraceHeader', () => {
  it('gives the header of a .jsonl, .vpt, .txt and .jsonl.gz trace', async () => {
    for (const name of ['t.jsonl', 't.vpt', 't.txt']) {
      const path = join(dir, name);
      await writeTraceAtomic(path, trace);
      expect((await readTraceHeader(path))?.meta['seed'], name).toBe('7');
    }
    const gz = join(dir, 't.jsonl.gz');
    await writeFile(gz, gzipSync(formatJsonl(trace)));
    expect((await readTraceHeader(gz))?.meta['seed']).toBe('7');
  });

  it('reads no further than bytesMax: a header cut by the bound is no header', async () => {
    const path = join(dir, 'bound.jsonl');
    await writeFile(path, formatJsonl(trace));
    expect(await readTraceHeader(path, 100)).toBeUndefined();
    expect((await readTraceHeader(path, 4096))?.meta['seed']).toBe('7');
  });

  it('is undefined for a file of blank lines, compressed, without reading it all', async () => {
    const path = join(dir, 'blank.txt.gz');
    await writeFile(path, gzipSync(Buffer.alloc(8 << 20, 0x0a), { level: 1 }));
    expect(await readTraceHeader(path, 64 * 1024)).toBeUndefined();
    expect(await readTraceHeader(join(dir, 'missing.jsonl'))).toBeUndefined();
  });
});
