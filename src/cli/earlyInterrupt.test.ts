// Ctrl-C or SIGTERM before a command's own handling of them (src/cli/interrupt.ts) is in place:
// while it checks its arguments, loads the target to check it, takes its locks. Before
// bin/vpdma.js held the signals from its first line, SIGTERM there killed the process (143)
// and a night left its --history lock behind for the next one to take over. One real process
// per command, signalled while test/fixtures/held-load-target.mjs holds the target's load (the
// check every command makes before any work), so the moment is the test's, not the clock's.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { interruptCli } from '../../test/support/runCli.js';
import { waitFor } from '../../test/support/waitFor.js';

const root = resolve(import.meta.dirname, '../..');
const TARGET = `module:${join(root, 'test/fixtures/held-load-target.mjs')}`;
const dir = mkdtempSync(join(tmpdir(), 'vpdma-early-interrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const loading = (w: string): boolean => readdirSync(w).some((f) => f.startsWith('loading-'));

/** `argv(w)` run in a directory of its own, signalled once its target's load is under way. */
async function signalledWhileLoading(
  name: string,
  argv: (w: string) => string[],
  signal: NodeJS.Signals,
): Promise<{ w: string; code: number | null; signal: NodeJS.Signals | null; err: string }> {
  const w = mkdtempSync(join(dir, `${name}-`));
  const r = await interruptCli(argv(w), async () => waitFor(() => loading(w)), false, {
    signal,
    // Never released: the load lasts until the signal (the fixture's bound is 120 s).
    env: { VPDMA_FIXTURE_LOADING: w, VPDMA_FIXTURE_RELEASE: join(w, 'release') },
  });
  return { w, ...r };
}

/** What is in `w` besides the fixture's marker. */
const left = (w: string): string[] => readdirSync(w).filter((f) => !f.startsWith('loading-'));

describe('a signal before any work began', () => {
  it('nightly holding its --history lock: exit 130, one line, no lock and no --out left', async () => {
    const r = await signalledWhileLoading(
      'nightly',
      (w) => [
        'nightly',
        '--target',
        TARGET,
        '--runs',
        '5',
        '--out',
        join(w, 'out'),
        '--history',
        join(w, 'h.json'),
        '--quiet',
      ],
      'SIGTERM',
    );
    expect([r.code, r.signal]).toEqual([130, null]);
    expect(r.err).toContain('vpdma: SIGTERM: stopped before any work began; nothing written\n');
    // The history's lock is taken before the target is checked: it was held, and is gone.
    expect(left(r.w)).toEqual([]);
  });

  it.each([
    ['replay', (w: string) => ['replay', 'corpus/events.jsonl', '--json', join(w, 'r.json')]],
    ['fuzz', (w: string) => ['fuzz', '--runs', '5', '--out', join(w, 'out')]],
  ])('%s: exit 130 (not death by SIGTERM), one line, nothing written', async (name, argv) => {
    const r = await signalledWhileLoading(
      name,
      (w) => [...argv(w), '--target', TARGET, '--quiet'],
      'SIGTERM',
    );
    expect([r.code, r.signal]).toEqual([130, null]);
    expect(r.err).toContain('vpdma: SIGTERM: stopped before any work began; nothing written\n');
    expect(left(r.w)).toEqual([]);
  });
});
