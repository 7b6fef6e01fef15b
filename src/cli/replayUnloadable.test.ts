// `vpdma replay --json/--junit` with a module: target that cannot be loaded: the run is still
// refused in one line (exit 2 for no module, 3 for one that throws while loading), and the
// reports a CI job uploads are written all the same, every trace named as not run and why.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kitchenSink, KITCHEN_HEADER } from '../../test/support/kitchenSink.js';
import { formatJsonl } from '../trace/jsonl.js';
import type { ReplayReport } from '../report/replayReport.js';
import { runCli } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-replay-unloadable-'));
const traces = ['a.jsonl', 'b.jsonl'].map((n) => join(dir, n));
for (const t of traces)
  writeFileSync(t, formatJsonl({ header: KITCHEN_HEADER, calls: kitchenSink() }));
const topThrow = join(dir, 'top-throw.mjs');
writeFileSync(topThrow, 'throw new Error("boom at load");\nexport default async () => ({});\n');

describe('replay with a module target that cannot be loaded', () => {
  it.each([
    ['missing', join(dir, 'nope.mjs'), /nope\.mjs does not exist/, 2],
    ['throws at load', topThrow, /top-throw\.mjs failed to load: boom at load/, 3],
  ])('%s: one line, its exit code, and both reports written', async (name, path, why, code) => {
    const json = join(dir, `${name}.json`);
    const junit = join(dir, `${name}.xml`);
    const r = await runCli([
      ...['replay', ...traces, '--target', `module:${path}`],
      ...['--json', json, '--junit', junit, '--quiet'],
    ]);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(/^vpdma: --target: target module /);
    expect(r.err).toMatch(why);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.out).toBe('');
    const report = JSON.parse(readFileSync(json, 'utf8')) as ReplayReport;
    expect(report.setupError).toMatch(why);
    expect(report.harnessError).toBeUndefined();
    expect(report.traces.map((t) => [t.trace, t.outcome, t.calls])).toEqual(
      traces.map((t) => [t, 'setup-failed', 0]),
    );
    for (const t of report.traces) expect(t.error).toMatch(why);
    expect(report.summary).toMatchObject({ traces: 2, passed: 0, invalid: 2, calls: 0 });
    const xml = readFileSync(junit, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(2);
    expect(xml.match(/<error /g)).toHaveLength(2);
  });
});
