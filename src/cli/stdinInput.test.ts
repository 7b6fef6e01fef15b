// Standard input as a trace, where only a real process shows it: `vpdma minimize -` (its repro
// in the current directory, stdin's spool gone), and Ctrl-C or SIGTERM while stdin is still
// being spooled (the pipe open): exit 130 (not SIGTERM's default 143), one line, the spool
// removed.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { childCli, interruptCli, runCli } from '../../test/support/runCli.js';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'vpdma-stdin-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const flags = readFileSync(join(root, 'corpus/legacy-mapdma-flags.jsonl'));

/** A fresh directory under the test's, for a child's TMPDIR or working directory. */
const fresh = (name: string): string => mkdtempSync(join(dir, `${name}-`));

describe('vpdma minimize -', () => {
  it('minimizes a trace piped in, its repro in ./stdin.min.txt, and leaves no spool behind', async () => {
    const [cwd, spool] = [fresh('cwd'), fresh('spool')];
    const target = 'mutant:mapdma-writes-length';
    const argv = ['minimize', '-', '--target', target, '--workers', '1', '--quiet'];
    const r = await childCli(argv, { stdin: gzipSync(flags), env: { TMPDIR: spool }, cwd });
    expect(r.code, r.err).toBe(1);
    expect(r.out.split('\n')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^<stdin>: map-dma-wrote-out-param in VideoPortMapDmaMemory at call 11: /,
        ),
        'wrote stdin.min.txt',
        `reproduce: vpdma replay stdin.min.txt --target ${target} --timeout 5000`,
      ]),
    );
    expect(readdirSync(cwd)).toEqual(['stdin.min.txt']);
    const meta = /^#! meta (.*)$/m.exec(readFileSync(join(cwd, 'stdin.min.txt'), 'utf8'))?.[1];
    const minimized = (JSON.parse(meta ?? '{}') as { minimized?: { from?: string } }).minimized;
    expect(minimized?.from).toBe('<stdin>');
    expect(readdirSync(spool)).toEqual([]);
  });

  it('refuses bad usage before reading standard input (in-process: it is never read)', async () => {
    for (const [flag, value, message] of [
      ['--kind', 'wrong', /^vpdma: --kind: unknown kind "wrong" /],
      ['--out', 'repro.json', /^vpdma: --out: repro\.json: the name must end in \.jsonl, /],
    ] as const) {
      const r = await runCli(['minimize', '-', flag, value]);
      expect([r.code, r.out]).toEqual([2, '']);
      expect(r.err).toMatch(message);
    }
  });
});

describe('Ctrl-C or SIGTERM while standard input is being spooled', () => {
  // The header and some calls, and the pipe left open: the CLI is still reading when the
  // signal comes, once the spool file holds what was written (not after a fixed wait).
  const head = flags.subarray(0, flags.indexOf('\n', 2000) + 1);
  const spooledIn = (spool: string) => async (): Promise<void> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [sub] = readdirSync(spool);
      const size = sub === undefined ? 0 : statOr0(join(spool, sub, 'stdin'));
      if (size === head.length) return;
      if (Date.now() > deadline) throw new Error(`stdin not spooled: ${size} bytes`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  // SIGTERM as well as Ctrl-C: its default action would end the process with 143.
  it.each([
    [['replay', '-', '--quiet'], 'SIGINT'],
    [['show', '-'], 'SIGTERM'],
  ] as const)('%j on %s: exits 130 at once with one line, the spool removed', async (argv, sig) => {
    const spool = fresh('spool');
    const r = await interruptCli(argv, spooledIn(spool), false, {
      stdin: head,
      env: { TMPDIR: spool },
      signal: sig,
    });
    expect([r.code, r.signal]).toEqual([130, null]);
    expect(r.err).toBe(
      `vpdma: ${sig} while reading the trace on standard input: stopped before anything was done with it; nothing written\n`,
    );
    expect(r.out).toBe('');
    expect(readdirSync(spool)).toEqual([]);
  });
});

function statOr0(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
