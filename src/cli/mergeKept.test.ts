// `vpdma merge` follows nightly's rule for findings/: a shard's unminimized finding never
// replaces the minimized repro of its signature that the merged --out holds already (an earlier
// merge's); the merged report gives that repro, `kept`, and the merge says so.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-merge-kept-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Finding {
  signature: string;
  minimized: boolean;
  reproCalls: number;
  kept?: boolean;
  cases: number[];
  trace: string;
}
const detailOf = (out: string): Finding[] =>
  (
    JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      fuzzDetail: { findings: Finding[] };
    }
  ).fuzzDetail.findings;

/** Every file of every finding directory under `out`, by path, with its bytes. */
function findingFiles(out: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const f of readdirSync(join(out, 'findings'), { recursive: true, withFileTypes: true }))
    if (f.isFile()) files.set(join(f.parentPath, f.name), readFileSync(join(f.parentPath, f.name)));
  return files;
}

describe('vpdma merge into an --out holding a minimized repro, of a shard that could not minimize', () => {
  const args = ['--runs', '60', '--target', 'mutant:unmapdma-tears-down-view', '--workers', '1'];
  const minimized = join(dir, 'night1');
  const unminimized = join(dir, 'night2');
  const out = join(dir, 'merged');
  let before = new Map<string, Buffer>();
  let second: CliRun | undefined;
  beforeAll(async () => {
    const night = (o: string, more: string[]) =>
      runCli(['nightly', '--out', o, ...args, '--quiet', ...more]);
    expect((await night(minimized, ['--seed', '1'])).code).toBe(1);
    // --minimize-time spent at once: the finding is reported as the case ran.
    expect((await night(unminimized, ['--seed', '2', '--minimize-time', '1ms'])).code).toBe(1);
    const first = await runCli(['merge', minimized, '--out', out]);
    expect(first.code, first.err).toBe(1);
    before = findingFiles(out);
    second = await runCli(['merge', unminimized, '--out', out]);
  }, 120_000);

  it('the shards found one bug, minimized in one and not in the other', () => {
    const [a] = detailOf(minimized);
    const [b] = detailOf(unminimized);
    expect(a?.minimized).toBe(true);
    expect(b?.minimized).toBe(false);
    expect(b?.signature).toBe(a?.signature);
    expect(b?.reproCalls).toBeGreaterThan(a?.reproCalls ?? Infinity);
  });

  it('keeps the minimized repro byte for byte and reports it, kept, with the shard\u2019s cases', () => {
    expect(second?.code, second?.err).toBe(1);
    expect(before.size).toBeGreaterThan(0);
    expect(findingFiles(out)).toEqual(before);
    const [kept] = detailOf(out);
    const [was] = detailOf(minimized);
    expect(kept).toMatchObject({
      signature: was?.signature,
      minimized: true,
      kept: true,
      reproCalls: was?.reproCalls,
      cases: detailOf(unminimized)[0]?.cases,
    });
  });

  it('says what it kept, on stderr and in the summary', () => {
    const sig = detailOf(out)[0]?.signature ?? '';
    expect(second?.err).toContain(
      `vpdma merge: finding ${sig}: kept the minimized repro in ${join(out, 'findings', sig)}; the shard's is not minimized (not copied)`,
    );
    expect(second?.out).toMatch(/: \d+ calls?, kept: an earlier night minimized it: vpdma replay /);
  });
});
