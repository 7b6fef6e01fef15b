// `vpdma minimize`'s first replay stops at the violation it minimizes (the first, or the
// first of --kind/--fn) instead of replaying the rest of the trace; the rest is still read,
// so bad input anywhere is refused as before, and the repro's meta counts every call.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTrace } from '../store/traceFiles.js';
import { runCli } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-minimize-early-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SET = (n: number): string =>
  `VideoPortSetBytesUsed(hwDeviceExtension=0xffffe00000001000, pDma=0x0, bytesUsed=${n})\n`;
const GET = 'VideoPortGetBytesUsed(hwDeviceExtension=0xffffe00000001000, pDma=0x0) -> 0x5\n';
/** A recorded-mismatch at call 3, then `after` calls and whatever `tail` adds. */
function capture(name: string, after: number, tail = ''): string {
  const p = join(dir, name);
  writeFileSync(
    p,
    '#! vpdma-trace v1 profile=docs\n' +
      [0, 1, 2].map(SET).join('') +
      GET +
      Array.from({ length: after }, (_, i) => SET(i)).join('') +
      tail,
  );
  return p;
}

describe('vpdma minimize on a trace failing early', () => {
  it('writes the repro the whole trace gives, its meta counting every call', async () => {
    const trace = capture('long.txt', 2000);
    const out = join(dir, 'long.min.txt');
    const r = await runCli(['minimize', trace, '--out', out, '--workers', '1']);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toContain('recorded-mismatch in VideoPortGetBytesUsed at call 3');
    const repro = await readTrace(out);
    expect(repro.ok && repro.value.calls.map((c) => c.fn)).toEqual(['VideoPortGetBytesUsed']);
    expect(repro.ok && repro.value.header.meta['minimized']).toMatchObject({ calls: 2004 });
  });

  it('refuses bad input after the violation, naming its line (exit 2)', async () => {
    const trace = capture('bad.txt', 50, 'VideoPortNoSuchCall()\n');
    const r = await runCli(['minimize', trace, '--out', join(dir, 'bad.min.txt')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^vpdma: .*bad\.txt:56: .*VideoPortNoSuchCall/m);
    expect(r.out).toBe('');
  });
});

describe('vpdma minimize against a slow target', () => {
  it('does not replay the calls after the violation first', async () => {
    // 60 ms a call (test/fixtures/slow-target.mjs): replaying the 300 calls after the violation
    // would take 18 s; stopping there, the whole minimization takes a few candidates of 4 calls.
    const target = `module:${join(import.meta.dirname, '../../test/fixtures/slow-target.mjs')}`;
    const trace = capture('slow.txt', 300);
    const started = performance.now();
    const r = await runCli([
      'minimize',
      trace,
      '--target',
      target,
      '--out',
      join(dir, 's.min.txt'),
    ]);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toContain('minimized 304 -> 1 call');
    expect(performance.now() - started).toBeLessThan(12_000);
  }, 60_000);
});
