// What a target leaves unchecked (docs/checks.md, "What a target leaves unchecked") reaches every
// report, not only replay's: fuzz's `warnings` and `unchecked`, the same for 1 or 2 workers;
// nightly's corpus.warnings and fuzzDetail; and a merge of nightly shards, which says what the
// unsharded night says. The commands' workers run dist/: `npm run build` first.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';
import { NO_STATE_WARNING } from './targetWarnings.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-report-warnings-'));
const target = 'module:test/fixtures/lossy-target.mjs';
const says = (w: string): string => `warning: target ${target}: ${w}`;
const STRAY =
  /^touched\(\) named memory the target never returned, outside user memory \(call \d+ named 0x[0-9a-f]+\+0x[0-9a-f]+, in \d+ traces\): /;
/** A fuzz run's: the lowest case named, for `vpdma fuzz --case`. */
const STRAY_CASE =
  /^touched\(\) named memory the target never returned, outside user memory \(case (\d+)'s call \d+ named 0x[0-9a-f]+\+0x[0-9a-f]+, in \d+ cases; `vpdma fuzz --case \1` writes that case\): /;

interface Unchecked {
  noState?: true;
  stray?: { first: string; caseIndex: number; count: number };
}
interface Fuzz {
  warnings: string[];
  unchecked?: Unchecked;
}
interface Night {
  corpus: { warnings?: string[] };
  fuzzDetail: Fuzz;
}

afterEach(() => {
  delete process.env['VPDMA_FIXTURE_LOSS'];
});

/** The target's own lines among a fuzz report's warnings. */
const targetLines = (f: Fuzz): string[] => f.warnings.filter((w) => w.includes(`${target}: `));
const read = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
/** How often `line` is on stderr. */
const times = (err: string, line: string): number => err.split(`vpdma: ${line}\n`).length - 1;

async function night(loss: string, out: string, ...more: string[]) {
  process.env['VPDMA_FIXTURE_LOSS'] = loss;
  const args = ['--target', target, '--runs', '40', '--workers', '2', '--quiet'];
  const r = await runCli(['nightly', ...args, '--out', join(dir, out), ...more]);
  expect(r.code, r.err).toBe(0);
  return { err: r.err, report: read<Night>(join(dir, out, 'report.json')) };
}

describe('vpdma fuzz', () => {
  it.each(['no-state', 'stray-touched'])(
    '%s: the same warnings for 1 or 2 workers',
    async (loss) => {
      process.env['VPDMA_FIXTURE_LOSS'] = loss;
      const seen = [];
      for (const workers of ['1', '2']) {
        const out = join(dir, `fuzz-${loss}-${workers}`);
        const args = ['--target', target, '--runs', '40', '--workers', workers, '--quiet'];
        const r = await runCli(['fuzz', ...args, '--out', out]);
        expect(r.code, r.err).toBe(0);
        const report = read<Fuzz>(join(out, 'report.json'));
        const [line] = targetLines(report);
        expect(targetLines(report)).toHaveLength(1);
        expect(times(r.err, line ?? '')).toBe(1);
        seen.push({ lines: targetLines(report), unchecked: report.unchecked });
      }
      expect(seen[1]).toEqual(seen[0]);
      const unchecked = seen[0]?.unchecked;
      if (loss === 'no-state') {
        expect(seen[0]?.lines).toEqual([says(NO_STATE_WARNING)]);
        expect(unchecked).toEqual({ noState: true });
      } else {
        expect(seen[0]?.lines[0]?.slice(says('').length)).toMatch(STRAY_CASE);
        expect(unchecked?.stray?.count).toBeGreaterThan(1);
        const { caseIndex, first } = unchecked?.stray ?? {};
        expect(seen[0]?.lines[0]).toContain(`(case ${caseIndex}'s ${first}, in `);
      }
    },
  );
});

describe('vpdma nightly', () => {
  it('a target without state(): in corpus.warnings and fuzzDetail, once on stderr', async () => {
    const { err, report } = await night('no-state', 'night-no-state');
    expect(report.corpus.warnings).toEqual([NO_STATE_WARNING]);
    expect(targetLines(report.fuzzDetail)).toEqual([says(NO_STATE_WARNING)]);
    expect(report.fuzzDetail.unchecked).toEqual({ noState: true });
    expect(times(err, says(NO_STATE_WARNING))).toBe(1);
  });

  it('a stray touched(): counted in traces for the corpus, in cases for the fuzz phase', async () => {
    const { err, report } = await night('stray-touched', 'night-stray');
    const [corpus] = report.corpus.warnings ?? [];
    expect(report.corpus.warnings).toHaveLength(1);
    expect(corpus).toMatch(STRAY);
    expect(corpus).toMatch(/ traces\): /);
    const [fuzz] = targetLines(report.fuzzDetail);
    expect(fuzz?.slice(says('').length)).toMatch(STRAY_CASE);
    expect(fuzz).toContain(`(case ${report.fuzzDetail.unchecked?.stray?.caseIndex}'s `);
    expect(times(err, says(corpus ?? ''))).toBe(1);
    expect(times(err, fuzz ?? '')).toBe(1);
  });

  it('nothing for a target that leaves nothing unchecked', async () => {
    const { err, report } = await night('none', 'night-none');
    expect(report.corpus.warnings).toBeUndefined();
    expect(report.fuzzDetail.unchecked).toBeUndefined();
    expect(targetLines(report.fuzzDetail)).toEqual([]);
    expect(err).not.toContain('vpdma: warning');
  });
});

describe('vpdma merge of nightly shards', () => {
  it.each(['stray-touched', 'no-state'])(
    '%s: the warnings of the unsharded night, in either order of the shards',
    async (loss) => {
      const whole = (await night(loss, `whole-${loss}`)).report;
      await night(loss, `s1-${loss}`, '--shard', '1/2');
      const s2 = (await night(loss, `s2-${loss}`, '--shard', '2/2')).report;
      const shards = [join(dir, `s1-${loss}`), join(dir, `s2-${loss}`)];
      for (const order of [shards, [...shards].reverse()]) {
        const out = join(dir, `merged-${loss}-${order[0] === shards[0] ? 'a' : 'b'}`);
        const r = await runCli(['merge', ...order, '--out', out]);
        expect(r.code, r.err).toBe(0);
        // Each shard said its own; the merge says nothing more of the target.
        expect(r.err).not.toContain(target);
        const merged = read<Night>(join(out, 'report.json'));
        expect(merged.corpus.warnings).toEqual(whole.corpus.warnings);
        expect(targetLines(merged.fuzzDetail)).toEqual(targetLines(whole.fuzzDetail));
        expect(merged.fuzzDetail.unchecked).toEqual(whole.fuzzDetail.unchecked);
      }
      expect(whole.corpus.warnings).toHaveLength(1);
      // A shard ran half the cases: its own count is not the night's, nor its lowest case.
      if (loss === 'stray-touched') {
        const [own, all] = [s2, whole].map((r) => r.fuzzDetail.unchecked?.stray);
        expect(own?.count).toBeLessThan(all?.count ?? 0);
        expect(own?.caseIndex).not.toBe(all?.caseIndex);
        expect(targetLines(whole.fuzzDetail)[0]).toContain(`(case ${all?.caseIndex}'s `);
      }
    },
  );
});
