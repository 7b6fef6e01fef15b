// Trace files from a stranger's directory: a FIFO or a symlink to /dev/zero is refused in one
// line (`not a regular file`) by the shared open, without blocking on the FIFO (a test that
// blocked would time out), by every reader (whole, streamed, .gz) and by replay of a
// directory, whose good trace is still replayed and whose run ends.
import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, mkdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';
import {
  fileChunks,
  ioMessage,
  openRegular,
  readRegularFile,
  type IoStatus,
} from './fileChunks.js';
import { gunzipChunks } from './gzipChunks.js';
import { readTrace, streamTraceBatches } from './traceFiles.js';

const corpus = resolve(import.meta.dirname, '../../corpus');
let dir = '';
const p = (name: string): string => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vpdma-notreg-'));
  await mkdir(p('d'));
  await copyFile(join(corpus, 'events.jsonl'), p('d/good.jsonl'));
  expect(spawnSync('mkfifo', [p('d/fifo.jsonl')]).status).toBe(0);
  await symlink('/dev/zero', p('d/zero.vpt'));
  await symlink('/dev/zero', p('zero.jsonl.gz'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const refusal = (f: () => Promise<unknown>): Promise<string> =>
  f().then(
    () => 'opened',
    (e: unknown) => ioMessage(e),
  );

describe('openRegular', () => {
  it('refuses a FIFO, a device and a directory at once; opens a regular file', async () => {
    expect(await refusal(() => openRegular(p('d/fifo.jsonl')))).toBe('not a regular file');
    expect(await refusal(() => readRegularFile(p('d/zero.vpt')))).toBe('not a regular file');
    expect(await refusal(() => openRegular(p('d')))).toBe('is a directory');
    expect((await readRegularFile(p('d/good.jsonl'))).length).toBeGreaterThan(0);
  });

  it('is what every reader opens with: chunks, gzip, whole and streamed reads', async () => {
    for (const read of [fileChunks, gunzipChunks]) {
      const io: IoStatus = {};
      const chunks: Uint8Array[] = [];
      for await (const c of read(p('d/fifo.jsonl'), io)) chunks.push(c);
      expect(chunks).toEqual([]);
      expect(io.error).toBe('not a regular file');
    }
    const whole = await readTrace(p('d/zero.vpt'));
    expect(!whole.ok && whole.error.message).toBe('cannot read: not a regular file');
    for (const f of ['d/fifo.jsonl', 'zero.jsonl.gz']) {
      const items = [];
      for await (const item of streamTraceBatches(p(f))) items.push(item);
      expect(items).toEqual([
        { kind: 'error', error: { file: p(f), message: 'cannot read: not a regular file' } },
      ]);
    }
  });
});

describe('vpdma replay of a directory holding a FIFO and a /dev/zero link', () => {
  it('replays the good trace, says each of the others is no regular file, and ends', async () => {
    const r = await runCli(['replay', p('d'), '--workers', '1', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.out).toContain(
      'traces 3: 1 passed, 0 with violations, 0 crashed, 0 timed out, 2 unreadable',
    );
    expect(r.err).toContain(`${p('d/fifo.jsonl')}: cannot read: not a regular file`);
    expect(r.err).toContain(`${p('d/zero.vpt')}: cannot read: not a regular file`);
  });
});
