// stdin's spool: named for the format its first bytes show, bounded, and never left behind.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { smallTrace } from '../../test/support/testTraces.js';
import { formatJsonl } from '../trace/jsonl.js';
import { printText } from '../trace/text.js';
import { encodeVpt } from '../trace/vpt.js';
import { spoolStdin } from './stdinTrace.js';

let spoolDir = '';
const saved = process.env['TMPDIR'];
beforeEach(() => {
  spoolDir = mkdtempSync(join(tmpdir(), 'vpdma-stdin-test-'));
  process.env['TMPDIR'] = spoolDir;
});
afterEach(() => {
  if (saved === undefined) delete process.env['TMPDIR'];
  else process.env['TMPDIR'] = saved;
});

async function* pieces(bytes: Uint8Array, size = 1000): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  return Promise.resolve();
}

describe('spoolStdin', () => {
  it('names the spooled file for the format its first bytes show', async () => {
    const t = smallTrace(true);
    const jsonl = Buffer.from(formatJsonl(t));
    const vpt = encodeVpt(t);
    const cases = [
      [jsonl, 'stdin.jsonl'],
      [vpt, 'stdin.vpt'],
      [Buffer.from(printText(t)), 'stdin.txt'],
      [gzipSync(jsonl), 'stdin.jsonl.gz'],
      [gzipSync(vpt), 'stdin.vpt.gz'],
    ] as const;
    for (const [bytes, name] of cases) {
      const s = await spoolStdin(pieces(bytes));
      expect(basename(s.path)).toBe(name);
      expect(s.label).toBe('<stdin>');
      expect(existsSync(s.path)).toBe(true);
      await s.dispose();
      expect(existsSync(s.path)).toBe(false);
    }
    expect(readdirSync(spoolDir)).toEqual([]);
  });

  it('refuses more than its bound in one line, leaving nothing behind', async () => {
    const bytes = Buffer.alloc(5000, 0x7b);
    await expect(spoolStdin(pieces(bytes), 4096)).rejects.toThrow(
      /^<stdin>: more than 4.0 KiB on standard input, the most vpdma spools; save it to a file and name that$/,
    );
    expect(readdirSync(spoolDir)).toEqual([]);
    const fits = await spoolStdin(pieces(bytes), 5000);
    await fits.dispose();
  });
});
