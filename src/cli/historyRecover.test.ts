// A damaged --history on real nights and merges: FILE.prev kept by every write, the refusal
// saying what to do, and --history-recover starting from FILE.prev or from nothing, the
// damaged bytes kept aside and the recovery said on stderr, in the summary and in report.json.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { History } from '../report/history.js';
import type { NightlyReport } from '../report/nightlySchema.js';
import { runCli } from '../../test/support/runCli.js';

const root = mkdtempSync(join(tmpdir(), 'vpdma-history-recover-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TARGET = 'mutant:mapdma-writes-length';
const SIGNATURE = 'map-dma-wrote-out-param/MapDmaMemory/b8a02000';
const nightArgs = (dir: string, runs: string, ...extra: string[]): string[] => [
  'nightly',
  '--target',
  TARGET,
  '--seed',
  '3',
  '--runs',
  runs,
  '--workers',
  '1',
  '--out',
  join(dir, 'out'),
  '--history',
  join(dir, 'h.json'),
  '--quiet',
  ...extra,
];
/** A night in `dir` (its history dir/h.json, its --out dir/out); 30 runs find the bug. */
const night = (dir: string, runs: string, ...extra: string[]) =>
  runCli(nightArgs(dir, runs, ...extra));
const report = (out: string): NightlyReport =>
  JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as NightlyReport;
const history = (path: string): History => JSON.parse(readFileSync(path, 'utf8')) as History;
const damagedCopies = (dir: string): string[] =>
  readdirSync(dir).filter((f) => f.startsWith('h.json.damaged-'));
const fresh = (name: string): string => {
  const dir = join(root, name);
  mkdirSync(dir);
  return dir;
};
/** A history whose last bucket lost its closing lines: a write a CI cache cut short. */
const truncate = (text: string): string => text.slice(0, text.lastIndexOf('"timesSeen"'));

describe('nightly --history: FILE.prev, the refusal of a damaged file, --history-recover', () => {
  const dir = fresh('nights');
  const h = join(dir, 'h.json');
  const prev = `${h}.prev`;
  let second = '';
  let third = '';
  const damaged = (text: string): string =>
    text.replace(
      '  "buckets": [',
      '<<<<<<< HEAD\n  "buckets": [\n=======\n  "buckets": [\n>>>>>>> b',
    );

  beforeAll(async () => {
    expect((await night(dir, '30')).code).toBe(1);
    expect(existsSync(prev), 'the first night replaces nothing').toBe(false);
  }, 60_000);

  it('keeps the version each night replaces in FILE.prev, across two nights', async () => {
    const first = readFileSync(h, 'utf8');
    expect((await night(dir, '3')).code).toBe(1);
    second = readFileSync(h, 'utf8');
    expect(second).not.toBe(first); // seen again: lastSeen, timesSeen
    expect(readFileSync(prev, 'utf8')).toBe(first);
    expect((await night(dir, '3')).code).toBe(1);
    third = readFileSync(h, 'utf8');
    expect(readFileSync(prev, 'utf8')).toBe(second);
    expect(history(h).buckets[0]?.timesSeen).toBe(3);
  }, 60_000);

  it('refuses a damaged history in one line saying what to do, changing nothing', async () => {
    const bad = damaged(third);
    writeFileSync(h, bad);
    const r = await night(dir, '3');
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toHaveLength(2); // one line
    expect(r.err).toMatch(
      new RegExp(
        `^vpdma: --history: history file ${h}: line 4: a merge conflict marker \\(<<<<<<<\\): not valid JSON; vpdma will not overwrite it: the previous version is ${prev} \\(written \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ, 1 bucket\\): restore it with \`cp ${prev} ${h}\`, or run again with --history-recover to start from it, keeping the damaged file as ${h}\\.damaged-<UTC time>\\n$`,
      ),
    );
    expect(readFileSync(h, 'utf8')).toBe(bad);
    expect(readFileSync(prev, 'utf8')).toBe(second);
    expect(damagedCopies(dir)).toEqual([]);
    // The command it gives does what it says.
    writeFileSync(h, readFileSync(prev));
    expect((await night(dir, '3')).code).toBe(1);
    expect(history(h).buckets[0]?.timesSeen).toBe(3); // second's 2, and this night
  }, 60_000);

  it('--history-recover starts from FILE.prev, keeps the damaged bytes, and says so', async () => {
    const before = readFileSync(h, 'utf8');
    const good = readFileSync(prev, 'utf8');
    const goodHistory = history(prev);
    const bad = truncate(before);
    writeFileSync(h, bad);
    const r = await night(dir, '3', '--history-recover');
    expect(r.code, r.err).toBe(1); // the finding, open
    const [kept, ...more] = damagedCopies(dir);
    expect(more).toEqual([]);
    const keptAs = join(dir, kept ?? 'none');
    expect(readFileSync(keptAs, 'utf8')).toBe(bad);
    const rec = report(join(dir, 'out')).historyRecovered;
    expect(Object.keys(rec ?? {}).sort()).toEqual([
      'file',
      'from',
      'keptAs',
      'prevWritten',
      'reason',
    ]);
    expect(rec).toMatchObject({ file: h, keptAs, from: prev });
    expect(rec?.reason).toMatch(/^not valid JSON: it ends at line \d+ before the history does/);
    expect(rec?.prevWritten).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const said = `--history ${h} was damaged (${rec?.reason}): started from the previous version, ${prev} (written ${rec?.prevWritten}); the damaged file is kept as ${keptAs}`;
    expect(r.err).toContain(`vpdma nightly: --history-recover: ${said}\n`);
    expect(r.out).toContain(`history recovered (--history-recover): ${said}\n`);
    // Carried on from FILE.prev: the bucket's first sighting and count go on from there.
    const now = history(h).buckets[0];
    expect(now?.firstSeen).toBe(goodHistory.buckets[0]?.firstSeen);
    expect(now?.timesSeen).toBe((goodHistory.buckets[0]?.timesSeen ?? 0) + 1);
    expect(report(join(dir, 'out')).findings.map((f) => [f.signature, f.status])).toEqual([
      [SIGNATURE, 'open'],
    ]);
    // FILE.prev is still the good version: the damage never becomes a previous version.
    expect(readFileSync(prev, 'utf8')).toBe(good);
    // A good history and the flag: nothing recovered, nothing said, FILE.prev moves on.
    const again = await night(dir, '3', '--history-recover');
    expect(again.code).toBe(1);
    expect(again.err).not.toContain('--history-recover');
    expect(report(join(dir, 'out')).historyRecovered).toBeUndefined();
    expect(damagedCopies(dir)).toHaveLength(1);
    expect(readFileSync(prev, 'utf8')).not.toBe(good);
  }, 60_000);
});

describe('nightly --history-recover without a usable FILE.prev', () => {
  it('starts an empty history when there is none, saying where the damage went', async () => {
    const dir = fresh('no-prev');
    const h = join(dir, 'h.json');
    const bad = '{"format": "vpdma-history", "version": 2, "buckets": [{"signature": 7}]}\n';
    writeFileSync(h, bad);
    const refused = await night(dir, '30');
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(
      `vpdma: --history: history file ${h}: buckets[0].signature: expected a non-empty string; vpdma will not overwrite it: there is no earlier version to restore (${h}.prev: missing): fix it, or run again with --history-recover to start an empty history, keeping the damaged file as ${h}.damaged-<UTC time>\n`,
    );
    expect(existsSync(join(dir, 'out')), 'a refused night makes nothing').toBe(false);
    // Copies earlier recoveries kept: with this night's, the newest 3 stay.
    const older = ['20261001T000000Z', '20261002T000000Z', '20261003T000000Z'];
    for (const t of older) writeFileSync(`${h}.damaged-${t}`, 'x');
    const r = await night(dir, '30', '--history-recover');
    expect(r.code, r.err).toBe(1);
    const rec = report(join(dir, 'out')).historyRecovered;
    expect(rec).toMatchObject({
      file: h,
      reason: 'buckets[0].signature: expected a non-empty string',
      from: 'empty',
      prevUnusable: `${h}.prev: missing`,
      olderDeleted: [`${h}.damaged-20261001T000000Z`],
    });
    expect(readFileSync(rec?.keptAs ?? '', 'utf8')).toBe(bad);
    expect(damagedCopies(dir).sort()).toEqual([
      'h.json.damaged-20261002T000000Z',
      'h.json.damaged-20261003T000000Z',
      basename(rec?.keptAs ?? ''),
    ]);
    expect(r.err).toContain(
      `the damaged file is kept as ${rec?.keptAs} (1 older damaged copy deleted: ${h}.damaged-20261001T000000Z)\n`,
    );
    expect(r.err).toContain(`started from an empty history (${h}.prev: missing)`);
    expect(report(join(dir, 'out')).findings.map((f) => f.status)).toEqual(['new']);
    expect(history(h).buckets.map((b) => b.signature)).toEqual([SIGNATURE]);
    // Nothing good was replaced: still no FILE.prev.
    expect(existsSync(`${h}.prev`)).toBe(false);
  }, 60_000);

  it('says so when FILE.prev is damaged too, and starts empty with the flag', async () => {
    const dir = fresh('bad-prev');
    const h = join(dir, 'h.json');
    writeFileSync(h, '{"format": "vpdma-history", "version": 2, "buckets": [');
    writeFileSync(`${h}.prev`, '{"format": "vpdma-report"}');
    const refused = await night(dir, '3');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      `; vpdma will not overwrite it: its earlier version ${h}.prev is damaged too (not a vpdma history file (expected "format": "vpdma-history")): fix it, or run again with --history-recover to start an empty history`,
    );
    const r = await night(dir, '3', '--history-recover');
    expect(r.code, r.err).toBe(1);
    expect(report(join(dir, 'out')).historyRecovered).toMatchObject({
      from: 'empty',
      prevUnusable: `${h}.prev: not a vpdma history file (expected "format": "vpdma-history")`,
    });
    expect(report(join(dir, 'out')).findings.map((f) => f.status)).toEqual(['new']);
    expect(history(h).buckets.map((b) => b.timesSeen)).toEqual([1]);
  }, 60_000);

  it('refuses --history-recover without --history, a run refused later keeps nothing aside, a FILE.prev that is not a file', async () => {
    const dir = fresh('usage');
    const r = await runCli([
      'nightly',
      '--runs',
      '3',
      '--out',
      join(dir, 'out'),
      '--history-recover',
    ]);
    expect([r.code, r.err]).toEqual([
      2,
      'vpdma: --history-recover: give --history FILE, the file to recover\n',
    ]);
    // A run refused after reading the history keeps nothing aside and replaces nothing.
    writeFileSync(join(dir, 'h.json'), '{');
    writeFileSync(join(dir, 'a-file'), '');
    const out = join(dir, 'a-file', 'out');
    const refused = await runCli([...nightArgs(dir, '3', '--history-recover'), '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^vpdma: --out .*: not writable/);
    expect(readdirSync(dir).sort()).toEqual(['a-file', 'h.json']);
    expect(readFileSync(join(dir, 'h.json'), 'utf8')).toBe('{');
    rmSync(join(dir, 'h.json'));
    mkdirSync(join(dir, 'h.json.prev'));
    const p = await night(dir, '3');
    expect(p.code).toBe(2);
    expect(p.err).toBe(
      `vpdma: --history ${join(dir, 'h.json')}: ${join(dir, 'h.json.prev')}, where a write keeps the version it replaces, is not a regular file; move it away\n`,
    );
  }, 60_000);

  it('says where the previous history is when FILE is missing beside it', async () => {
    const dir = fresh('missing');
    const h = join(dir, 'h.json');
    expect((await night(dir, '30')).code).toBe(1);
    expect((await night(dir, '3')).code).toBe(1);
    rmSync(h);
    const r = await night(dir, '3');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `vpdma nightly: --history ${h} is missing or empty: this run starts an empty history, though the previous version, ${h}.prev (written `,
    );
    expect(r.err).toContain(
      `1 bucket), holds one; to carry that one on instead, restore it with \`cp ${h}.prev ${h}\` once this run ends`,
    );
    expect(report(join(dir, 'out')).historyRecovered).toBeUndefined();
  }, 60_000);
});

describe('a --history a newer vpdma wrote (a higher version)', () => {
  it('is refused with or without --history-recover, never replaced as damage', async () => {
    const dir = fresh('newer');
    const h = join(dir, 'h.json');
    const newer = '{"format": "vpdma-history", "version": 3, "buckets": [], "since": "v3"}\n';
    writeFileSync(h, newer);
    // A good FILE.prev, which a recovery of damage would start from.
    writeFileSync(`${h}.prev`, '{"format": "vpdma-history", "version": 2, "buckets": []}\n');
    const line = `history file ${h}: history version 3 was written by a newer vpdma (this vpdma reads versions 1 and 2): upgrade vpdma to use it\n`;
    for (const extra of [[], ['--history-recover']]) {
      const r = await night(dir, '3', ...extra);
      expect([r.code, r.err]).toEqual([2, `vpdma: --history: ${line}`]);
    }
    const shown = await runCli(['history', 'show', h]);
    expect([shown.code, shown.err]).toEqual([2, `vpdma: ${line}`]);
    expect(readFileSync(h, 'utf8')).toBe(newer);
    expect(readdirSync(dir).sort()).toEqual(['h.json', 'h.json.prev']);
  }, 60_000);
});

describe('merge --history: FILE.prev and --history-recover', () => {
  const dir = fresh('merge');
  const shards = [join(dir, 's1'), join(dir, 's2')];
  const h = join(dir, 'h.json');
  const merge = (...extra: string[]) =>
    runCli(['merge', ...shards, '--out', join(dir, 'merged'), '--history', h, ...extra]);
  /** A valid history holding another target's bucket: the merge's write replaces it. */
  const seeded = `${JSON.stringify(
    {
      format: 'vpdma-history',
      version: 2,
      buckets: [
        {
          signature: 'return-mismatch/StartDma/f586ddc4',
          target: 'model',
          kind: 'return-mismatch',
          fn: 'VideoPortStartDma',
          firstSeen: 'r1',
          lastSeen: 'r1',
          timesSeen: 4,
        },
      ],
    },
    null,
    2,
  )}\n`;

  beforeAll(async () => {
    for (const [i, out] of shards.entries()) {
      const args = ['--target', TARGET, '--seed', '3', '--runs', '30', '--workers', '1'];
      const r = await runCli([
        'nightly',
        ...args,
        '--out',
        out,
        '--shard',
        `${i + 1}/2`,
        '--quiet',
      ]);
      expect([0, 1]).toContain(r.code);
    }
  }, 60_000);

  it('keeps the version it replaces, refuses it damaged, and recovers it with the flag', async () => {
    writeFileSync(h, seeded);
    expect((await merge()).code).toBe(1);
    expect(readFileSync(`${h}.prev`, 'utf8')).toBe(seeded);
    const merged = readFileSync(h, 'utf8');
    expect(
      history(h)
        .buckets.map((b) => b.target)
        .sort(),
    ).toEqual(['model', TARGET]);
    const bad = merged.replace('"timesSeen": 4', '"timesSeen": 0');
    writeFileSync(h, bad);
    const refused = await merge();
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(
      new RegExp(
        `^vpdma: --history: history file ${h}: buckets\\[[01]\\]\\.timesSeen: expected a positive integer; vpdma will not overwrite it: the previous version is ${h}\\.prev \\(written [^)]*, 1 bucket\\): restore it with \`cp ${h}\\.prev ${h}\`, or run again with --history-recover`,
      ),
    );
    expect(readFileSync(h, 'utf8')).toBe(bad);
    const r = await merge('--history-recover');
    expect(r.code, r.err).toBe(1);
    const rec = report(join(dir, 'merged')).historyRecovered;
    expect(rec).toMatchObject({ file: h, from: `${h}.prev` });
    expect(rec?.reason).toMatch(/^buckets\[[01]\]\.timesSeen: expected a positive integer$/);
    expect(readFileSync(rec?.keptAs ?? '', 'utf8')).toBe(bad);
    expect(r.err).toContain(`vpdma merge: --history-recover: --history ${h} was damaged`);
    expect(r.out).toContain('history recovered (--history-recover): ');
    // From FILE.prev (the seeded history), with the merge folded in again.
    expect(
      history(h)
        .buckets.map((b) => [b.target, b.timesSeen])
        .sort(),
    ).toEqual([
      ['model', 4],
      [TARGET, 1],
    ]);
    expect(readFileSync(`${h}.prev`, 'utf8')).toBe(seeded);
  }, 60_000);
});
