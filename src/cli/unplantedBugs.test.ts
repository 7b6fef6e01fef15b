// Bugs no canary plants (BENCHMARKS.md, "Bugs nobody planted"), written as module targets in
// test/fixtures from the docs and the spec, each with hand-written traces that `vpdma replay`
// flags against it and the model passes (sg-straddle's are in src/fuzz/sgStraddle.test.ts,
// with the campaign that finds it).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-unplanted-'));

const CASES = [
  ['sg-page-start', 'sg-page-start.from-device.txt', 'memory-mismatch', '@deviceDma', 5],
  ['sg-page-start', 'sg-page-start.to-device.txt', 'memory-mismatch', '@deviceDma', 6],
  ['lock-at-max-length', 'lock-at-max-length.txt', 'return-mismatch', 'VideoPortLockBuffer', 0],
  ['free-common-leak', 'free-common-leak.txt', 'return-mismatch', 'VideoPortAllocatePool', 2],
] as const;

interface Report {
  violations: { kind: string; fn: string; callIndex: number }[];
}

describe('a bug nobody planted', () => {
  it.each(CASES)(
    '%s: vpdma replay flags %s, which the model passes',
    async (bug, file, kind, fn, at) => {
      const trace = `test/fixtures/${file}`;
      const json = join(dir, `${file}.json`);
      const target = `module:test/fixtures/${bug}.mjs`;
      const r = await runCli(['replay', trace, '--target', target, '--quiet', '--json', json]);
      expect(r.code).toBe(1);
      const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
      expect(report.violations[0]).toMatchObject({ kind, fn, callIndex: at });
      expect((await runCli(['replay', trace, '--target', 'model', '--quiet'])).code).toBe(0);
    },
  );
});
