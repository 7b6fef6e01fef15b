// `vpdma merge` stopped by Ctrl-C while it copies the corpus: it says so as the other commands
// do, copies no more entries, writes the reports (marked interrupted: a partial corpus, and
// nothing marked fixed) and leaves no temporary file; exit 130. The built CLI, a real signal.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { releaseOnceHeard, signalWhileWriting } from '../../test/support/release.js';
import { interruptCli, runCli as run } from '../../test/support/runCli.js';
import { waitFor } from '../../test/support/waitFor.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-merge-interrupt-'));

/** Every file under `d`, hidden ones too, relative to it. */
function allFiles(d: string): string[] {
  return readdirSync(d, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/**
 * `vpdma merge ...argv` given Ctrl-C while it holds `held` open (test/fixtures/hold-open.mjs,
 * preloaded into the child), which it copies on once the child has heard the signal; the
 * hold's mark and release files are named with `tag`.
 */
function mergeHeldOpen(argv: readonly string[], held: string, tag: string) {
  const mark = join(dir, `held${tag}`);
  const release = join(dir, `release${tag}`);
  const hook = join(import.meta.dirname, '../../test/fixtures/hold-open.mjs');
  return interruptCli(['merge', ...argv], () => waitFor(() => existsSync(mark)), false, {
    env: {
      NODE_OPTIONS: `--import ${hook}`,
      HOLD_OPEN_PATH: held,
      HOLD_OPEN_MARK: mark,
      HOLD_OPEN_RELEASE: release,
    },
    afterSignal: releaseOnceHeard(release),
  });
}

describe('vpdma merge, interrupted', () => {
  const s1 = join(dir, 's1');
  const s2 = join(dir, 's2');
  beforeAll(async () => {
    const args = ['--runs', '20', '--target', 'model', '--workers', '1', '--quiet'];
    expect((await run(['nightly', '--out', s1, '--shard', '1/2', ...args])).code).toBe(0);
    expect((await run(['nightly', '--out', s2, '--shard', '2/2', ...args])).code).toBe(0);
  }, 240_000);

  it('stops copying the corpus, writes reports marked interrupted, exits 130', async () => {
    // More corpus entries; the copy is held as it opens one of them (test/fixtures/hold-open.mjs,
    // preloaded into the child) until the test releases it, which is once the child has heard
    // the signal: the copy cannot end before the signal, however slowly a loaded machine
    // delivers it (a copy of 4,000 files by the clock was the window before).
    const trace = readFileSync(join(import.meta.dirname, '../../corpus/events.jsonl'));
    const bulk = 20;
    const name = (i: number): string =>
      join(s1, 'corpus', `bulk-${String(i).padStart(5, '0')}.jsonl`);
    const held = name(bulk / 2);
    for (let i = 0; i < bulk; i++) writeFileSync(name(i), trace);
    const entries = new Set([
      ...readdirSync(join(s1, 'corpus')),
      ...readdirSync(join(s2, 'corpus')),
    ]);
    const out = join(dir, 'merged');
    const r = await mergeHeldOpen([s1, s2, '--out', out], held, '');
    expect(r.code, r.err).toBe(130);
    expect(r.err).toMatch(/vpdma: SIGINT: finishing up/);
    expect(r.err).toMatch(/vpdma merge: interrupted: \d+ of \d+ corpus entries copied/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      interrupted: boolean;
    };
    expect(report.interrupted).toBe(true);
    for (const f of ['junit.xml', 'results.sarif', 'report.html'])
      expect(readdirSync(out)).toContain(f);
    expect(allFiles(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // The copy stopped at the held entry: none after it was copied.
    const copied = readdirSync(join(out, 'corpus'));
    expect(copied.length).toBeLessThan(entries.size);
    expect(copied).toContain(basename(held));
    expect(copied.filter((n) => n > basename(held) && n.startsWith('bulk-'))).toEqual([]);
    // Of the entries merge planned to copy: not every shard's entry (one a shard kept that the
    // unsharded run would not have is left out), so the count comes from merge's own line.
    const planned = /copying (\d+) corpus entries/.exec(r.err)?.[1];
    expect(Number(planned)).toBeLessThanOrEqual(entries.size);
    expect(r.err).toContain(`: ${copied.length} of ${planned} corpus entries copied`);
  }, 240_000);

  it('with a shard missing too, says both: the interrupted copy and the missing shard', async () => {
    const entry = readdirSync(join(s1, 'corpus')).sort()[0] ?? 'none';
    const out = join(dir, 'merged-missing');
    const r = await mergeHeldOpen([s1, '--out', out], join(s1, 'corpus', entry), '-missing');
    expect(r.code, r.err).toBe(130);
    expect(r.out).toContain(
      'interrupted: the corpus copy stopped, and 1 of 2 shards given; the reports cover those, the findings and what was copied',
    );
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as object;
    expect(report).toMatchObject({
      interrupted: true,
      shardsMissing: ['2/2'],
      mergeInterrupted: true,
    });
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(
      'This merge was interrupted (its corpus copy stopped) and is missing shard 2/2',
    );
  }, 240_000);

  it('a signal while the reports are written lets them finish whole, and exits 130', async () => {
    const out = join(dir, 'late');
    const json = join(dir, 'late.json');
    const r = await signalWhileWriting(
      ['merge', s1, s2, '--out', out, '--json', json],
      json,
      // report.html is written just before --json.
      async () => waitFor(() => existsSync(join(out, 'report.html'))),
    );
    expect([r.code, r.signal], r.err).toEqual([130, null]);
    // The merge had ended: the report is whole and says what ran (not interrupted).
    const written = JSON.parse(r.text) as { interrupted: boolean };
    expect(written.interrupted).toBe(false);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))).toEqual(written);
    expect(allFiles(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 240_000);
});
