// A fault while a night minimizes its failing corpus traces (a harness bug: once, a RangeError
// from a 2M-call capture's key) is that trace not minimized, said in one line on stderr: the
// other traces get their repros, and every report is written. shrinkTrace is made to throw for
// the recorded-mismatch trace here (dist/ built: the night replays in its workers).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { runCli } from '../../test/support/runCli.js';
import { REPORT_FILES } from './nightlyOutputs.js';
import type * as ShrinkModule from './shrinkTrace.js';

vi.mock('./shrinkTrace.js', async (importOriginal) => {
  const real = await importOriginal<typeof ShrinkModule>();
  return {
    ...real,
    shrinkTrace: (...a: Parameters<typeof real.shrinkTrace>) =>
      a[1].kind === 'recorded-mismatch'
        ? Promise.reject(new RangeError('Invalid string length'))
        : real.shrinkTrace(...a),
  };
});

const root = resolve(import.meta.dirname, '../..');
const TARGET = `module:${join(root, 'test/fixtures/nt4-compat-target.mjs')}`;
const dir = mkdtempSync(join(tmpdir(), 'vpdma-nightly-minimize-fault-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a night whose minimization of one corpus trace throws still writes every report', async () => {
  const rec = join(dir, 'rec');
  mkdirSync(rec);
  const trace = join(rec, 'recorded.txt');
  writeFileSync(
    trace,
    '#! vpdma-trace v1 profile=docs\n' +
      'VideoPortSetBytesUsed(hwDeviceExtension=0xffffe00000001000, pDma=0x0, bytesUsed=4096)\n' +
      'VideoPortGetBytesUsed(hwDeviceExtension=0xffffe00000001000, pDma=0x0) -> 0x5\n',
  );
  const out = join(dir, 'out');
  const run = await runCli([
    'nightly',
    ...['--target', TARGET, '--replay', 'bundled', '--replay', rec, '--runs', '20'],
    ...['--out', out, '--quiet'],
  ]);
  expect(run.code, run.err).toBe(1);
  for (const f of REPORT_FILES) expect(existsSync(join(out, f)), f).toBe(true);
  expect(run.err).toContain(
    `vpdma: ${trace}: not minimized: internal error (please report it): RangeError: Invalid string length\n`,
  );
  expect(run.err).not.toMatch(/^\s+at /m);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
    corpus: { repros?: { signature: string }[] };
  };
  // The other signature was minimized; the faulted trace keeps its vpdma minimize command.
  expect(report.corpus.repros?.map((r) => r.signature)).toEqual([
    'map-dma-wrote-out-param/VideoPortMapDmaMemory',
  ]);
  const lines = run.out.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`  [new] ${trace}:`));
  expect(at, run.out).toBeGreaterThan(0);
  expect(lines[at + 1]).toMatch(/^ {4}vpdma minimize .*recorded\.txt --kind recorded-mismatch /);
});
