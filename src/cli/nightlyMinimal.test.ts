// A corpus trace that is a repro already (its meta says `minimized`: `vpdma minimize` wrote
// it) is not one to minimize again: the nightly summary gives the `vpdma replay --explain`
// command under it, and the night does not minimize it (the shortest trace failing so that is
// no repro is minimized instead); a trace that is no repro, and that the night did not
// minimize, keeps its `vpdma minimize` command. A real night against a mutant target, dist/
// built.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellWord } from '../core/shellWord.js';
import { runCli, type CliRun } from '../../test/support/runCli.js';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'vpdma-nightly-minimal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TRACE = `#! vpdma-trace v1 profile=docs
VideoPortSetBytesUsed(hwDeviceExtension=0xffffe00000001000, pDma=0x0, bytesUsed=4096)
VideoPortGetBytesUsed(hwDeviceExtension=0xffffe00000001000, pDma=0x0)
VideoPortSetBytesUsed(hwDeviceExtension=0xffffe00000001000, pDma=0x0, bytesUsed=8192)
`;
const TARGET = 'mutant:bytes-used-remembered';

describe('a nightly replaying a repro vpdma minimize wrote, and a trace it did not', () => {
  const regress = join(dir, 'regress');
  const out = join(dir, 'out');
  const capture = join(regress, 'capture.txt');
  const repro = join(regress, 'capture.min.txt');
  // Longer than capture.txt, failing the same way: not the one the night minimizes.
  const longer = join(regress, 'capture-long.txt');
  let night: CliRun;
  beforeAll(async () => {
    mkdirSync(regress);
    writeFileSync(capture, TRACE);
    const m = await runCli(['minimize', capture, '--target', TARGET, '--workers', '1', '--quiet']);
    expect(m.code, m.err).toBe(1);
    expect(readFileSync(repro, 'utf8')).toMatch(/^#! meta \{.*"minimized":\{/m);
    writeFileSync(longer, `${TRACE}${TRACE.split('\n').slice(1).join('\n')}`);
    const args = ['--replay', regress, '--runs', '5', '--out', out, '--quiet', '--workers', '1'];
    night = await runCli(['nightly', '--target', TARGET, ...args]);
    expect(night.code, night.err).toBe(1);
  });

  const under = (trace: string): string | undefined => {
    const lines = night.out.split('\n');
    const at = lines.findIndex((l) => l.startsWith(`  [new] ${trace}:`));
    expect(at, night.out).toBeGreaterThan(0);
    return lines[at + 1];
  };

  it('gives the repro its replay --explain command, which tells its calls', () => {
    const command = `vpdma replay ${repro} --target ${TARGET} --timeout 1000 --explain`;
    expect(under(repro)).toBe(`    ${command}`);
    const vpdma = [process.execPath, join(root, 'bin/vpdma.js')].map(shellWord).join(' ');
    const run = spawnSync('sh', ['-c', `${vpdma}${command.slice('vpdma'.length)}`], {
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^call 1 \(line \d+\): VideoPortGetBytesUsed\(/m);
    expect(run.stdout).toContain('VIOLATION inert-return-mismatch');
  });

  it('minimizes the shortest trace that is no repro, not the repro, shorter as it is', () => {
    const repros = join(out, 'corpus-repros/inert-return-mismatch/GetBytesUsed/repro.jsonl');
    expect(under(capture)).toBe(
      `    minimized to 2 calls: vpdma replay ${repros} --target ${TARGET} --timeout 1000 --explain`,
    );
  });

  it('gives a trace that is no repro, and that the night did not minimize, its vpdma minimize command', () => {
    expect(under(longer)).toBe(
      `    vpdma minimize ${longer} --kind inert-return-mismatch --fn VideoPortGetBytesUsed --out capture-long.min.txt --target ${TARGET} --timeout 1000`,
    );
  });

  it('says which in report.json: minimizedRepro on the repro’s entry alone', () => {
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      corpus: { traces: { trace: string; minimizedRepro?: boolean }[] };
    };
    const mine = report.corpus.traces.filter((t) => t.trace.startsWith(regress));
    expect(mine.map((t) => [t.trace, t.minimizedRepro])).toEqual([
      [longer, undefined],
      [repro, true],
      [capture, undefined],
    ]);
  });
});
