// `vpdma show --oracle` holds the trace whole: above its call limit it refuses, in one line,
// before printing anything, instead of running out of memory on a capture of millions.
// Ctrl-C or SIGTERM stops it at the next chunk read, exit 130, what it printed kept.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliContext, UserError } from '../context.js';
import { EXIT } from '../exitCodes.js';
import { oracleCallsMax, show, showStoppable } from './show.js';
import { GET, HEADER, PUT } from '../../../test/support/jsonlLines.js';
import { writeCommentedTrace } from '../../../test/support/commentedTrace.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-show-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A trace of `n` calls: an adapter got and put back, over and over. */
function traceOf(n: number): string {
  const path = join(dir, `t${n}.jsonl`);
  const calls = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? GET : PUT));
  writeFileSync(path, `${HEADER}\n${calls.join('\n')}\n`);
  return path;
}

const capture = () => {
  const out: string[] = [];
  const ctx = new CliContext({ out: (t) => out.push(t), err: (t) => out.push(t) });
  return { ctx, out };
};

describe('vpdma show --oracle and its call limit', () => {
  it('explains a trace of up to callsMax calls', async () => {
    const { ctx, out } = capture();
    expect(await show(ctx, traceOf(4), { oracle: true }, 4)).toBe(EXIT.ok);
    const text = out.join('');
    expect(text.match(/# oracle at call \d+/g)).toEqual([
      '# oracle at call 0',
      '# oracle at call 2',
    ]);
    expect(text.match(/^VideoPortPutDmaAdapter\(/gm)).toHaveLength(2);
  });

  it('refuses one longer in one line naming the limit and what streams, having printed nothing', async () => {
    const file = traceOf(5);
    const { ctx, out } = capture();
    const refused = await show(ctx, file, { oracle: true }, 4).catch((e: unknown) => e);
    expect(UserError.is(refused)).toBe(true);
    const e = refused as UserError;
    expect(e.exitCode).toBe(EXIT.badInput);
    expect(e.message).toBe(
      `show --oracle: ${file} has more than 4 calls, more than --oracle explains (it holds the trace whole); \`vpdma replay ${file} --explain\` explains every call as it streams, and \`vpdma show\` without --oracle lists any trace`,
    );
    expect(out).toEqual([]);
    // Without --oracle the same trace is listed: the limit is --oracle's.
    expect(await show(ctx, file, {}, 4)).toBe(EXIT.ok);
    expect(oracleCallsMax).toBe(200_000);
  });
});

describe('vpdma show, interrupted (Ctrl-C or SIGTERM)', () => {
  /** An Interrupt as onInterrupt makes one, aborted by the test instead of a signal. */
  const stopper = () => {
    const ac = new AbortController();
    const interrupt = { signal: ac.signal, received: () => 'SIGTERM', dispose: () => undefined };
    return { interrupt, stop: () => ac.abort() };
  };

  it('stops in a stretch of comments with one line, exit 130, nothing printed', async () => {
    // No item to stop between: a 1 MiB read chunk of comments before the first call.
    const path = join(dir, 'comments.txt');
    writeCommentedTrace(path);
    const { interrupt, stop } = stopper();
    stop();
    const { ctx, out } = capture();
    expect(await showStoppable(ctx, { path, file: path, interrupt }, { summary: true })).toBe(
      EXIT.interrupted,
    );
    expect(out).toEqual([`vpdma show: SIGTERM: stopped reading ${path}; what was printed stays\n`]);
    // Not stopped, the same file is shown whole.
    const whole = capture();
    const running = stopper().interrupt;
    expect(
      await showStoppable(whole.ctx, { path, file: path, interrupt: running }, { summary: true }),
    ).toBe(EXIT.ok);
    expect(whole.out.join('')).toMatch(/VideoPortGetBytesUsed/);
  });

  it('stopped part way through the listing, keeps what it printed and prints no more', async () => {
    const calls = 16_000; // about 2.8 MB: the listing's second pass reads it in three chunks
    const path = traceOf(calls);
    const { interrupt, stop } = stopper();
    const out: string[] = [];
    const err: string[] = [];
    const ctx = new CliContext({
      out: (t) => {
        out.push(t);
        stop(); // the signal arrives once the first text is out
      },
      err: (t) => err.push(t),
    });
    expect(await showStoppable(ctx, { path, file: path, interrupt }, {})).toBe(EXIT.interrupted);
    expect(err).toEqual([`vpdma show: SIGTERM: stopped reading ${path}; what was printed stays\n`]);
    const shown = out.join('').match(/^VideoPort\w+\(/gm)?.length ?? 0;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(calls);
  });
});
