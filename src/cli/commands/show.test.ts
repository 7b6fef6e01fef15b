// `vpdma show --oracle` holds the trace whole: above its call limit it refuses, in one line,
// before printing anything, instead of running out of memory on a capture of millions.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliContext, UserError } from '../context.js';
import { EXIT } from '../exitCodes.js';
import { oracleCallsMax, show } from './show.js';
import { GET, HEADER, PUT } from '../../../test/support/jsonlLines.js';

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
