// A shard killed once it had written a finding whole (its minimized repro, finding.json) but
// before its reports: the merge carries that repro beside the original, named for the shard,
// and every report says so; before, the original alone was carried and the repro lost.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-merge-killed-finding-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Finding {
  signature: string;
  caseIndex: number;
  minimized: boolean;
  reproCalls: number;
  originalCalls: number;
}

describe('vpdma merge given a shard killed after writing its findings', () => {
  const args = ['--runs', '60', '--target', 'mutant:unmapdma-tears-down-view', '--workers', '1'];
  const s1 = join(dir, 's1');
  const s2 = join(dir, 's2');
  const killed = join(dir, 'killed');
  const out = join(dir, 'merged');
  let found: Finding | undefined;
  let merged: CliRun | undefined;
  beforeAll(async () => {
    for (const [o, shard] of [
      [s1, '1/2'],
      [s2, '2/2'],
    ] as const)
      expect(
        (await runCli(['nightly', '--out', o, '--shard', shard, ...args, '--seed', '1', '--quiet']))
          .code,
      ).toBe(1);
    // Its findings written, its reports not: what SIGKILL between the two leaves.
    cpSync(s2, killed, { recursive: true });
    for (const f of ['report.json', 'junit.xml', 'results.sarif', 'report.html'])
      rmSync(join(killed, f));
    found = (
      JSON.parse(readFileSync(join(s2, 'report.json'), 'utf8')) as {
        fuzzDetail: { findings: Finding[] };
      }
    ).fuzzDetail.findings[0];
    merged = await runCli(['merge', s1, killed, '--out', out]);
  }, 120_000);

  it('the killed shard had minimized its finding (a repro shorter than its original)', () => {
    expect(found?.minimized).toBe(true);
    expect(found?.reproCalls).toBeLessThan(found?.originalCalls ?? 0);
  });

  it('carries its minimized repro beside its original, byte for byte, and the reports list it', () => {
    expect(merged?.code, merged?.err).toBe(2);
    const sig = found?.signature ?? '';
    const from = join(killed, 'findings', sig);
    const rel = `findings/${sig}`;
    for (const ext of ['jsonl', 'txt', 'vpt'])
      expect(readFileSync(join(out, rel, `repro-shard-2-of-2.${ext}`))).toEqual(
        readFileSync(join(from, `repro.${ext}`)),
      );
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      killedShardOriginals?: unknown;
    };
    expect(report.killedShardOriginals).toEqual([
      {
        signature: sig,
        shard: '2/2',
        files: [`${rel}/original-shard-2-of-2.vpt`, `${rel}/original-shard-2-of-2.txt`],
        repro: `${rel}/repro-shard-2-of-2.jsonl`,
      },
    ]);
    expect(merged?.out.split('\n')[0]).toMatch(
      `; 1 original from killed shard 2/2 copied: ${join(out, rel, 'original-shard-2-of-2.vpt')}, its minimized repro too: ${join(out, rel, 'repro-shard-2-of-2.jsonl')}`,
    );
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain(
      `; minimized repro: ${rel}/repro-shard-2-of-2.jsonl`,
    );
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(
      `minimized repro: <a href="${rel}/repro-shard-2-of-2.jsonl">`,
    );
  });

  it('the carried repro replays as the shard minimized it', async () => {
    const sig = found?.signature ?? '';
    const r = await runCli([
      'replay',
      join(out, 'findings', sig, 'repro-shard-2-of-2.jsonl'),
      '--target',
      'mutant:unmapdma-tears-down-view',
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(sig.split('/')[0] ?? '');
  });
});
