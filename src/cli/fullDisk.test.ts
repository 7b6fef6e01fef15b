// A disk that fills up while the nightly job writes its reports: the process runs with a file
// size limit (ulimit -f) and SIGXFSZ ignored, so writes past it fail with EFBIG as they would
// with ENOSPC, from the kernel, through the real CLI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/vpdma.js');

function nightly(out: string, history: string, limitKiB?: number): ReturnType<typeof spawnSync> {
  const args = ['nightly', '--runs', '40', '--out', out, '--history', history, '--quiet'];
  const cmd = [process.execPath, bin, ...args].map((a) => `'${a}'`).join(' ');
  const limit = limitKiB === undefined ? '' : `trap '' XFSZ; ulimit -f ${limitKiB}; `;
  return spawnSync('sh', ['-c', `${limit}exec ${cmd}`], { encoding: 'utf8', cwd: root });
}

describe('a full disk during vpdma nightly', () => {
  it('is one line and exit 2, and the reports and history of the night before survive', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vpdma-full-'));
    const out = join(dir, 'out');
    const history = join(dir, 'history.json');
    const first = nightly(out, history);
    expect(first.status, String(first.stderr)).toBe(0);
    const before = new Map(
      ['report.json', 'junit.xml', 'results.sarif', 'report.html'].map((f) => [
        f,
        readFileSync(join(out, f), 'utf8'),
      ]),
    );
    const historyBefore = readFileSync(history, 'utf8');
    // Room for the corpus entries but not for report.html (tens of KiB).
    const html = statSync(join(out, 'report.html')).size;
    expect(html).toBeGreaterThan(16 << 10);
    const full = nightly(out, history, 16);
    expect(full.status).toBe(2);
    const lines = String(full.stderr).trim().split('\n');
    expect(lines.at(-1)).toMatch(/^vpdma: cannot write .*(EFBIG|too large)/i);
    expect(String(full.stderr)).not.toMatch(/\n\s+at /); // no stack trace
    // Every report file is either the old one or a complete new one; no temporary file stays.
    for (const [f, old] of before) {
      const now = readFileSync(join(out, f), 'utf8');
      if (now !== old && f.endsWith('.json'))
        expect(() => JSON.parse(now) as unknown).not.toThrow();
      if (f === 'report.html') expect(now).toBe(old);
    }
    expect(readdirSync(out).filter((f) => /tmp/i.test(f))).toEqual([]);
    expect(readFileSync(history, 'utf8')).toBe(historyBefore);
  });
});
