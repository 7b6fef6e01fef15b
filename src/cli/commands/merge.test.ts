// `vpdma merge` copies each finding's repro files atomically (a temporary file beside the
// destination, renamed over it): a copy lands whole, and one that fails midway (here a full
// disk: a file size limit in a child process, as fullDisk.test.ts does) leaves the copy an
// earlier merge wrote as it was, and no temporary file. finding.json keeps its commandHere.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/runCli.js';

const root = resolve(import.meta.dirname, '../../..');
const bin = join(root, 'bin/vpdma.js');
const dir = mkdtempSync(join(tmpdir(), 'vpdma-merge-copy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A finding's files, original.* (the failing case as found) beside repro.* (its minimized form).
const FILES = [
  'finding.json',
  'original.txt',
  'original.vpt',
  'repro.jsonl',
  'repro.txt',
  'repro.vpt',
];

/** Each finding's directory under `out`, from its report. */
function findingDirs(out: string): string[] {
  const r = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
    findings: { signature: string }[];
  };
  return r.findings.map((f) => join(out, 'findings', ...f.signature.split('/')));
}

/** `vpdma merge` as a child process whose files may not grow past `limitBlocks` (512 bytes). */
function mergeLimited(args: readonly string[], limitBlocks: number): ReturnType<typeof spawnSync> {
  const cmd = [process.execPath, bin, 'merge', ...args].map((a) => `'${a}'`).join(' ');
  const limit = `trap '' XFSZ; ulimit -f ${limitBlocks}; `;
  return spawnSync('sh', ['-c', `${limit}exec ${cmd}`], { encoding: 'utf8', cwd: root });
}

describe('vpdma merge, a finding\u2019s files', () => {
  const shard = join(dir, 'shard');
  const out = join(dir, 'merged');

  it('copies each repro whole and leaves no temporary file', async () => {
    const args = ['--runs', '60', '--target', 'mutant:unmapdma-tears-down-view', '--workers', '1'];
    expect((await runCli(['nightly', '--out', shard, ...args, '--quiet'])).code).toBe(1);
    const r = await runCli(['merge', shard, '--out', out]);
    expect(r.code, r.err).toBe(1);
    const merged = findingDirs(out);
    expect(merged.length).toBeGreaterThan(0);
    for (const [i, d] of findingDirs(shard).entries()) {
      const to = merged[i] ?? '';
      expect(readdirSync(to).sort()).toEqual(FILES);
      for (const f of FILES.slice(1))
        expect(readFileSync(join(to, f)), f).toEqual(readFileSync(join(d, f)));
      // finding.json is written anew: its commandHere (repro.jsonl, run in the finding's
      // directory) moves unchanged; its cwd is the merge's, where its command's paths start.
      const json = (at: string): Record<string, unknown> =>
        JSON.parse(readFileSync(join(at, 'finding.json'), 'utf8')) as Record<string, unknown>;
      expect(json(to)).toMatchObject({ cwd: process.cwd(), commandHere: json(d)['commandHere'] });
      expect(json(to)['commandHere']).toMatch(/^vpdma replay repro\.jsonl --target /);
    }
  });

  it('a copy that fails midway is one line, exit 2, and leaves the earlier copy whole', () => {
    const [from] = findingDirs(shard);
    const [to] = findingDirs(out);
    if (from === undefined || to === undefined) throw new Error('the first test found nothing');
    // A repro bigger than the file size limit (merge does not parse it); nothing merge writes
    // before it (the corpus entries are there already) comes near the limit.
    const big = `# ${'x'.repeat(98)}\n`.repeat(1000); // 100 KB
    writeFileSync(join(from, 'repro.txt'), big);
    const before = FILES.map((f) => readFileSync(join(to, f)));
    const r = mergeLimited([shard, '--out', out], 64); // 32 KiB
    expect(r.status, String(r.stderr)).toBe(2);
    const path = join(to, 'repro.txt').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(String(r.stderr)).toMatch(
      new RegExp(
        `\\nvpdma merge: not copied: finding \\S+: cannot write ${path} \\(.*\\); listed at \\S+; the reports cover what was copied\\n$`,
      ),
    );
    expect(String(r.stderr)).not.toMatch(/\n\s+at /); // no stack trace
    expect(FILES.map((f) => readFileSync(join(to, f)))).toEqual(before);
    expect(readdirSync(to).sort()).toEqual(FILES);
  });
});
