// `vpdma convert`: interrupted or failed, the output (a .gz too) is left as it was and no
// temporary file remains;
// a .txt too big for replay to read whole is pointed out.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../context.js';
import { interruptCli, runCli } from '../../../test/support/runCli.js';
import { warnIfTooBigToReplay } from './convert.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-convert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A long capture: a frame-buffer mapping, then many writes into it. */
function longTrace(path: string, writes: number): void {
  const header = { format: 'vpdma-trace', version: 1, profile: 'docs', device: {}, meta: {} };
  const base = '0xffff9d0020000000';
  const map = {
    fn: 'VideoPortGetDeviceBase',
    args: {
      hwDeviceExtension: '0x0',
      ioAddress: '0xe0000000',
      numberOfUchars: 65536,
      inIoSpace: 0,
    },
    ret: base,
  };
  const write = JSON.stringify({ fn: '@write', args: { va: base, data: 'ab'.repeat(64) } });
  const lines = [JSON.stringify(header), JSON.stringify(map), ...Array<string>(writes).fill(write)];
  writeFileSync(path, `${lines.join('\n')}\n`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('vpdma convert, interrupted', () => {
  it.each(['out.vpt', 'out.txt', 'out.jsonl.gz'])(
    'exits 130, %s untouched, its temporary file removed',
    async (name) => {
      const input = join(dir, 'long.jsonl');
      if (!existsSync(input)) longTrace(input, 200_000); // 42 MB: seconds to convert
      const out = join(dir, name);
      // Once the temporary file is there, the conversion is under way.
      const started = async (): Promise<void> => {
        for (let i = 0; i < 600 && !readdirSync(dir).some((f) => f.endsWith('.tmp')); i++)
          await sleep(25);
      };
      const r = await interruptCli(['convert', input, out], started);
      expect([r.code, r.err]).toEqual([
        130,
        expect.stringContaining(`vpdma convert: SIGINT: stopped; ${out} is as it was\n`),
      ]);
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    },
  );
});

describe('vpdma convert, output', () => {
  it('makes a missing output directory, as every other vpdma output does', async () => {
    const out = join(dir, 'new', 'deeper', 'events.vpt');
    const r = await runCli(['convert', 'corpus/events.jsonl', out]);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(existsSync(out)).toBe(true);
  });

  it('leaves a .gz output as it was when the input fails part way', async () => {
    const out = join(dir, 'kept.vpt.gz');
    expect((await runCli(['convert', 'corpus/events.jsonl', out])).code).toBe(0);
    const before = readFileSync(out);
    const cut = join(dir, 'cut.jsonl');
    writeFileSync(cut, readFileSync('corpus/events.jsonl', 'utf8').slice(0, -40));
    const r = await runCli(['convert', cut, out]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/damaged; --salvage writes the calls before it/);
    expect(readFileSync(out)).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('vpdma convert --salvage, an invalid call mid-file', () => {
  it('keeps the valid calls before it, naming its line and why; without --salvage, exit 2', async () => {
    const lines = readFileSync('corpus/events.jsonl', 'utf8').trimEnd().split('\n');
    // Line 5 (the fourth call) names a function that does not exist.
    lines.splice(4, 1, '{"fn":"VideoPortNoSuchCall","args":{}}');
    const bad = join(dir, 'bad-line.jsonl');
    writeFileSync(bad, `${lines.join('\n')}\n`);
    const out = join(dir, 'bad-line.salvaged.jsonl');
    const refused = await runCli(['convert', bad, out]);
    expect(refused.code).toBe(2);
    expect(existsSync(out)).toBe(false);
    // The line says what --salvage would keep; a .txt, written in two passes, the same.
    const why = `${bad}:5: fn: unknown function "VideoPortNoSuchCall"`;
    expect(refused.err).toBe(`vpdma: ${why}; --salvage keeps the 3 calls before it\n`);
    const txt = await runCli(['convert', bad, join(dir, 'bad-line.txt')]);
    expect([txt.code, txt.err]).toEqual([2, refused.err]);
    // With no call before it, --salvage would keep nothing: no hint.
    lines.splice(1, 1, '{"fn":"VideoPortNoSuchCall","args":{}}');
    writeFileSync(bad, `${lines.join('\n')}\n`);
    const first = await runCli(['convert', bad, out]);
    expect(first.err).toBe(`vpdma: ${bad}:2: fn: unknown function "VideoPortNoSuchCall"\n`);
    lines.splice(1, 1, readFileSync('corpus/events.jsonl', 'utf8').split('\n')[1] ?? '');
    writeFileSync(bad, `${lines.join('\n')}\n`);
    const r = await runCli(['convert', '--salvage', bad, out]);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toMatch(
      new RegExp(`: 3 calls \\(salvaged: ${bad}:5: .*unknown function.*; the rest dropped\\)\n$`),
    );
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(4);
  });
});

describe('vpdma convert --salvage, damage before any whole call', () => {
  it('is refused, exit 2, the output left as it was: nothing to salvage', async () => {
    const lines = readFileSync('corpus/events.jsonl', 'utf8').split('\n');
    const cut = join(dir, 'header-cut.jsonl');
    // The header, then a call line cut before its newline.
    writeFileSync(cut, `${lines[0] ?? ''}\n${(lines[1] ?? '').slice(0, 20)}`);
    const vpt = join(dir, 'whole.vpt');
    expect((await runCli(['convert', 'corpus/events.jsonl', vpt])).code).toBe(0);
    const bytes = readFileSync(vpt);
    // The header frame whole (prelude 6 bytes, frame head 8), the first call frame cut.
    const headerEnd = 6 + 8 + bytes.readUInt32LE(6);
    const cutVpt = join(dir, 'frame-cut.vpt');
    writeFileSync(cutVpt, bytes.subarray(0, headerEnd + 20));
    for (const input of [cut, cutVpt]) {
      const out = join(dir, 'nothing.jsonl');
      const r = await runCli(['convert', '--salvage', input, out]);
      expect([r.code, r.out], input).toEqual([2, '']);
      expect(r.err, input).toMatch(
        /^vpdma: .*: damaged: no whole call before it, so --salvage has nothing to salvage\n$/,
      );
      expect(existsSync(out), input).toBe(false);
    }
  });
});

describe('vpdma convert to a .txt too big for replay to read whole', () => {
  it('says so, and only for a .txt', async () => {
    const file = join(dir, 'big.txt');
    writeFileSync(file, 'x'.repeat(3 * 1024 * 1024));
    writeFileSync(join(dir, 'big.vpt'), 'x'.repeat(3 * 1024 * 1024));
    const err: string[] = [];
    const ctx = { io: { err: (s: string) => err.push(s) } } as unknown as CliContext;
    await warnIfTooBigToReplay(ctx, file, 2 * 1024 * 1024);
    await warnIfTooBigToReplay(ctx, file, 4 * 1024 * 1024);
    await warnIfTooBigToReplay(ctx, join(dir, 'big.vpt'), 2 * 1024 * 1024);
    expect(err).toEqual([
      `vpdma convert: note: ${file} is 3 MiB; vpdma replay reads a .txt whole and refuses one above 2 MiB: replay the .vpt or JSONL form\n`,
    ]);
  });
});
