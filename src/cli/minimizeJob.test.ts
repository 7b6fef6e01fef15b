// minimize reads its trace's header before anything else; a .txt yields it only with its first
// call, past any comments. Ctrl-C or SIGTERM there stops the read at its next chunk: prepare
// gives no job (minimize then says nothing was written, exit 130) instead of reading on. The
// same after the first replay, while the calls up to the violation are read again: the read
// ends at its next chunk, nothing is linked or written, exit 130.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliContext } from './context.js';
import { EXIT } from './exitCodes.js';
import { prepare } from './minimizeJob.js';
import { minimizeInput } from './commands/minimize.js';
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

describe('vpdma minimize, stopped while it reads the calls up to the violation', () => {
  const path = resolve(import.meta.dirname, '../../corpus/legacy-mapdma-flags.jsonl');
  /** minimize of the corpus trace, its Interrupt aborted as `stopAt`'s phase line is printed. */
  const run = async (stopAt: string | undefined, out: string) => {
    const ac = new AbortController();
    const interrupt = {
      signal: ac.signal,
      received: () => (ac.signal.aborted ? 'SIGTERM' : undefined),
      dispose: () => undefined,
    };
    const err: string[] = [];
    const ctx = new CliContext({
      out: () => undefined,
      err: (t) => {
        err.push(t);
        if (stopAt !== undefined && t.includes(`"phase":"${stopAt}`)) ac.abort();
      },
    });
    const opts = { target: 'mutant:mapdma-writes-length', workers: '1', out, jsonProgress: true };
    const code = await minimizeInput(
      ctx,
      { path, label: path, outHere: false },
      opts,
      undefined,
      interrupt,
    );
    return { code, err: err.join('') };
  };

  it('reads no further, links nothing, writes nothing: exit 130', async () => {
    const out = join(dir, 'stopped.min.txt');
    const r = await run('preparing (reading', out);
    expect(r.code, r.err).toBe(EXIT.interrupted);
    expect(r.err).toContain(
      `vpdma: interrupted before a shorter trace was found to fail: nothing written (${path} is still the shortest repro)\n`,
    );
    expect(r.err).not.toContain('preparing (linking');
    expect(existsSync(out)).toBe(false);
    // Not stopped, the same run links the calls and writes its repro.
    const whole = await run(undefined, join(dir, 'whole.min.txt'));
    expect(whole.code, whole.err).toBe(EXIT.violations);
    expect(whole.err).toContain('preparing (linking 12 calls)');
    expect(existsSync(join(dir, 'whole.min.txt'))).toBe(true);
  }, 60_000);
});
