// The nightly operator's case: a partial port (an emulator's kernel layer) fails some bundled
// corpus traces every night, in functions it does not implement yet, under `nightly --history H
// --fail-on new --replay bundled --replay vpdma-regressions/`. Each failing trace is judged as a
// finding is: new the first night (it fails the night), then open (known: green, <skipped> in
// junit.xml), fixed once every trace that failed so passes on a complete night, regressed when
// it comes back; a user's committed trace failing with a bug nothing had is new; and a merge of
// shards judges as one machine does. End to end: the real CLI against
// test/fixtures/partial-target.mjs, whose missing functions VPDMA_FIXTURE_MISSING names.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../../test/support/runCli.js';

const root = resolve(import.meta.dirname, '../..');
const TARGET = 'module:test/fixtures/partial-target.mjs';
const dir = mkdtempSync(join(tmpdir(), 'vpdma-trace-verdicts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  delete process.env['VPDMA_FIXTURE_MISSING'];
});

const COMMON = 'target-crashed/GetCommonBuffer/b8a02000';
const BANKED = 'target-crashed/MapBankedMemory/b8a02000';
const GET_COMMON = 'VideoPortGetCommonBuffer';
const BANK = 'VideoPortMapBankedMemory';
const bundled = (name: string): string => join(root, 'corpus', name);
/** The two bundled traces that call GetCommonBuffer and fail without it. */
const COMMON_TRACES = ['divergence-get-common-buffer-cap.jsonl', 'legacy-common-buffers.jsonl'];

interface Entry {
  trace: string;
  signature?: string;
  status?: string;
}
interface Report {
  startedAt: string;
  corpus: { traces: Entry[] };
  findings: unknown[];
  fixed: { signature: string }[];
  regressedByReplay?: { signature: string; trace: string }[];
}
interface Bucket {
  signature: string;
  firstSeen: string;
  lastSeen: string;
  timesSeen: number;
  traces?: string[];
  fixedSince?: string;
  regressedIn?: string;
}
interface Night {
  run: CliRun;
  report: Report;
  junit: string;
  sarif: string;
  html: string;
  buckets: Bucket[];
}

const read = (...p: string[]): string => readFileSync(join(...p), 'utf8');

/** [trace's file name, status, signature] of each failing trace the night judged. */
const judged = (r: Report): [string, string | undefined, string | undefined][] =>
  r.corpus.traces
    .filter((t) => t.status !== undefined)
    .map((t) => [basename(t.trace), t.status, t.signature]);

/** The corpus suite's opening tag: its counts (not its time). */
const corpusSuite = (junit: string): string =>
  (/<testsuite name="vpdma nightly: corpus"[^>]*>/.exec(junit)?.[0] ?? '').replace(
    / time="[^"]*"/,
    '',
  );

/** Runs `vpdma ARGS` with `missing` unimplemented and reads what it wrote into `out`. */
async function run(missing: string, out: string, history: string, args: string[]): Promise<Night> {
  process.env['VPDMA_FIXTURE_MISSING'] = missing;
  const r = await runCli(args);
  delete process.env['VPDMA_FIXTURE_MISSING'];
  const buckets = (): Bucket[] => {
    try {
      return (JSON.parse(read(history)) as { buckets: Bucket[] }).buckets;
    } catch {
      return [];
    }
  };
  return {
    run: r,
    report: JSON.parse(read(out, 'report.json')) as Report,
    junit: read(out, 'junit.xml'),
    sarif: read(out, 'results.sarif'),
    html: read(out, 'report.html'),
    buckets: buckets(),
  };
}

/** One night of the partial port in `home`: --runs 4 --calls-max 1 keep the fuzzer off it. */
function nightly(home: string, missing: string, more: string[], failOn = 'new'): Promise<Night> {
  const out = join(home, 'out');
  const history = join(home, 'history.json');
  return run(missing, out, history, [
    'nightly',
    ...['--target', TARGET, '--seed', '1', '--runs', '4', '--calls-max', '1', '--workers', '1'],
    ...['--out', out, '--history', history, '--fail-on', failOn, '--quiet', ...more],
  ]);
}

describe('a partial port, night after night, under --history --fail-on new', () => {
  const home = join(dir, 'week');
  const regress = join(home, 'vpdma-regressions');
  const mine = join(regress, 'banked.jsonl');
  const both = ['--replay', 'bundled', '--replay', regress];
  const week: Night[] = [];
  beforeAll(async () => {
    mkdirSync(regress, { recursive: true });
    // The user's own committed trace: MapBankedMemory, which the port implements, for now.
    copyFileSync(bundled('divergence-map-banked-memory.jsonl'), mine);
    week.push(await nightly(home, GET_COMMON, both));
    week.push(await nightly(home, GET_COMMON, both));
    // MapBankedMemory broken too: the user's trace fails with a bug nothing had.
    week.push(await nightly(home, `${GET_COMMON},${BANK}`, both));
    // Complete, but the night replays neither: the user's directory is not given, and
    // --disable leaves out the bundled traces calling GetCommonBuffer.
    week.push(await nightly(home, '', ['--replay', 'bundled', '--disable', GET_COMMON]));
    week.push(await nightly(home, '', both));
    week.push(await nightly(home, GET_COMMON, both));
  }, 240_000);

  it('night 1: the failing bundled traces are new, fail the night, and are recorded', () => {
    const { run: r, report, junit, buckets } = week[0]!;
    expect(report.findings).toEqual([]); // the corpus alone says it
    expect(r.code, r.err).toBe(1);
    expect(judged(report)).toEqual(COMMON_TRACES.map((t) => [t, 'new', COMMON]));
    expect(r.out).toContain(
      'corpus traces that failed (2 new, 0 open, 0 regressed), the first violation of each',
    );
    expect(r.out).toContain(
      `  [new] corpus:${COMMON_TRACES[1]!}:3 (call 1): target-crashed in ${GET_COMMON}: `,
    );
    expect(corpusSuite(junit)).toMatch(/ failures="0" errors="2">$/);
    expect(junit).toContain(`: not implemented: ${GET_COMMON} [new]"`);
    // Named the same wherever vpdma is installed (historyTraceName.ts).
    expect(buckets).toEqual([
      expect.objectContaining({
        signature: COMMON,
        timesSeen: 1,
        traces: COMMON_TRACES.map((t) => `corpus:${t}`),
      }),
    ]);
  });

  it('night 2: known (open), so green, and <skipped> "known: SIGNATURE" in junit.xml', () => {
    const { run: r, report, junit, sarif, html, buckets } = week[1]!;
    expect(r.code, r.err).toBe(0);
    expect(judged(report)).toEqual(COMMON_TRACES.map((t) => [t, 'open', COMMON]));
    expect(r.out).toContain(`  [open] corpus:${COMMON_TRACES[0]!}:3 (call 1): `);
    // The CI widget says what the exit code says: no failure, no error.
    expect(corpusSuite(junit)).toMatch(/ failures="0" errors="0" skipped="2"/);
    expect(junit.split(`<skipped message="known: ${COMMON}; --fail-on new`)).toHaveLength(3);
    expect(junit).toContain(`<system-out>status: open, signature: ${COMMON}\n\n`);
    expect(sarif).toContain('"baselineState": "unchanged"');
    expect(html).toContain(`<span class="status status-open" title="${COMMON}">open</span>`);
    expect(buckets[0]).toMatchObject({ signature: COMMON, timesSeen: 2 });
  });

  it("night 3: the user's own trace failing with a brand-new bug is new: the night fails", () => {
    const { run: r, report, buckets } = week[2]!;
    expect(r.code, r.err).toBe(1);
    expect(judged(report)).toContainEqual(['banked.jsonl', 'new', BANKED]);
    expect(judged(report)).toContainEqual([COMMON_TRACES[0], 'open', COMMON]);
    expect(r.out).toContain(`  [new] ${mine}:2 (call 0): target-crashed in ${BANK}: `);
    // The file keeps them sorted: the user's trace by its path as replayed (absolute here).
    expect(buckets.find((b) => b.signature === BANKED)?.traces).toEqual([
      mine,
      'corpus:divergence-map-banked-memory.jsonl',
    ]);
  });

  it('night 4: complete, but what failed was not replayed: nothing is fixed', () => {
    const { run: r, report, buckets } = week[3]!;
    expect(r.code, r.err).toBe(0);
    expect(judged(report)).toEqual([]);
    expect(report.fixed).toEqual([]);
    for (const b of buckets) expect(b, b.signature).not.toHaveProperty('fixedSince');
  });

  it('night 5: every trace that failed passes on a complete night: both are fixed', () => {
    const { run: r, report, junit, buckets } = week[4]!;
    expect(r.code, r.err).toBe(0);
    expect(report.fixed.map((f) => f.signature)).toEqual([COMMON, BANKED]);
    expect(r.out).toMatch(new RegExp(`\\n  \\[fixed\\] ${COMMON} \\(first seen \\S+, last seen`));
    expect(junit).toContain(
      `<testcase classname="findings" name="b8a02000 target-crashed ${GET_COMMON}">\n      <system-out>fixed: ${COMMON}`,
    );
    for (const b of buckets) expect(b, b.signature).toHaveProperty('fixedSince', report.startedAt);
  });

  it('night 6: back again, regressed: the night fails, and says so everywhere', () => {
    const { run: r, report, junit, sarif } = week[5]!;
    expect(r.code, r.err).toBe(1);
    expect(judged(report)).toEqual(COMMON_TRACES.map((t) => [t, 'regressed', COMMON]));
    expect(report.regressedByReplay?.map((x) => x.signature)).toEqual([COMMON]);
    expect(r.out).toContain(`  [regressed] corpus:${COMMON_TRACES[0]!}:3 (call 1): `);
    expect(r.out).toContain(
      `  [regressed] ${COMMON}: ${bundled(COMMON_TRACES[0]!)} failed with it`,
    );
    expect(junit).toContain(`: not implemented: ${GET_COMMON} [regressed]"`);
    expect(sarif).toContain('"status": "regressed"');
  });
});

describe('without --history, and under --fail-on any', () => {
  it('without --history every failing trace is new: --fail-on new fails the night', async () => {
    process.env['VPDMA_FIXTURE_MISSING'] = GET_COMMON;
    const out = join(dir, 'no-history');
    const r = await runCli([
      'nightly',
      ...['--target', TARGET, '--seed', '1', '--runs', '4', '--calls-max', '1'],
      ...['--workers', '1', '--out', out, '--fail-on', 'new', '--quiet'],
    ]);
    expect(r.code, r.err).toBe(1);
    const report = JSON.parse(read(out, 'report.json')) as Report;
    expect(report.findings).toEqual([]);
    expect(judged(report)).toEqual(COMMON_TRACES.map((t) => [t, 'new', COMMON]));
  });

  it('under --fail-on any a known trace fails the night, a failure in junit.xml as before', async () => {
    const home = join(dir, 'any');
    await nightly(home, GET_COMMON, [], 'any');
    const second = await nightly(home, GET_COMMON, [], 'any');
    expect(second.run.code).toBe(1);
    expect(judged(second.report)).toEqual(COMMON_TRACES.map((t) => [t, 'open', COMMON]));
    expect(corpusSuite(second.junit)).toMatch(/ failures="0" errors="2">$/);
    expect(second.junit).toContain(`: not implemented: ${GET_COMMON} [open]"`);
  });
});

describe('vpdma merge judges the failing traces as one machine does', () => {
  const home = join(dir, 'merge');
  const hWhole = join(home, 'whole-history.json');
  const hMerged = join(home, 'merged-history.json');
  const base = ['--target', TARGET, '--seed', '7', '--runs', '6', '--calls-max', '1'];
  const nights: [Night, Night][] = [];
  beforeAll(async () => {
    // Each night in --out directories of its own: every run fuzzes from the same corpus.
    for (const [i, missing] of [GET_COMMON, GET_COMMON, '', GET_COMMON].entries()) {
      const whole = join(home, `whole-${i}`);
      const one = await run(missing, whole, hWhole, [
        'nightly',
        ...base,
        ...['--workers', '1', '--out', whole, '--history', hWhole, '--fail-on', 'new', '--quiet'],
      ]);
      const shards = [1, 2].map((k) => join(home, `s${k}-${i}`));
      for (const [k, out] of shards.entries()) {
        process.env['VPDMA_FIXTURE_MISSING'] = missing;
        const s = await runCli([
          'nightly',
          ...base,
          ...['--workers', '1', '--shard', `${k + 1}/2`, '--out', out, '--fail-on', 'none'],
          '--quiet',
        ]);
        expect(s.code, s.err).toBe(0);
      }
      const merged = join(home, `merged-${i}`);
      const m = await run(missing, merged, hMerged, [
        'merge',
        ...shards,
        ...['--out', merged, '--history', hMerged, '--fail-on', 'new'],
      ]);
      nights.push([one, m]);
    }
  }, 240_000);

  /** A history's buckets with each run id as the number of the night that wrote it. */
  const normalized = (buckets: Bucket[], runIds: string[]): Bucket[] => {
    const n = (id: string | undefined): string | undefined =>
      id === undefined ? undefined : `night ${runIds.indexOf(id) + 1}`;
    return buckets.map((b) => ({
      ...b,
      firstSeen: n(b.firstSeen) ?? '',
      lastSeen: n(b.lastSeen) ?? '',
      ...(b.fixedSince === undefined ? {} : { fixedSince: n(b.fixedSince) ?? '' }),
      ...(b.regressedIn === undefined ? {} : { regressedIn: n(b.regressedIn) ?? '' }),
    }));
  };

  it('the same verdicts, exit codes, junit.xml counts and history, night after night', () => {
    expect(nights.map(([one]) => one.run.code)).toEqual([1, 0, 0, 1]);
    expect(nights.map(([one]) => judged(one.report).map(([, s]) => s))).toEqual([
      ['new', 'new'],
      ['open', 'open'],
      [],
      ['regressed', 'regressed'],
    ]);
    for (const [i, [one, m]] of nights.entries()) {
      expect(m.run.code, `night ${i + 1}: ${m.run.err}`).toBe(one.run.code);
      expect(judged(m.report), `night ${i + 1}`).toEqual(judged(one.report));
      const fixed = (n: Night): string[] => n.report.fixed.map((f) => f.signature);
      expect(fixed(m), `night ${i + 1}`).toEqual(fixed(one));
      expect(corpusSuite(m.junit), `night ${i + 1}`).toBe(corpusSuite(one.junit));
      const ids = (k: 0 | 1): string[] => nights.slice(0, i + 1).map((x) => x[k].report.startedAt);
      expect(normalized(m.buckets, ids(1)), `night ${i + 1}`).toEqual(
        normalized(one.buckets, ids(0)),
      );
    }
    expect(nights[2]?.[1].report.fixed.map((f) => f.signature)).toEqual([COMMON]);
  });
});
