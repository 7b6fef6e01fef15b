// --disable, for a target that lacks some functions: the fuzzer never calls them (so they are
// no findings, and cases do not end on them), the report says which, the nightly leaves out
// the bundled traces that call them, and shards of runs with other --disable do not merge.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CREATING_FNS } from '../fuzz/disabledNames.js';
import { runCli as run } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-disable-'));
const target = 'module:test/fixtures/partial-target.mjs';
const lacking = 'MapBankedMemory,VideoPortGetCommonBuffer';
// One worker: what --disable does is the same for any worker count, and each worker loads the
// module target afresh.
const base = ['--target', target, '--runs', '150', '--workers', '1', '--quiet'];

interface Report {
  disabled?: string[];
  findings: { kind: string; fn: string }[];
  cases: number;
}
const report = (out: string): Report =>
  JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;

describe('--disable', () => {
  it('fuzz: the functions a target lacks are findings without it, never called with it', async () => {
    const without = await run(['fuzz', ...base, '--out', join(dir, 'without')]);
    expect(without.code).toBe(1);
    const crashed = report(join(dir, 'without')).findings.map((f) => `${f.kind} ${f.fn}`);
    expect(crashed).toEqual(
      expect.arrayContaining([
        'target-crashed VideoPortGetCommonBuffer',
        'target-crashed VideoPortMapBankedMemory',
      ]),
    );

    const out = join(dir, 'with');
    const r = await run(['fuzz', ...base, '--disable', lacking, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'never called (--disable): VideoPortGetCommonBuffer, VideoPortMapBankedMemory',
    );
    const rep = report(out);
    expect(rep.disabled).toEqual(['VideoPortGetCommonBuffer', 'VideoPortMapBankedMemory']);
    expect(rep.findings).toEqual([]);
    expect(rep.cases).toBe(150);
  });

  it('refuses a name the table does not have, and an event, before any work', async () => {
    const bad = await run(['fuzz', ...base, '--disable', 'MapDmaMemry', '--out', join(dir, 'x')]);
    expect(bad.code).toBe(2);
    expect(bad.err.trim()).toBe(
      'vpdma: --disable: unknown function "MapDmaMemry" (see docs/calls.md)',
    );
    const event = await run(['fuzz', ...base, '--disable', '@write', '--out', join(dir, 'y')]);
    expect(event.code).toBe(2);
    expect(event.err).toMatch(/--disable: @write is an event/);
  });

  it('refuses a value naming no function (it would disable nothing), in fuzz and nightly', async () => {
    for (const [cmd, value] of [
      ['fuzz', ''],
      ['fuzz', ','],
      ['nightly', ' , '],
    ] as const) {
      const out = join(dir, `empty-${cmd}-${value.trim()}`);
      const r = await run([cmd, ...base, '--disable', value, '--out', out]);
      expect(r.code, `${cmd} --disable "${value}"`).toBe(2);
      expect(r.err).toBe(
        `vpdma: --disable: expected function names (comma-separated), got ${JSON.stringify(value)}\n`,
      );
      expect(existsSync(out)).toBe(false);
    }
    // A list with an empty item still names its functions.
    const ok = await run([
      'fuzz',
      ...base,
      '--runs',
      '5',
      '--disable',
      'GetMdl,',
      '--out',
      join(dir, 'trailing'),
    ]);
    expect(ok.code).toBe(0);
  });

  it('warns, and goes on, when MapDmaMemory or every function creating an object is disabled', async () => {
    const mapDma =
      'vpdma: warning: --disable: VideoPortMapDmaMemory is never called, so the fuzzer does not check the MapDmaMemory property (NULL returned, nothing changed)\n';
    const nothingLive =
      'vpdma: warning: --disable: no function that creates an object is left (an adapter, buffer, MDL, mapping or event): generated cases have nothing live to use or check\n';
    const small = ['--runs', '5', '--disable', lacking];
    const plain = await run(['fuzz', ...base, ...small, '--out', join(dir, 'w0')]);
    expect(plain.err).not.toContain('warning: --disable');
    const f = await run([
      'fuzz',
      ...base,
      ...small,
      '--disable',
      'MapDmaMemory',
      '--out',
      join(dir, 'w1'),
    ]);
    expect(f.code).toBe(0);
    expect(f.err).toContain(mapDma);
    expect(f.err).not.toContain(nothingLive);
    expect(report(join(dir, 'w1')).cases).toBe(5);
    const n = await run([
      'nightly',
      ...base,
      ...small,
      '--disable',
      'MapDmaMemory',
      '--out',
      join(dir, 'w2'),
    ]);
    expect(n.code).toBe(0);
    expect(n.err).toContain(mapDma);
    const all = CREATING_FNS.join(',');
    const none = await run(['fuzz', ...base, ...small, '--disable', all, '--out', join(dir, 'w3')]);
    expect(none.code).toBe(0);
    expect(none.err).toContain(nothingLive);
    expect(none.err).not.toContain(mapDma);
  });

  it('nightly: the bundled traces calling them are not replayed; its shards merge only with the same --disable', async () => {
    const args = ['nightly', ...base, '--runs', '20', '--disable', lacking];
    const s1 = join(dir, 'n1');
    const r = await run([...args, '--shard', '1/2', '--out', s1]);
    expect(r.err).toMatch(/not replayed, calling a --disable'd function: \d+ bundled traces?\n/);
    expect(r.code).toBe(0);
    expect(r.out + r.err).toContain(
      'never called (--disable): VideoPortGetCommonBuffer, VideoPortMapBankedMemory',
    );
    // Every report a CI job reads says so too.
    const both = 'VideoPortGetCommonBuffer,VideoPortMapBankedMemory';
    expect(readFileSync(join(s1, 'junit.xml'), 'utf8')).toContain(
      `<property name="disabled" value="${both}"/>`,
    );
    const sarif = JSON.parse(readFileSync(join(s1, 'results.sarif'), 'utf8')) as {
      runs: { properties: { disabled?: string[] } }[];
    };
    expect(sarif.runs[0]?.properties.disabled).toEqual(both.split(','));
    expect(readFileSync(join(s1, 'report.html'), 'utf8')).toContain(
      '<p>Never called (--disable): <code>VideoPortGetCommonBuffer</code>, <code>VideoPortMapBankedMemory</code>.</p>',
    );
    const other = join(dir, 'n2-other');
    await run([
      'nightly',
      ...base,
      '--runs',
      '20',
      '--disable',
      'MapBankedMemory',
      '--shard',
      '2/2',
      '--out',
      other,
    ]);
    const m = await run(['merge', s1, other, '--out', join(dir, 'merged')]);
    expect(m.code).toBe(2);
    expect(m.err).toMatch(
      /has --disable \["VideoPortMapBankedMemory"\], .* has \["VideoPortGetCommonBuffer","VideoPortMapBankedMemory"\]: not shards of one run/,
    );
  });

  it('nightly: earlier findings in functions now disabled are not replayed as regressions', async () => {
    const out = join(dir, 'nights');
    const first = await run(['nightly', ...base, '--runs', '150', '--out', out]);
    expect(first.code).toBe(1); // the two missing functions are findings
    // Short: what is asserted is the replay phase's (the fuzzing does not call them either way).
    const again = await run([
      'nightly',
      ...base,
      '--runs',
      '20',
      '--out',
      out,
      '--disable',
      lacking,
    ]);
    expect(again.err).toMatch(
      /not replayed, calling a --disable'd function: .*2 earlier findings' repros/,
    );
    expect(again.code).toBe(0);
  });
});
