// `vpdma nightly`'s log as a CI job shows it: every line on stderr starts `vpdma` (so that
// `grep ^vpdma` finds the seed, the findings and the corpus repros), and the summary on stdout
// starts with its first line, not a blank one.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as run } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-nightly-log-'));

describe('nightly log lines', () => {
  it('start vpdma on stderr, the summary first on stdout', async () => {
    const out = join(dir, 'mutant');
    const target = 'mutant:drops-map-registers';
    const r = await run(['nightly', '--target', target, '--out', out, '--runs', '60']);
    expect(r.code).toBe(1); // it finds the mutant's bug: the lines below are the ones to check
    const err = r.err.split('\n').filter((l) => l !== '');
    expect(err[0]).toMatch(/^vpdma nightly: seed=\d+$/);
    expect(
      err.filter((l) => /^vpdma fuzz: finding \S+: \d+ calls? \(case \d+\)$/.test(l)).length,
    ).toBeGreaterThan(0);
    expect(err.filter((l) => !l.startsWith('vpdma'))).toEqual([]);
    expect(r.out).toMatch(/^corpus: \d+ traces, /);
  }, 120_000);
});
