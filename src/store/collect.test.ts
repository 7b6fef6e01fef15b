import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alternatesMessage, collectTraces } from './collect.js';

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
      alternates: [],
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
      alternates: [],
    });
    // Named twice, directly and through its directory: once, where first named.
    expect(await collectTraces([join(root, 'a.jsonl'), root, `${root}/./a.jsonl`])).toEqual({
      files: [join(root, 'a.jsonl')],
      empty: [],
      alternates: [],
    });
    expect(await collectTraces([empty])).toEqual({
      error: `${empty}: no trace files (.jsonl, .vpt, .txt, or those .gz) in this directory`,
    });
  });

  it('takes a trace stored in several formats once: .jsonl, else .vpt, else .txt', async () => {
    // A finding's directory holds repro.jsonl, repro.txt and repro.vpt: one trace, not three.
    const root = mkdtempSync(join(tmpdir(), 'vpdma-collect-'));
    const finding = join(root, 'findings', 'k', 'f');
    mkdirSync(finding, { recursive: true });
    for (const f of ['repro.jsonl', 'repro.txt', 'repro.vpt', 'finding.json'])
      writeFileSync(join(finding, f), '');
    const other = join(root, 'other');
    mkdirSync(other);
    for (const f of ['a.txt', 'a.VPT', 'b.txt', 'c.vpt', 'c.jsonl.txt'])
      writeFileSync(join(other, f), '');
    const got = await collectTraces([root]);
    expect(got).toEqual({
      files: [
        join(finding, 'repro.jsonl'),
        join(other, 'a.VPT'),
        join(other, 'b.txt'),
        join(other, 'c.jsonl.txt'),
        join(other, 'c.vpt'),
      ],
      empty: [],
      alternates: [
        { skipped: join(finding, 'repro.txt'), kept: join(finding, 'repro.jsonl') },
        { skipped: join(finding, 'repro.vpt'), kept: join(finding, 'repro.jsonl') },
        { skipped: join(other, 'a.txt'), kept: join(other, 'a.VPT') },
      ],
    });
    expect('alternates' in got && alternatesMessage(got.alternates)).toBe(
      `skipped 3 files that repeat traces in another format (${join(finding, 'repro.txt')} beside ${join(finding, 'repro.jsonl')}, ...): a directory's trace is replayed from one file per name, .jsonl, else .vpt, else .txt (uncompressed before .gz); name a file to replay it`,
    );
    // A file named on its own is replayed, and not said to be skipped.
    const txt = join(finding, 'repro.txt');
    expect(await collectTraces([finding, txt])).toEqual({
      files: [join(finding, 'repro.jsonl'), txt],
      empty: [],
      alternates: [{ skipped: join(finding, 'repro.vpt'), kept: join(finding, 'repro.jsonl') }],
    });
    expect(alternatesMessage([])).toBe('');
  });
});
