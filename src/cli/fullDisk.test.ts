// A disk that fills up during the nightly job. Through the real CLI, the process runs with a
// file size limit (ulimit -f) and SIGXFSZ ignored, so writes past it fail with EFBIG as they
// would with ENOSPC, from the kernel; but that limits each file, not the disk, so the corpus
// filling the disk is a disk of a few KiB faked in process: every atomic write under `disk.under`
// takes its bytes from `disk.free` (ENOSPC past it), and `disk.reported` is what statfs says.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../test/support/runCli.js';
import { REPORT_ROOM_BYTES } from './corpusRoom.js';
import type * as CorpusRoom from './corpusRoom.js';
import type * as WriteFile from '../store/writeFile.js';

const disk = vi.hoisted(() => ({
  under: '',
  free: 0,
  /** statfs tells the free space (else it cannot tell: undefined). */
  tells: false,
  /** Corpus writes refused for lack of space. */
  refusedInCorpus: 0,
}));

vi.mock('../store/writeFile.js', async (importOriginal) => {
  const real = await importOriginal<typeof WriteFile>();
  return {
    ...real,
    writeFileAtomic: (
      path: string,
      content: string | Uint8Array,
      o?: Parameters<typeof real.writeFileAtomic>[2],
    ): Promise<void> => {
      if (disk.under !== '' && path.startsWith(disk.under)) {
        const n = typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
        if (n > disk.free) {
          if (path.includes('/corpus/')) disk.refusedInCorpus++;
          const e = new Error('ENOSPC: no space left on device, write');
          return Promise.reject(Object.assign(e, { code: 'ENOSPC', syscall: 'write' }));
        }
        disk.free -= n;
      }
      return real.writeFileAtomic(path, content, o);
    },
  };
});

vi.mock('./corpusRoom.js', async (importOriginal) => {
  const real = await importOriginal<typeof CorpusRoom>();
  return {
    ...real,
    diskFree: (dir: string): Promise<number | undefined> =>
      Promise.resolve(disk.tells && resolve(dir).startsWith(disk.under) ? disk.free : undefined),
  };
});

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
    // The summary is printed whatever could not be written.
    expect(String(full.stdout)).toMatch(/^fuzz: \d+ cases/m);
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

describe('a disk the corpus fills during vpdma nightly', () => {
  const REPORTS = ['report.json', 'junit.xml', 'results.sarif', 'report.html'];

  async function twoNights(free: number, tells: boolean) {
    const dir = mkdtempSync(join(tmpdir(), 'vpdma-fill-'));
    const out = join(dir, 'out');
    const history = join(dir, 'history.json');
    const args = ['nightly', '--runs', '300', '--out', out, '--history', history, '--quiet'];
    disk.under = '';
    const first = await runCli([...args, '--seed', '1']);
    expect(first.code, first.err).toBe(0);
    const before = new Map(REPORTS.map((f) => [f, readFileSync(join(out, f), 'utf8')]));
    const historyBefore = readFileSync(history, 'utf8');
    Object.assign(disk, { under: dir, free, tells, refusedInCorpus: 0 });
    // Another seed: new cases to keep.
    const r = await runCli([...args, '--seed', '2']);
    Object.assign(disk, { under: '', tells: false });
    return { r, out, before, historyBefore, history };
  }

  it('stops keeping cases at the first ENOSPC, still tries every report, prints the summary, exit 2', async () => {
    // A file system statfs says nothing of (undefined): only the write failing tells.
    const { r, out, before, historyBefore, history } = await twoNights(40_000, false);
    expect(r.code).toBe(2);
    // The summary is on stdout, whatever could not be written.
    expect(r.out).toMatch(/^corpus: \d+ traces/m);
    expect(r.out).toMatch(/^fuzz: \d+ cases/m);
    const err = r.err.trim().split('\n');
    const stopped = err.filter((l) => l.includes('no more cases are kept in the corpus'));
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toMatch(/^vpdma: case \d+ not kept in the corpus: .*corpus: ENOSPC/);
    // No write was tried after the one that failed.
    expect(disk.refusedInCorpus).toBe(1);
    // Every report that could not be written is named in one line, and keeps the night before's.
    const line = err.find((l) => l.startsWith('vpdma: cannot write '));
    expect(line).toMatch(/report\.html to .* \(ENOSPC: no space left on device/);
    for (const f of REPORTS) {
      const now = readFileSync(join(out, f), 'utf8');
      if (now === before.get(f)) expect(line).toContain(f);
      else expect(line).not.toContain(f);
    }
    expect(err.at(-1)).toMatch(/^vpdma: /);
    // No report of this night, no history: the history stays the night before's.
    expect(readFileSync(history, 'utf8')).toBe(historyBefore);
    expect(r.err).toMatch(/history .* not written/);
  });

  it('keeps room for the reports: the corpus stops short, every report and the history are written, exit 2', async () => {
    const { r, out, before } = await twoNights(REPORT_ROOM_BYTES + 30_000, true);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^fuzz: \d+ cases/m);
    expect(disk.refusedInCorpus).toBe(0);
    for (const f of REPORTS) expect(readFileSync(join(out, f), 'utf8')).not.toBe(before.get(f));
    expect(r.err).not.toMatch(/not written/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      fuzzDetail: { warnings: string[] };
    };
    expect(report.fuzzDetail.warnings.join('\n')).toMatch(
      /kept back for the findings and reports: no more cases are kept in the corpus this run/,
    );
    expect(r.err.trim().split('\n').at(-1)).toMatch(/^vpdma: .*corpus.*kept back/);
    expect(existsSync(join(out, 'corpus'))).toBe(true);
  });
});
