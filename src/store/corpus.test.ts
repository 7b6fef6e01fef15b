import { spawnSync } from 'node:child_process';
import {
  link,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyHeader, type Trace } from '../trace/trace.js';
import { encodeVpt } from '../trace/vpt.js';
import { contentName, corpusKeeper, readCorpusDir } from './corpus.js';
import { STALE_TEMP_AGE_MS } from './atomicFile.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vpdma-corpus-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const trace = (n: number): Trace => ({
  header: emptyHeader({ case: n }),
  calls: [{ fn: '@read', args: { va: 0x1000n * BigInt(n + 1), length: 4 } }],
});

describe('readCorpusDir', () => {
  it('reads many files at once, yet returns them and warns about bad ones in name order', async () => {
    const keep = corpusKeeper(dir);
    const names = (await Promise.all(Array.from({ length: 40 }, (_, n) => keep(trace(n))))).sort();
    const bad = [names[3], names[17], names[38]] as string[];
    for (const name of bad) await writeFile(join(dir, name), 'not a trace');
    const warnings: string[] = [];
    const read = await readCorpusDir(dir, (m) => warnings.push(m));
    expect(read.map((f) => f.name)).toEqual(names.filter((n) => !bad.includes(n)));
    expect(warnings.map((w) => /corpus file (\S+):/.exec(w)?.[1])).toEqual(
      bad.map((n) => join(dir, n)),
    );
  });

  it("keeps a content-addressed entry's bytes as read (the campaign shares them), no others'", async () => {
    const name = await corpusKeeper(dir)(trace(7));
    const bytes = await readFile(join(dir, name));
    await writeFile(join(dir, 'mine.vpt'), bytes);
    const read = await readCorpusDir(dir, () => undefined);
    expect(read.map((f) => f.name)).toEqual([name, 'mine.vpt']);
    expect(Buffer.from(read[0]?.encoded ?? []).equals(bytes)).toBe(true);
    expect(read[1]?.encoded).toBeUndefined();
  });
});

describe('a corpus directory holding files that are no traces', () => {
  it('calls them "not a trace, ignored", and a damaged trace corrupted, each by name', async () => {
    const keep = corpusKeeper(dir);
    const good = await keep(trace(1));
    const vpt = await readFile(join(dir, good));
    const files: Record<string, string | Buffer> = {
      'notes.txt': 'remember to rotate the corpus\n',
      'bad.jsonl': 'garbage\n',
      'image.vpt': 'GIF89a...',
      // Traces, damaged: their format's opening, then not what follows it.
      'cut.vpt': vpt.subarray(0, vpt.length - 3),
      'cut.jsonl':
        '{"format":"vpdma-trace","version":1,"profile":"docs","device":{},"meta":{}\n{"fn"',
      'cut.txt': '#! vpdma-trace v1 profile=docs\nVideoPortNoSuchCall(\n',
    };
    for (const [n, body] of Object.entries(files)) await writeFile(join(dir, n), body);
    const warnings: string[] = [];
    const read = await readCorpusDir(dir, (m) => warnings.push(m));
    expect(read.map((f) => f.name)).toEqual([good]);
    expect(warnings).toEqual([
      `corpus file ${join(dir, 'bad.jsonl')}: not a trace, ignored (its first line is no trace header)`,
      expect.stringMatching(/^skipping corrupted corpus file .*cut\.jsonl: /),
      expect.stringMatching(/^skipping corrupted corpus file .*cut\.txt: /),
      expect.stringMatching(/^skipping corrupted corpus file .*cut\.vpt: /),
      `corpus file ${join(dir, 'image.vpt')}: not a trace, ignored (no .vpt magic "VPDT")`,
      `corpus file ${join(dir, 'notes.txt')}: not a trace, ignored (no "#! vpdma-trace v1" header line)`,
    ]);
  });
});

describe('a corpus directory read as a content-addressed store', () => {
  it('skips an entry whose bytes do not hash to its name, and reads a linked entry once', async () => {
    const keep = corpusKeeper(dir);
    const [a, b] = [await keep(trace(1)), await keep(trace(2))];
    // A whole trace under a content address that is not its own (a copy renamed, an entry
    // whose bytes were swapped for another's): it decodes, but the store no longer vouches for it.
    const wrong = `${'f'.repeat(32)}.vpt`;
    await writeFile(join(dir, wrong), await readFile(join(dir, a)));
    // The same file twice more: a symbolic link and a hard link to entry a, and a link to b
    // under a content name of its own (links followed: b's bytes, not its name, are checked).
    await symlink(a, join(dir, 'link.vpt'));
    await link(join(dir, a), join(dir, 'hard.vpt'));
    await symlink(b, join(dir, `${'0'.repeat(32)}.vpt`));
    const warnings: string[] = [];
    const read = await readCorpusDir(dir, (m) => warnings.push(m));
    expect(read.map((f) => f.name)).toEqual([a, b].sort());
    expect(warnings).toEqual([
      `skipping corrupted corpus file ${join(dir, `${'0'.repeat(32)}.vpt`)}: its bytes do not hash to its name (a content address), so they changed after it was written`,
      `skipping corrupted corpus file ${join(dir, wrong)}: its bytes do not hash to its name (a content address), so they changed after it was written`,
    ]);
    expect(contentName(encodeVpt(read[0]?.trace ?? trace(0)))).toBe(read[0]?.name);
  });
});

describe('corpusKeeper', () => {
  it('makes the directory, writes each case once under its content address, and reads back', async () => {
    const corpus = join(dir, 'out', 'corpus');
    const keep = corpusKeeper(corpus);
    const names = await Promise.all([keep(trace(1)), keep(trace(2)), keep(trace(1))]);
    expect(names[0]).toBe(contentName(encodeVpt(trace(1))));
    expect(names[2]).toBe(names[0]);
    expect((await readdir(corpus)).sort()).toEqual([names[0], names[1]].sort());
    const back = await readCorpusDir(corpus, (m) => expect.fail(m));
    expect(back.map((f) => f.trace.calls[0]?.args['va'])).toEqual(
      expect.arrayContaining([0x2000n, 0x3000n]),
    );
    expect(back).toHaveLength(2);
  });

  it('leaves a whole entry an earlier run wrote as it is (the same file)', async () => {
    const name = contentName(encodeVpt(trace(3)));
    await writeFile(join(dir, name), encodeVpt(trace(3)));
    const before = await stat(join(dir, name));
    expect(await corpusKeeper(dir)(trace(3))).toBe(name);
    expect((await stat(join(dir, name))).ino).toBe(before.ino);
  });

  it('writes again, atomically, an entry whose bytes are not its name (a torn write)', async () => {
    const bytes = encodeVpt(trace(3));
    const name = contentName(bytes);
    // What a run killed mid-write (without the rename's atomicity: a copy, a disk) leaves.
    await writeFile(join(dir, name), bytes.subarray(0, bytes.length - 3));
    // Another name that hard-links the damaged file: replaced by a new file, not written
    // through, so the link keeps the old bytes (a write in place would change both).
    await link(join(dir, name), join(dir, 'other.vpt'));
    const keep = corpusKeeper(dir);
    const warnings: string[] = [];
    expect(await readCorpusDir(dir, (m) => warnings.push(m))).toHaveLength(0);
    expect(warnings[0]).toMatch(/its bytes do not hash to its name/);
    expect(await keep(trace(3))).toBe(name);
    expect(await readFile(join(dir, name))).toEqual(Buffer.from(bytes));
    expect((await readFile(join(dir, 'other.vpt'))).length).toBe(bytes.length - 3);
    expect((await readdir(dir)).sort()).toEqual([name, 'other.vpt'].sort());
    await rm(join(dir, 'other.vpt'));
    const back = await readCorpusDir(dir, (m) => expect.fail(m));
    expect(back.map((f) => f.name)).toEqual([name]);
  });

  it('fails a case it cannot write, and writes later ones once the directory can be made', async () => {
    const blocked = join(dir, 'c');
    await writeFile(blocked, 'a file where the corpus directory should be');
    const keep = corpusKeeper(blocked);
    await expect(keep(trace(4))).rejects.toThrow(/not a directory/);
    await rm(blocked);
    const name = await keep(trace(4));
    expect(await readdir(blocked)).toEqual([name]);
  });

  it('removes the temporary files of a run killed mid-write, not those of a live one', async () => {
    // A finished child's pid: no longer a running process (the pid is not reused this soon).
    const dead = spawnSync('true').pid;
    const live = process.ppid; // another process, running
    const entry = contentName(encodeVpt(trace(9)));
    const stale = [`.${entry}.${dead}.0.tmp`, `.${entry}.${dead}.17.tmp`, `.r.jsonl.${dead}.0.tmp`];
    const kept = [
      `.${entry}.${live}.3.tmp`, // a concurrent run's write in progress
      `.${entry}.${process.pid}.99999.tmp`, // this process's own
      '.notes.tmp', // not a temporary file of ours: no pid
      `.x.${dead}.tmp`,
      `x.${dead}.0.tmp`, // not hidden
    ];
    // A dead pid's file written just now may be another container's run (pids it cannot see).
    const young = `.${entry}.${dead}.5.tmp`;
    kept.push(young);
    const old = new Date(Date.now() - STALE_TEMP_AGE_MS - 60_000);
    for (const n of [...stale, ...kept]) {
      await writeFile(join(dir, n), 'partial');
      if (n !== young) await utimes(join(dir, n), old, old);
    }
    const name = await corpusKeeper(dir)(trace(5));
    expect((await readdir(dir)).sort()).toEqual([...kept, name].sort());
  });
});
