// `vpdma merge` when a shard's file cannot be copied into --out (a full disk, no permission):
// the merge names it in one line, still writes its reports for what was copied, and exits 2
// (what the machine refused), where it used to stop before any report.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { NightlyReportWithDetail } from '../report/nightlyBuild.js';
import { runCli as run } from '../../test/support/runCli.js';
import type * as WriteFile from '../store/writeFile.js';

/** Writes into `refuse` fail with ENOSPC. */
const disk = vi.hoisted(() => ({ refuse: '', refused: 0 }));

vi.mock('../store/writeFile.js', async (importOriginal) => {
  const real = await importOriginal<typeof WriteFile>();
  return {
    ...real,
    writeFileAtomic: (
      path: string,
      content: string | Uint8Array,
      o?: Parameters<typeof real.writeFileAtomic>[2],
    ): Promise<void> => {
      if (disk.refuse !== '' && path.startsWith(disk.refuse)) {
        disk.refused++;
        const e = new Error(`ENOSPC: no space left on device, open '${path}'`);
        return Promise.reject(Object.assign(e, { code: 'ENOSPC', syscall: 'open', path }));
      }
      return real.writeFileAtomic(path, content, o);
    },
  };
});

const dir = mkdtempSync(join(tmpdir(), 'vpdma-merge-copy-'));

describe('vpdma merge, a file that cannot be copied', () => {
  it('names it, writes the reports for the rest, exit 2', async () => {
    const args = ['--runs', '120', '--target', 'model', '--workers', '1', '--quiet'];
    const s1 = join(dir, 's1');
    const s2 = join(dir, 's2');
    expect((await run(['nightly', '--out', s1, '--shard', '1/2', ...args])).code).toBe(0);
    expect((await run(['nightly', '--out', s2, '--shard', '2/2', ...args])).code).toBe(0);
    const merged = join(dir, 'merged');
    disk.refuse = join(merged, 'corpus');
    const r = await run(['merge', s1, s2, '--out', merged]);
    disk.refuse = '';
    expect(disk.refused).toBeGreaterThan(0);
    expect(r.code, r.err).toBe(2);
    const last = r.err.trimEnd().split('\n').at(-1) ?? '';
    expect(last).toMatch(
      /^vpdma merge: not copied: corpus entry \S+: cannot write .*no space left on device.*; the reports cover what was copied$/,
    );
    expect(last).toContain(` (and ${disk.refused - 1} more)`);
    expect(r.err).not.toMatch(/\n\s+at /);
    for (const f of ['report.json', 'junit.xml', 'report.html', 'results.sarif'])
      expect(existsSync(join(merged, f)), f).toBe(true);
    const report = JSON.parse(
      readFileSync(join(merged, 'report.json'), 'utf8'),
    ) as NightlyReportWithDetail;
    expect(report.command).toBe('merge');
    expect(report.shards).toEqual(['1/2', '2/2']);
    expect(existsSync(join(merged, 'corpus')) ? readdirSync(join(merged, 'corpus')) : []).toEqual(
      [],
    );
  });
});
