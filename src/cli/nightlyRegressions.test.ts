// A fixed bug back, caught only by a replayed repro, is regressed that very night; a repro
// that fails another way reopens nothing. End to end: the real CLI, a week of --history nights
// against the C target, whose bug changes with VPDMA_C_FAULT behind one stable --target SPEC
// (a harness script reading the fault from a file, as a CI job building another videoprt).
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nightlyArgs } from '../../test/support/nightlyArgs.js';
import { runCli, type CliRun } from '../../test/support/runCli.js';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'vpdma-nightly-regressions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MEMORY = 'memory-corrupted/MapDmaMemory/b8a02000';
const NONNULL = 'map-dma-returned-non-null/MapDmaMemory/b8a02000';

interface Bucket {
  signature: string;
  traces?: string[];
  fixedSince?: string;
  regressedIn?: string;
}
interface Report {
  findings: { signature: string; status: string }[];
  fixed: { signature: string }[];
  stillFailing: string[];
  regressedByReplay?: { signature: string; trace: string; fixedSince?: string }[];
  reprosChanged?: { signature: string; now: { signature: string; status: string } }[];
  corpus: { traces: { trace: string; outcome: string; paranoid?: true }[] };
}

/** A harness in `home` running the C target with the fault `home/fault` names. */
function harness(home: string): string {
  mkdirSync(home, { recursive: true });
  const script = join(home, 'harness.sh');
  const bin = join(root, 'examples/c-target/vpdma-c-target');
  writeFileSync(script, `#!/bin/sh\nVPDMA_C_FAULT=$(cat "${home}/fault") exec "${bin}"\n`);
  chmodSync(script, 0o755);
  return `process:${script}`;
}

/**
 * The corpus the nights replay (--replay): one bundled trace the fault fails (memory-corrupted
 * at its MapDmaMemory), not all six. While that bucket is open, each trace it holds replays with
 * all memory compared through the protocol (fullChecks.ts): the six cost the file 20 s of CPU.
 */
function corpus(home: string): string {
  const traces = join(home, 'corpus');
  mkdirSync(traces, { recursive: true });
  cpSync(join(root, 'corpus/vga-io-ports.jsonl'), join(traces, 'vga-io-ports.jsonl'));
  return traces;
}

// One harness and one corpus for the file: the history keys a bucket by its --target, and
// names a trace by its path; the nights of both runs below go on from the same first night.
const TARGET = harness(dir);
const TRACES = corpus(dir);

/** A night's replayed traces: [earlier findings' repros, the rest]. */
function partition(traces: Report['corpus']['traces']): [typeof traces, typeof traces] {
  const repro = (t: (typeof traces)[number]): boolean => t.trace.includes('/findings/');
  return [traces.filter(repro), traces.filter((t) => !repro(t))];
}

function nights(home: string) {
  const out = join(home, 'out');
  const history = join(home, 'history.json');
  return {
    out,
    history,
    bucket: (signature: string): Bucket | undefined =>
      (JSON.parse(readFileSync(history, 'utf8')) as { buckets: Bucket[] }).buckets.find(
        (b) => b.signature === signature,
      ),
    /** One night with `fault`; `more` options (a small --calls-max keeps the fuzzer off it). */
    run: async (fault: string, seed: string, more: string[] = []): Promise<[CliRun, Report]> => {
      writeFileSync(join(dir, 'fault'), fault);
      const r = await runCli(nightlyArgs({ target: TARGET, seed, runs: 150, out, history }, more));
      return [r, JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report];
    },
    /** OUT and the history as `night` left them, as a CI job restores its cache. */
    restore: (night: { out: string; history: string }): void => {
      cpSync(night.out, out, { recursive: true });
      cpSync(night.history, history);
    },
  };
}

// Night 1, the bug found (300 cases, and its minimization): run once, for both runs below.
const first = nights(join(dir, 'first'));
let night1: [CliRun, Report];
let junit1: string;
beforeAll(async () => {
  night1 = await first.run('corrupt-on-mapdma', '1', ['--runs', '300', '--replay', TRACES]);
  junit1 = readFileSync(join(first.out, 'junit.xml'), 'utf8');
}, 120_000);

describe('a week of nights: fixed, a different bug, the old one back (only its repro sees it)', () => {
  const n = nights(join(dir, 'week'));
  const week: [CliRun, Report][] = [];
  const junit: string[] = [];
  const buckets: (Bucket | undefined)[] = [];
  const night = async (fault: string, seed: string, more: string[]): Promise<[CliRun, Report]> => {
    const r = await n.run(fault, seed, [...more, '--replay', TRACES]);
    junit.push(readFileSync(join(n.out, 'junit.xml'), 'utf8'));
    return r;
  };
  beforeAll(async () => {
    n.restore(first);
    week.push(night1);
    junit.push(junit1);
    // Fixed: --calls-max 1 too, as the fuzzer has no bug to find (what fixes it is the replay).
    week.push(await night('', '2', ['--calls-max', '1']));
    // Another bug: the repro of the fixed one fails, but not the way it did.
    week.push(await night('mapdma-nonnull', '3', ['--calls-max', '1']));
    buckets.push(n.bucket(MEMORY));
    // The first bug back, out of the fuzzer's reach: its repro alone catches it.
    week.push(await night('corrupt-on-mapdma', '4', ['--calls-max', '1']));
    buckets.push(n.bucket(MEMORY), n.bucket(NONNULL));
    week.push(await night('corrupt-on-mapdma', '5', ['--calls-max', '1']));
  }, 240_000);

  it('night 1 finds it, night 2 fixes it', () => {
    expect(week[0]?.[0].code).toBe(1);
    expect(week[0]?.[1].findings.map((f) => [f.signature, f.status])).toEqual([[MEMORY, 'new']]);
    expect(week[1]?.[0].code).toBe(0);
    expect(week[1]?.[1].fixed.map((f) => f.signature)).toEqual([MEMORY]);
    // What fixed it: its repro and the corpus trace the bucket holds, each replayed with all
    // memory compared (a sampled pass proves nothing).
    const [repro, rest] = partition(week[1]?.[1].corpus.traces ?? []);
    expect(repro.map((t) => [t.outcome, t.paranoid])).toEqual([['pass', true]]);
    expect(rest.map((t) => [basename(t.trace), t.outcome, t.paranoid])).toEqual([
      ['vga-io-ports.jsonl', 'pass', true],
    ]);
    // Named in the summary and, as a passing case under the finding's name, in junit.xml.
    expect(week[1]?.[0].out).toMatch(
      new RegExp(`\\n  \\[fixed\\] ${MEMORY} \\(first seen \\S+, last seen \\S+\\)\\n`),
    );
    expect(junit[1]).toMatch(
      /<testcase classname="findings" name="b8a02000 memory-corrupted VideoPortMapDmaMemory">\n {6}<system-out>fixed: memory-corrupted\/MapDmaMemory\/b8a02000 \(first seen /,
    );
  });

  it('night 3: "repro of X now fails with Y", and X stays fixed', () => {
    const [r, report] = week[2]!;
    expect(r.out).toContain(
      `  [changed] repro of ${MEMORY} now fails with ${NONNULL} [new]: map-dma-returned-non-null in VideoPortMapDmaMemory at call 1: `,
    );
    expect(report.reprosChanged?.map((c) => [c.signature, c.now.signature, c.now.status])).toEqual([
      [MEMORY, NONNULL, 'new'],
    ]);
    expect(report.stillFailing).toEqual([]);
    expect(r.out).not.toContain('[still failing]');
    expect(buckets[0]).toHaveProperty('fixedSince');
    expect(buckets[0]).not.toHaveProperty('regressedIn');
    expect(r.code).toBe(1); // map-dma-returned-non-null is new
  });

  it('night 4: its repro failing again is a regression that night (exit 1 under --fail-on new)', () => {
    const [r, report] = week[3]!;
    expect(report.findings.map((f) => f.signature)).not.toContain(MEMORY);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /findings: \d+ \(0 new, 0 open, 0 regressed\), 1 fixed, 1 regressed by a replayed trace/,
    );
    expect(r.out).toContain(
      `  [regressed] ${MEMORY}: its regression repro failed again (fixed since `,
    );
    expect(report.regressedByReplay?.map((x) => x.signature)).toEqual([MEMORY]);
    expect(report.regressedByReplay?.[0]?.trace).toContain(`findings/${MEMORY}/repro.`);
    expect(junit[3]).toContain(
      '<testcase classname="findings" name="b8a02000 memory-corrupted VideoPortMapDmaMemory">\n      <failure message="memory-corrupted (VideoPortMapDmaMemory) [regressed]: ',
    );
    expect(buckets[1]).not.toHaveProperty('fixedSince');
    expect(buckets[1]).toHaveProperty('regressedIn');
    // The bug of night 3 is fixed: the traces that showed it (the repro of the first, the corpus
    // trace) fail first with the first one now, but ran to their end listing none of it, an
    // obsolete-call kind, whose checks hold after the oracle stops (report/historyShows.ts).
    expect(report.fixed.map((f) => f.signature)).toEqual([NONNULL]);
    expect(buckets[2]).toHaveProperty('fixedSince');
    expect(buckets[2]?.traces).toContain(`findings/${MEMORY}/repro.jsonl`);
  });

  it('night 5: still there, open: exit 0', () => {
    const [r, report] = week[4]!;
    expect(r.out).toContain(
      `  [still failing] ${MEMORY}: its regression repro from an earlier run failed again`,
    );
    expect(report.regressedByReplay).toBeUndefined();
    expect(r.code).toBe(0);
  });
});

describe('a committed copy of a fixed repro, replayed with --replay, failing again', () => {
  const home = join(dir, 'committed');
  const n = nights(home);
  const regressions = join(home, 'vpdma-regressions');
  let back: [CliRun, Report];
  beforeAll(async () => {
    n.restore(first);
    mkdirSync(regressions);
    cpSync(join(n.out, 'findings', MEMORY, 'repro.txt'), join(regressions, 'mapdma-corrupts.txt'));
    await n.run('', '2', ['--calls-max', '1', '--replay', TRACES, regressions]);
    // The cache that held OUT/findings was evicted: only the committed copy is left.
    rmSync(join(n.out, 'findings'), { recursive: true });
    back = await n.run('corrupt-on-mapdma', '3', ['--calls-max', '1', '--replay', regressions]);
  }, 120_000);

  it('is the fixed finding regressed (exit 1 under --fail-on new)', () => {
    const [r, report] = back;
    expect(n.bucket(MEMORY)).not.toHaveProperty('fixedSince');
    expect(report.regressedByReplay).toEqual([
      expect.objectContaining({
        signature: MEMORY,
        trace: join(regressions, 'mapdma-corrupts.txt'),
      }),
    ]);
    expect(r.out).toContain(
      `  [regressed] ${MEMORY}: ${join(regressions, 'mapdma-corrupts.txt')} failed with it first (fixed since `,
    );
    expect(r.code).toBe(1);
  });
});
