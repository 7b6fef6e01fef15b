// A scatter/gather bug no canary plants (test/fixtures/sg-straddle.mjs): a transfer of up to a
// page from a page's last byte gets one element, the second dropped, so the device moves only
// the first byte through the buffer. Every answer is right; only the bytes moved are wrong.
// Session 34's blind probe never found it in 60 s on seeds 1 to 3, nor did 9fccdbd (8,722,
// 3,391 and 7,413 cases): every generated transfer moved zeros over zeros. With the fill
// before a zero-buffer @deviceDma (fill.ts) a short campaign finds it. Runs in the pool: dist/
// built.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';

const target = 'module:test/fixtures/sg-straddle.mjs';
const dir = mkdtempSync(join(tmpdir(), 'vpdma-sg-'));

interface Fuzzed {
  findings: { kind: string; fn: string; caseIndex: number; reproCalls: number }[];
}

interface Report {
  violations: { kind: string; fn: string; callIndex: number }[];
}

describe('a scatter/gather list that drops its second element from a page’s last byte', () => {
  it('is flagged by vpdma replay on a from-device and a to-device trace, which the model passes', async () => {
    for (const way of ['from-device', 'to-device']) {
      const trace = `test/fixtures/sg-straddle.${way}.txt`;
      const json = join(dir, `${way}.json`);
      const bug = await runCli(['replay', trace, '--target', target, '--quiet', '--json', json]);
      expect(bug.code).toBe(1);
      const r = JSON.parse(readFileSync(json, 'utf8')) as Report;
      // The @deviceDma itself (the to-device trace maps its view first: one call more).
      expect(r.violations[0]).toMatchObject({
        kind: 'memory-mismatch',
        fn: '@deviceDma',
        callIndex: way === 'from-device' ? 5 : 6,
      });
      expect((await runCli(['replay', trace, '--target', 'model', '--quiet'])).code).toBe(0);
    }
  });

  it('is found by a short campaign on seed 1', { timeout: 240_000 }, async () => {
    const out = join(dir, 'fuzz');
    const args = ['--runs', '1000', '--seed', '1', '--workers', '1', '--out', out, '--quiet'];
    const run = await runCli(['fuzz', '--target', target, ...args]);
    expect(run.code).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Fuzzed;
    const f = report.findings.find((x) => x.kind === 'memory-mismatch' && x.fn === '@deviceDma');
    // Case 849, minimized to 8 calls, when written (9fccdbd found nothing in 8,722 cases).
    expect(f?.caseIndex).toBe(849);
    expect(f?.reproCalls).toBe(8);
  });
});
