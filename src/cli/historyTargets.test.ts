// A history kept under one --target spelling, and a night that spells its target otherwise:
// it is told, at the start, instead of silently starting a history of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-history-targets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const history = join(dir, 'h.json');
const night = (target: string, runs: string) =>
  runCli([
    'nightly',
    '--target',
    target,
    '--runs',
    runs,
    '--seed',
    '3',
    '--workers',
    '1',
    '--out',
    join(dir, 'out'),
    '--history',
    history,
    '--quiet',
  ]);

describe('nightly --history with another --target spelling', () => {
  it('says the history holds findings of other targets only; the same spelling hears nothing', async () => {
    const first = await night('mutant:mapdma-writes-length', '30');
    expect(first.code).toBe(1);
    expect(first.err).not.toContain('other targets only');
    const other = await night('mutant:drops-map-registers', '3');
    expect(other.err).toContain(
      `vpdma nightly: --history ${history} holds findings of other targets only (mutant:mapdma-writes-length); they are kept per --target SPEC as written, so mutant:drops-map-registers starts a history of its own`,
    );
    const same = await night('mutant:mapdma-writes-length', '3');
    expect(same.err).not.toContain('other targets only');
  }, 120_000);
});
