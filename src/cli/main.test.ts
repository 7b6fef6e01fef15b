import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile, access, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.js';
import type { CliIo } from './context.js';
import { runCli, type CliRun } from '../../test/support/runCli.js';
import { parseText } from '../trace/text.js';
import { parseJsonl } from '../trace/jsonl.js';
import { tableRevision } from '../model/calls.js';
import { GET, HEADER, PUT } from '../../test/support/jsonlLines.js';

let dir = '';
const GOOD = `${HEADER}\n${GET}\n${PUT}\n`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vpdma-cli-'));
  await writeFile(join(dir, 'good.jsonl'), GOOD);
  await writeFile(
    join(dir, 'bad.jsonl'),
    `${HEADER}\n{"fn":"@read","args":{"va":"0x10","length":-1}}\n`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (...argv: string[]): Promise<CliRun> => runCli(argv);
const p = (name: string): string => join(dir, name);

describe('vpdma show', () => {
  it('prints the summary and the trace as a valid text trace', async () => {
    const r = await run('show', p('good.jsonl'));
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain('format version 1, profile reactos\n');
    expect(r.out).toContain(
      '# calls: 2; captured: yes (every call with a result records ret/out)\n',
    );
    expect(r.out).toMatch(/#   VideoPortGetDmaAdapter +1\n/);
    expect(r.out).toContain('# objects created: adapter 1\n');
    expect(r.out).toContain(
      'dma scatterGather=true dma32BitAddresses=true dma64BitAddresses=false',
    );
    expect(r.out).toContain(
      'VideoPortPutDmaAdapter(hwDeviceExtension=0xffffe00000001000, vpDmaAdapter=r0)\n',
    );
    const again = parseText(r.out, 'show.txt');
    expect(again).toEqual(parseJsonl(GOOD));
  });

  it('--oracle explains the calls in comments as repro.txt does; the trace stays the same', async () => {
    const r = await run('show', '--oracle', p('good.jsonl'));
    expect([r.code, r.err]).toEqual([0, '']);
    const plain = await run('show', p('good.jsonl'));
    // The same summary; then the listing with the oracle's answers (the reactos profile's), in
    // the trace's own values: the adapter the oracle makes is the one the capture recorded.
    expect(r.out.startsWith(plain.out.slice(0, plain.out.indexOf('#! vpdma-trace')))).toBe(true);
    expect(r.out).toContain('-> 0xffffc00000000010\n# oracle at call 0: as recorded\n');
    expect(r.out).toContain('length=4096 means *Length == 4096');
    expect(parseText(r.out, 'show.txt')).toEqual(parseJsonl(GOOD));
    // Without it, show is unchanged: no comment among the calls.
    expect(plain.out).not.toContain('# oracle');
  });

  it('--numbers ends each call with its number as replay counts it; the trace stays the same', async () => {
    const r = await run('show', '--numbers', p('good.jsonl'));
    expect(r.code).toBe(0);
    const calls = r.out.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(calls.map((l) => / {2}# call \d+$/.exec(l)?.[0])).toEqual(['  # call 0', '  # call 1']);
    expect(parseText(r.out, 'show.txt')).toEqual(parseJsonl(GOOD));
    const both = await run('show', '--numbers', '--oracle', p('good.jsonl'));
    expect(both.out).toContain('vpDmaAdapter=r0)  # call 1\n');
    expect(parseText(both.out, 'show.txt')).toEqual(parseJsonl(GOOD));
  });

  it('--summary prints only the summary', async () => {
    const r = await run('show', '--summary', p('good.jsonl'));
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter((l) => l !== '' && !l.startsWith('#'))).toEqual([]);
  });

  it('--summary streams the same summary, and a .vpt names the call table it was written with', async () => {
    expect((await run('convert', p('good.jsonl'), p('show.vpt'))).code).toBe(0);
    for (const file of ['good.jsonl', 'show.vpt']) {
      const full = await run('show', p(file));
      const summary = await run('show', '--summary', p(file));
      expect(summary.code).toBe(0);
      expect(full.out.startsWith(summary.out)).toBe(true);
    }
    expect((await run('show', '--summary', p('show.vpt'))).out).toContain(
      `# call table: ${tableRevision()} (the same as this vpdma's)\n`,
    );
    // A JSONL trace records no call table: the line says so rather than going missing.
    expect((await run('show', '--summary', p('good.jsonl'))).out).toContain(
      `# call table: not recorded in this trace (this vpdma has ${tableRevision()})\n`,
    );
    const bad = await run('show', '--summary', p('bad.jsonl'));
    expect([bad.code, bad.out]).toEqual([2, '']);
  });

  it('streams a long listing in chunks, and stops reading once the reader has gone', async () => {
    const write = JSON.stringify({
      fn: '@write',
      args: { va: '0x200000', data: 'ab'.repeat(512) },
    });
    await writeFile(p('long.jsonl'), `${HEADER}\n${`${write}\n`.repeat(3000)}`);
    const whole = await run('show', p('long.jsonl'));
    const written: string[] = [];
    let open = true;
    const io: CliIo = {
      out: (t) => void written.push(t),
      err: () => undefined,
      write: (t) => {
        written.push(t);
        return Promise.resolve(true);
      },
    };
    // Everything through io.write: the summary, then the listing in chunks of 1 MiB or more.
    expect(await main(['show', p('long.jsonl')], io)).toBe(0);
    expect(written.length).toBeGreaterThanOrEqual(3);
    expect(written.join('')).toBe(whole.out);
    written.length = 0;
    let writes = 0;
    const closing: CliIo = {
      ...io,
      write: (t) => {
        writes++;
        open = writes < 2;
        if (open) written.push(t);
        return Promise.resolve(open);
      },
    };
    expect(await main(['show', p('long.jsonl')], closing)).toBe(0);
    expect([writes, written.length]).toEqual([2, 1]);
  });

  it('a damaged trace shows its intact part, then names the damage, exit 2', async () => {
    await writeFile(p('cut-show.jsonl'), `${HEADER}\n${GET}\n${PUT.slice(0, 30)}`);
    for (const args of [[], ['--summary']]) {
      const r = await run('show', ...args, p('cut-show.jsonl'));
      expect(r.code).toBe(2);
      expect(r.out).toMatch(/VideoPortGetDmaAdapter/);
      expect(r.out).not.toMatch(/VideoPortPutDmaAdapter/);
      expect(r.err).toMatch(
        /^vpdma: .*cut-show\.jsonl:3: truncated: .*: damaged; the 1 call before it is (shown|counted)\n$/,
      );
    }
  });

  it('a bad trace is one line naming file, line and field, exit 2', async () => {
    const r = await run('show', p('bad.jsonl'));
    expect(r).toEqual({
      code: 2,
      out: '',
      err: `vpdma: ${p('bad.jsonl')}:2: args.length: expected an unsigned 32-bit integer, got -1\n`,
    });
  });
});

describe('vpdma convert', () => {
  it('converts through every format and back to the same JSONL bytes', async () => {
    expect((await run('convert', p('good.jsonl'), p('a.vpt'))).out).toBe(
      `${p('good.jsonl')} -> ${p('a.vpt')}: 2 calls\n`,
    );
    expect((await run('convert', p('a.vpt'), p('a.txt'))).code).toBe(0);
    expect((await run('convert', p('a.txt'), p('b.vpt'))).code).toBe(0);
    expect((await run('convert', p('b.vpt'), p('back.jsonl'))).code).toBe(0);
    expect(await readFile(p('back.jsonl'), 'utf8')).toBe(GOOD);
  });

  it('refuses damaged input without creating the output', async () => {
    const vpt = await readFile(p('a.vpt'));
    await writeFile(p('cut.vpt'), vpt.subarray(0, vpt.length - 3));
    const r = await run('convert', p('cut.vpt'), p('cut.jsonl'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^vpdma: .*cut\.vpt: byte \d+: truncated frame \(\d+ of \d+ payload bytes\): damaged; --salvage writes the calls before it\n$/,
    );
    await expect(access(p('cut.jsonl'))).rejects.toThrow();
  });

  it('refuses a .vpt with a flipped byte in its header frame, --salvage too: nothing is before it', async () => {
    const vpt = await readFile(p('a.vpt'));
    // In the writer's call-table revision: a header that would still decode, to another revision.
    const at = vpt.indexOf(tableRevision());
    expect(at).toBeGreaterThan(6);
    vpt[at] = (vpt[at] as number) ^ 0x01;
    await writeFile(p('hdr.vpt'), vpt);
    for (const salvage of [false, true]) {
      const args = salvage ? ['--salvage'] : [];
      const r = await run('convert', ...args, p('hdr.vpt'), p('hdr.jsonl'));
      expect(r.code).toBe(2);
      // --salvage says why it did not help, rather than repeating the plain refusal.
      const why = salvage ? ': no whole call before it, so --salvage has nothing to salvage' : '';
      expect(r.err).toBe(`vpdma: ${p('hdr.vpt')}: byte 6: frame checksum mismatch${why}\n`);
      await expect(access(p('hdr.jsonl'))).rejects.toThrow();
    }
    // Cut inside the header frame, as a capture killed at once leaves it.
    await writeFile(p('cut-hdr.vpt'), vpt.subarray(0, 12));
    const cut = await run('convert', '--salvage', p('cut-hdr.vpt'), p('cut-hdr.jsonl'));
    expect([cut.code, cut.err]).toEqual([
      2,
      expect.stringMatching(
        /: byte 6: truncated frame.*: no whole call before it, so --salvage has nothing to salvage\n$/,
      ),
    ]);
    const shown = await run('show', p('hdr.vpt'));
    expect([shown.code, shown.out]).toEqual([2, '']);
  });

  it('--salvage writes the calls before the damage, and says what it dropped', async () => {
    // A capture cut off inside its last line: the first call is whole.
    await writeFile(p('cut-capture.jsonl'), `${HEADER}\n${GET}\n${PUT.slice(0, 30)}`);
    const r = await run('convert', '--salvage', p('cut-capture.jsonl'), p('salvaged.jsonl'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /: 1 call \(salvaged: .*cut-capture\.jsonl:3: truncated: the last line stops before its newline .*; the rest dropped\)\n$/,
    );
    expect(await readFile(p('salvaged.jsonl'), 'utf8')).toBe(`${HEADER}\n${GET}\n`);
    // An invalid first call: no valid call before it, so nothing to salvage.
    const bad = await run('convert', '--salvage', p('bad.jsonl'), p('bad.vpt'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/: no whole call before it, so --salvage has nothing to salvage\n$/);
    await expect(access(p('bad.vpt'))).rejects.toThrow();
  });

  it('refuses an output that links to a file of another format: the input, say', async () => {
    await writeFile(p('linked.jsonl'), await readFile(p('good.jsonl')));
    await symlink('linked.jsonl', p('link.vpt'));
    const r = await run('convert', p('linked.jsonl'), p('link.vpt'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/link\.vpt: links to .*linked\.jsonl, which a \.vpt trace would replace/);
    expect(await readFile(p('linked.jsonl'))).toEqual(await readFile(p('good.jsonl')));
    // A link to a file of its own format is written through, as before.
    await symlink('linked.jsonl', p('same.jsonl'));
    expect((await run('convert', p('a.vpt'), p('same.jsonl'))).code).toBe(0);
  });

  it('rejects unknown extensions', async () => {
    const r = await run('convert', p('good.jsonl'), p('out.json'));
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `vpdma: ${p('out.json')}: unknown trace format: the name must end in .jsonl, .vpt or .txt (or those with .gz, compressed)\n`,
    );
  });

  it('names a directory given for a trace as one, for convert and show alike', async () => {
    for (const args of [
      ['convert', dir, p('out.vpt')],
      ['show', dir],
    ]) {
      const r = await run(...args);
      expect(r.code).toBe(2);
      expect(r.err).toBe(
        `vpdma: ${dir}: is a directory: give one trace file (.jsonl, .vpt or .txt, or one of them .gz)\n`,
      );
    }
  });
});

describe('vpdma usage', () => {
  it('--help lists the commands and exit codes, exit 0', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/show \[options\] <trace>/);
    expect(r.out).toMatch(/convert \[options\] <in> <out>/);
    expect(r.out).toContain(
      'Exit codes: 0 ok; 1 violations; 2 bad input or usage (a process: program that does not exist too); 3 a target that cannot start (or that crashed or hung in replay) or a harness crash; 130 interrupted.',
    );
    expect(r.out).toContain('crashes or hangs on a call as a violation: 1.)');
  });

  it('unknown commands and options and a missing argument exit 2 with one line', async () => {
    expect(await run('frob')).toEqual({
      code: 2,
      out: '',
      err: "vpdma: unknown command 'frob'; see vpdma --help\n",
    });
    const opt = await run('show', '--fast', p('good.jsonl'));
    expect([opt.code, opt.err]).toEqual([2, "vpdma: unknown option '--fast'; see vpdma --help\n"]);
    const typo = await run('fuzz', '--run', '5');
    expect([typo.code, typo.err]).toEqual([
      2,
      "vpdma: unknown option '--run' (did you mean --runs?); see vpdma --help\n",
    ]);
    const none = await run();
    expect(none.code).toBe(2);
    expect(none.err).toContain('Usage: vpdma');
    const missing = await run('show');
    expect([missing.code, missing.err]).toEqual([
      2,
      "vpdma: missing required argument 'trace'; see vpdma --help\n",
    ]);
    const extra = await run('show', 'a.jsonl', 'b.jsonl');
    expect([extra.code, extra.err]).toEqual([
      2,
      "vpdma: too many arguments for 'show'. Expected 1 argument but got 2; see vpdma --help\n",
    ]);
  });

  it('a full disk or a refused file that no command caught is one line naming the file, exit 2', async () => {
    let captured = '';
    const io: CliIo = {
      out: () => {
        throw Object.assign(new Error("ENOSPC: no space left on device, write '/out/r.json'"), {
          code: 'ENOSPC',
          syscall: 'write',
          path: '/out/r.json',
        });
      },
      err: (t) => void (captured += t),
    };
    expect(await main(['show', p('good.jsonl')], io)).toBe(2);
    expect(captured).toBe('vpdma: write /out/r.json: no space left on device\n');
  });

  it('one through an open file handle (no path) is one line too', async () => {
    let captured = '';
    const io: CliIo = {
      out: () => {
        throw Object.assign(new Error('EFBIG: file too large, write'), {
          code: 'EFBIG',
          syscall: 'write',
        });
      },
      err: (t) => void (captured += t),
    };
    expect(await main(['show', p('good.jsonl')], io)).toBe(2);
    expect(captured).toBe('vpdma: write: file too large\n');
  });

  it('an unexpected exception prints the stack and exits 3', async () => {
    const io: CliIo = {
      out: () => {
        throw new Error('stdout exploded');
      },
      err: (t) => void (captured += t),
    };
    let captured = '';
    expect(await main(['show', p('good.jsonl')], io)).toBe(3);
    expect(captured).toMatch(
      /^vpdma: internal error \(please report it\)\nError: stdout exploded\n\s+at /,
    );
  });
});
