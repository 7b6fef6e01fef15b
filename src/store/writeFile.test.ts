// Atomic writes honour what the user named: a symlink is written through and kept, a FIFO is
// written into rather than replaced by a regular file.
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import {
  lstat,
  mkdtemp,
  readFile,
  readdir,
  readlink,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './writeFile.js';

let dir = '';
const p = (name: string): string => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vpdma-write-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces a regular file and leaves no temporary file behind', async () => {
    await writeFile(p('plain.json'), 'old');
    await writeFileAtomic(p('plain.json'), 'new');
    expect(await readFile(p('plain.json'), 'utf8')).toBe('new');
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('writes through a symlink: the link stays, its target gets the content', async () => {
    await writeFile(p('real.json'), 'old');
    await symlink('real.json', p('link.json'));
    await writeFileAtomic(p('link.json'), 'new');
    expect((await lstat(p('link.json'))).isSymbolicLink()).toBe(true);
    expect(await readlink(p('link.json'))).toBe('real.json');
    expect(await readFile(p('real.json'), 'utf8')).toBe('new');
  });

  it('a symlink to a file not there yet creates that file', async () => {
    await symlink('later.json', p('dangling.json'));
    await writeFileAtomic(p('dangling.json'), 'made');
    expect((await lstat(p('dangling.json'))).isSymbolicLink()).toBe(true);
    expect(await readFile(p('later.json'), 'utf8')).toBe('made');
  });

  it('writes into a FIFO, which stays a FIFO', async () => {
    execFileSync('mkfifo', [p('pipe.json')]);
    const got = new Promise<string>((resolve, reject) => {
      let text = '';
      createReadStream(p('pipe.json'), 'utf8')
        .on('data', (d) => (text += String(d)))
        .on('end', () => resolve(text))
        .on('error', reject);
    });
    await writeFileAtomic(p('pipe.json'), 'through the pipe');
    expect(await got).toBe('through the pipe');
    expect((await lstat(p('pipe.json'))).isFIFO()).toBe(true);
  });
});
