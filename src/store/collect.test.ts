import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectTraces } from './collect.js';

describe('collectTraces', () => {
  it('follows links to traces and directories, keeps a dangling one, and visits a loop once', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vpdma-collect-'));
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(join(elsewhere, 'more'), { recursive: true });
    writeFileSync(join(elsewhere, 'b.jsonl'), '');
    writeFileSync(join(elsewhere, 'more', 'c.txt'), '');
    const dir = join(root, 'traces');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.jsonl'), '');
    writeFileSync(join(dir, 'notes.md'), '');
    symlinkSync(join(elsewhere, 'b.jsonl'), join(dir, 'b-link.jsonl'));
    symlinkSync(join(elsewhere, 'more'), join(dir, 'more-link'));
    symlinkSync(join(root, 'gone.vpt'), join(dir, 'dangling.vpt'));
    symlinkSync(dir, join(dir, 'loop'));
    const got = await collectTraces([dir]);
    expect(got).toEqual({
      files: [
        join(dir, 'a.jsonl'),
        join(dir, 'b-link.jsonl'),
        join(dir, 'dangling.vpt'),
        join(dir, 'more-link', 'c.txt'),
      ],
      empty: [],
    });
  });

  it('names empty directories beside traces, and refuses when nothing else is there', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vpdma-collect-'));
    const empty = join(root, 'empty');
    mkdirSync(empty);
    writeFileSync(join(root, 'a.jsonl'), '');
    expect(await collectTraces([join(root, 'a.jsonl'), empty])).toEqual({
      files: [join(root, 'a.jsonl')],
      empty: [empty],
    });
    // Named twice, directly and through its directory: once, where first named.
    expect(await collectTraces([join(root, 'a.jsonl'), root, `${root}/./a.jsonl`])).toEqual({
      files: [join(root, 'a.jsonl')],
      empty: [],
    });
    expect(await collectTraces([empty])).toEqual({
      error: `${empty}: no trace files (.jsonl, .vpt, .txt) in this directory`,
    });
  });
});
