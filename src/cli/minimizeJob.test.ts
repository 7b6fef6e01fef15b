// minimize reads its trace's header before anything else; a .txt yields it only with its first
// call, past any comments. Ctrl-C or SIGTERM there stops the read at its next chunk: prepare
// gives no job (minimize then says nothing was written, exit 130) instead of reading on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepare } from './minimizeJob.js';
import { writeCommentedTrace } from '../../test/support/commentedTrace.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-minimize-job-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('minimize prepare, stopped while reading the header', () => {
  it('gives no job once the signal aborts; the same file read on gives one', async () => {
    const path = join(dir, 'comments.txt');
    writeCommentedTrace(path);
    const input = { path, label: path, outHere: false };
    const opts = { out: join(dir, 'min.txt') };
    expect(await prepare(input, opts, undefined, AbortSignal.abort())).toBeUndefined();
    const job = await prepare(input, opts, undefined, new AbortController().signal);
    expect(job?.header.profile).toBe('docs');
  });
});
