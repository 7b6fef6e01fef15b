// `vpdma fuzz` has nightly's guards (campaignGuards.ts): a disk with little room stops the
// corpus (exit 2), a start-up that ate most of --time is said in one line; and for both
// commands a finding whose files cannot be written is still reported, the reports and the
// summary written, one line naming its directory, exit 2. In process: the free-space probe and
// the repro writer are replaced (as fullDisk.test.ts does), no disk is filled.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../test/support/runCli.js';
import type * as CorpusRoom from './corpusRoom.js';
import type * as Corpus from '../store/corpus.js';

const disk = vi.hoisted(() => ({
  /** diskFree's answer under this directory ('' : cannot tell, as for any other). */
  lowUnder: '',
  /** Repro writes under this directory fail with ENOSPC. */
  fullUnder: '',
}));

vi.mock('./corpusRoom.js', async (importOriginal) => {
  const real = await importOriginal<typeof CorpusRoom>();
  return {
    ...real,
    diskFree: (dir: string): Promise<number | undefined> =>
      Promise.resolve(
        disk.lowUnder !== '' && resolve(dir).startsWith(disk.lowUnder) ? 3 << 20 : undefined,
      ),
  };
});

vi.mock('../store/corpus.js', async (importOriginal) => {
  const real = await importOriginal<typeof Corpus>();
  return {
    ...real,
    writeRepro: (...a: Parameters<typeof real.writeRepro>): ReturnType<typeof real.writeRepro> => {
      if (disk.fullUnder === '' || !resolve(a[0]).startsWith(disk.fullUnder))
        return real.writeRepro(...a);
      // As writeRepro says a failed write (store/traceWrite.ts): the file, then the reason.
      const file = join(a[0], 'repro.jsonl');
      return Promise.reject(
        new Error(`${file}: cannot write: ENOSPC: no space left on device, write`),
      );
    },
  };
});

const dir = mkdtempSync(join(tmpdir(), 'vpdma-fuzz-guards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => Object.assign(disk, { lowUnder: '', fullUnder: '' }));

interface Report {
  warnings?: string[];
  fuzzDetail?: { warnings: string[] };
  findings: { signature: string; reproText: string; trace: string }[];
}
const reportOf = (out: string): Report =>
  JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;

describe('vpdma fuzz on a disk with little room', () => {
  it('stops keeping cases, reports as usual, says so last, exit 2', async () => {
    const out = join(dir, 'low');
    disk.lowUnder = out;
    const r = await runCli(['fuzz', '--runs', '50', '--workers', '1', '--out', out, '--quiet']);
    expect(r.code, r.err).toBe(2);
    const err = r.err.trim().split('\n');
    const stopped = err.filter((l) => l.includes('no more cases are kept in the corpus'));
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toMatch(
      /^vpdma: case \d+ not kept in the corpus: .*corpus: 3\.0 MiB free on its disk, 16\.0 MiB kept back for the findings and reports: no more cases/,
    );
    // nightly's last line and summary line, word for word.
    expect(err.at(-1)).toMatch(
      /^vpdma: the corpus stopped growing: .*corpus: 3\.0 MiB free on its disk, .*; free space there$/,
    );
    expect(r.out).toMatch(/^corpus: stopped growing: .* \(exit 2: free space there\)$/m);
    expect(r.out).toMatch(/^no findings$/m);
    expect(reportOf(out).warnings?.join('\n')).toMatch(/no more cases are kept in the corpus/);
  });
});

describe('vpdma fuzz --time shorter than its start-up', () => {
  it('warns in one line, as nightly does, and records it in the report', async () => {
    const out = join(dir, 'short');
    // The workers cannot start and send their first cases back within half of 2 ms.
    const r = await runCli(['fuzz', '--time', '2ms', '--workers', '1', '--out', out, '--quiet']);
    expect(r.code, r.err).toBe(0);
    const warned = r.err.split('\n').filter((l) => l.includes('give --time well over'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(
      /^vpdma: --time 2ms fuzzed \d+ cases?: (the first cases came back \d+\.\d s into it|no case came back within it) \(worker start-up: threads loading \d+ corpus entries, the target starting\), after \d+\.\d s reading the corpus before it; /,
    );
    expect(reportOf(out).warnings).toContain(warned[0]?.replace(/^vpdma: /, ''));
    // With --runs there is no clock to eat.
    const runs = await runCli(['fuzz', '--runs', '5', '--workers', '1', '--out', out, '--quiet']);
    expect(runs.code, runs.err).toBe(0);
    expect(runs.err).not.toContain('give --time');
  });
});

describe('vpdma fuzz, a report it cannot write', () => {
  it('prints the summary first, then names it in the last line, exit 2', async () => {
    const out = join(dir, 'json-full');
    const args = ['fuzz', '--runs', '5', '--workers', '1', '--out', out, '--quiet'];
    const r = await runCli([...args, '--json', '/dev/full']);
    expect(r.code, r.err).toBe(2);
    expect(r.out).toMatch(/^no findings$/m);
    expect(r.err.trim().split('\n').at(-1)).toMatch(
      /^vpdma: cannot write the report: .*\/dev\/full.*ENOSPC/,
    );
    expect(existsSync(join(out, 'report.json'))).toBe(true);
  });
});

describe('a finding whose repro cannot be written', () => {
  const args = ['--runs', '60', '--target', 'mutant:unmapdma-tears-down-view', '--workers', '1'];
  const SIG = 'view-torn-down/UnmapDmaMemory/b8a02000';
  const lostLine = (out: string): string => {
    const at = join(out, 'findings', ...SIG.split('/'));
    return `vpdma: cannot write ${at} (${at}/repro.jsonl: cannot write: ENOSPC: no space left on device, write): the report gives each repro as text (reproText)`;
  };

  it('vpdma fuzz: reports it with its repro as text, prints the summary, names it, exit 2', async () => {
    const out = join(dir, 'fuzz-full');
    disk.fullUnder = join(out, 'findings');
    const r = await runCli(['fuzz', ...args, '--out', out, '--quiet']);
    expect(r.code, r.err).toBe(2);
    expect(r.err.trim().split('\n').at(-1)).toBe(lostLine(out));
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.out).toMatch(/^1 finding\(s\):$/m);
    const [f] = reportOf(out).findings;
    expect(f?.signature).toBe(SIG);
    expect(f?.reproText).toMatch(/UnmapDmaMemory/);
    expect(existsSync(f?.trace ?? '')).toBe(false);
  });

  it('vpdma nightly: every report, the history and the summary are written, it is named, exit 2', async () => {
    const out = join(dir, 'nightly-full');
    const history = join(dir, 'history.json');
    disk.fullUnder = join(out, 'findings');
    const r = await runCli(['nightly', ...args, '--out', out, '--history', history, '--quiet']);
    expect(r.code, r.err).toBe(2);
    expect(r.err.trim().split('\n').at(-1)).toBe(lostLine(out));
    expect(r.out).toMatch(/^findings: 1 \(1 new, /m);
    for (const f of ['report.json', 'junit.xml', 'results.sarif', 'report.html'])
      expect(existsSync(join(out, f)), f).toBe(true);
    expect(reportOf(out).findings.map((f) => f.signature)).toEqual([SIG]);
    expect(readFileSync(history, 'utf8')).toContain(SIG);
  });
});
