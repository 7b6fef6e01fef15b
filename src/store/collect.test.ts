import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alternatesLines, collectTraces } from './collect.js';

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
    expect('alternates' in got && alternatesLines(got.alternates)).toEqual([
      `skipped 3 files that repeat traces in another format (${join(finding, 'repro.txt')} beside ${join(finding, 'repro.jsonl')}, ...): a directory's trace is replayed from one file per name, .jsonl, else .vpt, else .txt (uncompressed before .gz); name a file to replay it`,
    ]);
    // A file named on its own is replayed, and not said to be skipped.
    const txt = join(finding, 'repro.txt');
    expect(await collectTraces([finding, txt])).toEqual({
      files: [join(finding, 'repro.jsonl'), txt],
      empty: [],
      alternates: [{ skipped: join(finding, 'repro.vpt'), kept: join(finding, 'repro.jsonl') }],
    });
    expect(alternatesLines([])).toEqual([]);
  });

  it("takes a finding's directory as its repro alone, and its original only when named", async () => {
    // OUT/findings after a run: one finding minimized (repro beside original), and one a
    // killed run left with its original alone, which is then the only trace it has.
    const root = mkdtempSync(join(tmpdir(), 'vpdma-collect-'));
    const done = join(root, 'findings', 'k', 'f', 'h1');
    const killed = join(root, 'findings', 'k', 'g', 'h2');
    const mine = join(root, 'mine');
    for (const d of [done, killed, mine]) mkdirSync(d, { recursive: true });
    const files = ['repro.jsonl', 'repro.txt', 'repro.vpt', 'original.txt', 'original.vpt'];
    for (const f of [...files, 'finding.json']) writeFileSync(join(done, f), '');
    for (const f of ['original.txt', 'original.vpt']) writeFileSync(join(killed, f), '');
    // Without finding.json the names mean nothing: two traces of a user's own.
    for (const f of ['repro.jsonl', 'original.jsonl']) writeFileSync(join(mine, f), '');
    const repro = join(done, 'repro.jsonl');
    const got = await collectTraces([join(root, 'findings'), mine]);
    expect(got).toEqual({
      files: [
        repro,
        join(killed, 'original.vpt'),
        join(mine, 'original.jsonl'),
        join(mine, 'repro.jsonl'),
      ],
      empty: [],
      alternates: [
        { skipped: join(done, 'original.txt'), kept: repro, original: true },
        { skipped: join(done, 'original.vpt'), kept: repro, original: true },
        { skipped: join(done, 'repro.txt'), kept: repro },
        { skipped: join(done, 'repro.vpt'), kept: repro },
        { skipped: join(killed, 'original.txt'), kept: join(killed, 'original.vpt') },
      ],
    });
    expect('alternates' in got && alternatesLines(got.alternates)[1]).toBe(
      `skipped a finding's original (${join(done, 'original.txt')} beside ${repro}, ...): a finding's directory is replayed from its repro; name its original.vpt to replay the case as it ran`,
    );
    // The finding's directory alone is one trace (what --explain takes); named, the original runs.
    const vpt = join(done, 'original.vpt');
    const named = await collectTraces([done, vpt]);
    expect('files' in named && named.files).toEqual([repro, vpt]);
    expect('alternates' in named && alternatesLines(named.alternates)[1]).toBe(
      `skipped a finding's original (${join(done, 'original.txt')} beside ${repro}): a finding's directory is replayed from its repro; name its original.vpt to replay the case as it ran`,
    );
  });

  it("takes a killed shard's original that vpdma merge copied as an original too", async () => {
    // A merged findings/: a finding with a killed shard's original of its signature beside it,
    // and a killed shard's original alone (the merge's names: original-shard-K-of-N).
    const root = mkdtempSync(join(tmpdir(), 'vpdma-collect-'));
    const done = join(root, 'k', 'f', 'h1');
    const lost = join(root, 'k', 'g', 'h2');
    for (const d of [done, lost]) mkdirSync(d, { recursive: true });
    const beside = ['repro.jsonl', 'finding.json', 'original-shard-2-of-2.vpt', 'original-x.vpt'];
    for (const f of beside) writeFileSync(join(done, f), '');
    for (const f of ['original-shard-3-of-4.txt', 'original-shard-3-of-4.vpt'])
      writeFileSync(join(lost, f), '');
    const repro = join(done, 'repro.jsonl');
    expect(await collectTraces([root])).toEqual({
      // original-x is no name vpdma writes: a trace of the user's own, replayed.
      files: [join(done, 'original-x.vpt'), repro, join(lost, 'original-shard-3-of-4.vpt')],
      empty: [],
      alternates: [
        { skipped: join(done, 'original-shard-2-of-2.vpt'), kept: repro, original: true },
        {
          skipped: join(lost, 'original-shard-3-of-4.txt'),
          kept: join(lost, 'original-shard-3-of-4.vpt'),
        },
      ],
    });
  });

  it("takes a killed shard's repro a merge copied as the one trace of its directory", async () => {
    // A merged findings/: a finding with a killed shard's original and repro of its signature
    // beside it (one bug: its repro alone is replayed), and a killed shard's original and
    // repro alone (its repro replayed, not the case before minimizing too).
    const root = mkdtempSync(join(tmpdir(), 'vpdma-collect-'));
    const done = join(root, 'k', 'f', 'h1');
    const lost = join(root, 'k', 'g', 'h2');
    for (const d of [done, lost]) mkdirSync(d, { recursive: true });
    const shard = [
      'repro-shard-2-of-2.jsonl',
      'repro-shard-2-of-2.vpt',
      'original-shard-2-of-2.vpt',
    ];
    for (const f of ['repro.jsonl', 'finding.json', ...shard]) writeFileSync(join(done, f), '');
    for (const f of shard) writeFileSync(join(lost, f), '');
    const repro = join(done, 'repro.jsonl');
    const lostRepro = join(lost, 'repro-shard-2-of-2.jsonl');
    const got = await collectTraces([root]);
    expect(got).toEqual({
      files: [repro, lostRepro],
      empty: [],
      alternates: [
        { skipped: join(done, 'original-shard-2-of-2.vpt'), kept: repro, original: true },
        { skipped: join(done, 'repro-shard-2-of-2.jsonl'), kept: repro, original: true },
        { skipped: join(done, 'repro-shard-2-of-2.vpt'), kept: repro, original: true },
        { skipped: join(lost, 'original-shard-2-of-2.vpt'), kept: lostRepro, original: true },
        { skipped: join(lost, 'repro-shard-2-of-2.vpt'), kept: lostRepro },
      ],
    });
    expect('alternates' in got && alternatesLines(got.alternates)[1]).toBe(
      `skipped the originals (and killed shards' repros) of 2 findings (${join(done, 'original-shard-2-of-2.vpt')} beside ${repro}, ...): a finding's directory is replayed from its repro; name its original.vpt to replay the case as it ran`,
    );
  });
});
