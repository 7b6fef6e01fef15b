// --rss-limit-mb against a real child that grows: VPDMA_C_FAULT=grow-after:N allocates and
// touches 48 MiB at call request N+1 and answers 500 ms later, so the sampler sees the call in
// flight. A limit of 32 MiB kills it there (target-crashed, naming the limit and the RSS seen);
// without one the same trace passes; replay exits 3 and records the limit; fuzz finds it as a
// finding and runs on. The sampling and the decision: src/replay/rssLimit.test.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveDevice } from '../../src/model/device.js';
import { createProcessTarget } from '../../src/replay/processTarget.js';
import { replayTrace } from '../../src/replay/replayTrace.js';
import type { ReplayResult } from '../../src/replay/replay.js';
import type { FuzzReport } from '../../src/fuzz/fuzzReport.js';
import { formatJsonl } from '../../src/trace/jsonl.js';
import type { TraceHeader } from '../../src/trace/trace.js';
import { runCli } from '../../test/support/runCli.js';
import { BINARY, mapDmaSession } from './testKit.js';

const GROW = `VPDMA_C_FAULT=grow-after:2 '${BINARY}'`;
const header: TraceHeader = {
  format: 'vpdma-trace',
  version: 1,
  profile: 'docs',
  device: {},
  meta: {},
};
const dir = mkdtempSync(join(tmpdir(), 'vpdma-rss-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function replayGrowing(rssLimitMb?: number): Promise<ReplayResult> {
  const o = { command: GROW, device: resolveDevice({}), profile: 'docs', timeoutMs: 5000 };
  const t = await createProcessTarget(rssLimitMb === undefined ? o : { ...o, rssLimitMb });
  try {
    return await replayTrace(header, mapDmaSession(), t);
  } finally {
    t.child.kill();
  }
}

describe('--rss-limit-mb with a child that grows', () => {
  it('kills it at the call in flight (target-crashed); without the limit the trace passes', async () => {
    const [limited, unlimited] = await Promise.all([replayGrowing(32), replayGrowing()]);
    expect(limited.outcome).toBe('crash');
    expect(limited.violations).toHaveLength(1);
    const v = limited.violations[0];
    expect(v?.kind).toBe('target-crashed');
    expect(v?.callIndex).toBe(2);
    expect(v?.message).toMatch(
      /exceeded --rss-limit-mb 32 \(rss (3[3-9]|[4-9]\d) MiB\) during @write/,
    );
    expect(unlimited.outcome).toBe('pass');
    expect(unlimited.violations).toEqual([]);
  });

  it('replay exits 3 and records the limit; fuzz finds it, runs every case, says how to rerun', async () => {
    const target = `process:${GROW}`;
    const trace = join(dir, 'session.jsonl');
    writeFileSync(trace, formatJsonl({ header, calls: mapDmaSession() }));
    const json = join(dir, 'replay.json');
    const replay = await runCli([
      'replay',
      trace,
      '--target',
      target,
      '--rss-limit-mb',
      '32',
      '--json',
      json,
    ]);
    expect(replay.code).toBe(3);
    expect(replay.out).toContain('target-crashed: `VPDMA_C_FAULT=grow-after:2');
    expect(replay.out).toContain('exceeded --rss-limit-mb 32 (rss ');
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ rssLimitMb: 32 });
    const out = join(dir, 'fuzz');
    const fuzz = await runCli([
      ...['fuzz', '--target', target, '--rss-limit-mb', '32', '--runs', '2', '--workers', '1'],
      ...['--attempts-max', '1', '--repros-per-kind', '1', '--timeout', '5000', '--out', out],
    ]);
    expect(fuzz.code).toBe(1);
    expect(fuzz.out).toContain('--rss-limit-mb 32 reproduces them');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as FuzzReport;
    expect(report.rssLimitMb).toBe(32);
    expect(report.cases).toBe(2); // a finding, not the end of the campaign
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of report.findings) {
      expect(f.kind).toBe('target-crashed');
      expect(f.message).toContain('exceeded --rss-limit-mb 32 (rss ');
      expect(f.command).toMatch(/ --rss-limit-mb 32$/);
    }
  });
});
