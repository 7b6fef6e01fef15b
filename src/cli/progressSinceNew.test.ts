// --json-progress says when the branches and the keys last grew (campaignStatus.ts), for fuzz
// and for nightly's fuzz phase; wall-clock presentation only, so no report file holds it.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-since-'));

/** The last JSON progress line of `label` on stderr. */
function lastLine(err: string, label: string): Record<string, unknown> {
  const lines = err
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((j) => j.progress === label);
  expect(lines.length).toBeGreaterThan(0);
  return lines.at(-1) ?? {};
}

function expectSinceNew(j: Record<string, unknown>): void {
  const elapsed = j.elapsedMs as number;
  // 60 cases from the bundled corpus reach new keys and new branches (seed 3, either command).
  for (const k of ['lastNewBranchMs', 'lastNewKeyMs']) {
    expect(j[k], k).toEqual(expect.any(Number));
    expect(j[k] as number, k).toBeGreaterThan(0);
    expect(j[k] as number, k).toBeLessThanOrEqual(elapsed);
  }
}

describe('--json-progress: when coverage last grew', () => {
  it.each(['fuzz', 'nightly'])('%s: lastNewBranchMs and lastNewKeyMs, in no file', async (cmd) => {
    const out = join(dir, cmd);
    const r = await runCli([cmd, '--runs', '60', '--seed', '3', '--json-progress', '--out', out]);
    expect(r.code).toBe(0);
    expectSinceNew(lastLine(r.err, 'fuzz'));
    for (const name of readdirSync(out).filter((n) => !n.startsWith('corpus')))
      expect(readFileSync(join(out, name), 'utf8'), name).not.toMatch(/lastNew/);
  });
});
