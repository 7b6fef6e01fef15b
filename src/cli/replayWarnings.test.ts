// What a target leaves unchecked, said once per `vpdma replay` run on stderr and in the report's
// warnings (docs/checks.md, "What a target leaves unchecked"): the verdict stays the same.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';
import { NO_STATE_WARNING } from './targetWarnings.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-warnings-'));
const target = 'module:test/fixtures/lossy-target.mjs';
const traces = ['corpus/legacy-mapdma-during-transfers.jsonl', 'corpus/events.jsonl'];

afterEach(() => {
  delete process.env['VPDMA_FIXTURE_LOSS'];
});

async function replay(loss: string): Promise<{ code: number; err: string; warnings: unknown }> {
  process.env['VPDMA_FIXTURE_LOSS'] = loss;
  const json = join(dir, `${loss}.json`);
  const r = await runCli(['replay', ...traces, '--target', target, '--quiet', '--json', json]);
  const report = JSON.parse(readFileSync(json, 'utf8')) as { warnings?: unknown };
  return { code: r.code, err: r.err, warnings: report.warnings };
}

describe('vpdma replay warns once per run of what its target leaves unchecked', () => {
  it('a target without state()', async () => {
    const r = await replay('no-state');
    expect(r.code).toBe(0);
    const line = `vpdma: warning: target ${target}: ${NO_STATE_WARNING}\n`;
    expect(r.err.split(line)).toHaveLength(2); // once, for two traces
    expect(r.warnings).toEqual([NO_STATE_WARNING]);
  });

  it('a process: target whose hello lists no state', async () => {
    const fixture = join(process.cwd(), 'test/fixtures/slow-process-target.mjs');
    const child = `process:NO_STATE=1 ${process.execPath} ${fixture}`;
    const r = await runCli(['replay', traces[0] ?? '', '--target', child, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`: ${NO_STATE_WARNING}\n`);
  });

  it('a touched() that names memory the target never returned', async () => {
    const r = await replay('stray-touched');
    expect(r.code).toBe(0);
    const said =
      /^vpdma: warning: target \S+: touched\(\) named memory the target never returned, outside user memory \(call \d+ named 0x[0-9a-f]+\+0x[0-9a-f]+, in 2 traces\): .*--paranoid/m;
    expect(r.err).toMatch(said);
    expect(r.warnings).toEqual([expect.stringMatching(/^touched\(\) named memory/)]);
  });

  it('nothing for the model as it is', async () => {
    const r = await replay('none');
    expect(r.err).not.toContain('warning');
    expect(r.warnings).toBeUndefined();
  });
});
