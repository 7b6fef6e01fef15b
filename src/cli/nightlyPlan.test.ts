// Which traces a night replays first, and the findings an interrupted (or flaky) night left
// unminimized: not regressions, and gone once a later night ran to its end.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { nightlyFixture } from '../../test/support/reportFixtures.js';
import type { FindingStatus, NightlyReport } from '../report/nightlySchema.js';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  collectNightlyTraces,
  failsOnNew,
  originalsOnlyNote,
  removeFindings,
} from './nightlyPlan.js';
import { runCli } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-nightly-plan-'));
const TRACE = join('corpus', 'legacy-mapdma-flags.jsonl');

/** A finding directory as cli/findingFiles.ts writes it; finding.json only when `minimized` is given. */
function finding(out: string, signature: string, minimized?: boolean): string {
  const d = join(out, 'findings', ...signature.split('/'));
  mkdirSync(d, { recursive: true });
  for (const f of ['repro.jsonl', 'repro.txt', 'repro.vpt']) writeFileSync(join(d, f), 'x');
  if (minimized !== undefined)
    writeFileSync(join(d, 'finding.json'), JSON.stringify({ signature, minimized }));
  return d;
}

describe('collectNightlyTraces and removeFindings', () => {
  it('replays earlier minimized findings first, and lists the unminimized apart', async () => {
    const out = join(dir, 'collect');
    finding(out, 'k/A/11111111', true);
    const un = finding(out, 'k/B/22222222', false);
    finding(out, 'k/C/33333333'); // no finding.json: kept as a regression, not dropped on a guess
    const t = await collectNightlyTraces(out, [TRACE]);
    expect(t.files).toEqual([
      join(out, 'findings', 'k', 'A', '11111111', 'repro.jsonl'),
      join(out, 'findings', 'k', 'C', '33333333', 'repro.jsonl'),
      TRACE,
    ]);
    expect(t.unminimized).toEqual([un]);
    // A --replay of OUT itself does not give the unminimized repro back as a trace.
    const all = await collectNightlyTraces(out, [out]);
    expect(all.files).not.toContain(join(un, 'repro.jsonl'));
    // Nor a repro's .txt and .vpt beside its .jsonl: each finding is replayed once.
    expect(all.files).toEqual(t.files.slice(0, 2));
    expect(all.alternates.map((a) => a.skipped)).toContain(join(un, 'repro.txt'));
  });

  it('removes only the finding files, then the directories left empty, sparing those kept', async () => {
    const out = join(dir, 'remove');
    const a = finding(out, 'k/A/11111111', false);
    const b = finding(out, 'k/B/22222222', false);
    const noted = finding(out, 'k/B/33333333', false);
    writeFileSync(join(noted, 'notes.txt'), 'mine');
    const kept = finding(out, 'k/C/44444444', false);
    expect(await removeFindings(out, [a, b, noted, kept], new Set([resolve(kept)]))).toBe(3);
    expect(existsSync(join(out, 'findings', 'k', 'A')), 'emptied, so removed').toBe(false);
    expect(existsSync(b)).toBe(false);
    expect(readdirSync(noted)).toEqual(['notes.txt']);
    expect(readdirSync(kept).sort()).toEqual([
      'finding.json',
      'repro.jsonl',
      'repro.txt',
      'repro.vpt',
    ]);
    expect(existsSync(join(out, 'findings'))).toBe(true);
  });

  it('never removes a minimized repro, though listed as unminimized when the night began', async () => {
    const out = join(dir, 'remove-minimized');
    const listed = finding(out, 'k/A/11111111', false);
    // Rewritten minimized since the list was made (and not named in `keep`).
    finding(out, 'k/A/11111111', true);
    expect(await removeFindings(out, [listed], new Set())).toBe(0);
    expect(readdirSync(listed).sort()).toEqual([
      'finding.json',
      'repro.jsonl',
      'repro.txt',
      'repro.vpt',
    ]);
  });
});

describe('vpdma nightly after a night that left an unminimized finding', () => {
  it('neither reports it as still failing nor keeps it, and records no bucket for it', async () => {
    const out = join(dir, 'night');
    const history = join(dir, 'history.json');
    const night = (): ReturnType<typeof runCli> =>
      runCli([
        ...['nightly', '--target', 'mutant:drops-map-registers', '--runs', '20'],
        ...['--replay', TRACE, '--out', out, '--history', history, '--quiet'],
      ]);
    const first = await night();
    expect(first.code, first.err).toBe(1);
    // The night's real findings: the second night reports each again, open (it may find more).
    const real = (
      JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
        findings: { signature: string }[];
      }
    ).findings.map((f) => f.signature);
    // The bug as the night meets it first (an obsolete sibling in the watch since session 32).
    const found = join(out, 'findings', 'transfer-state-changed', 'SignalDmaComplete');
    const [hash] = readdirSync(found);
    // What an interrupted night leaves: a repro that fails, never minimized, a signature of
    // its own (here, the real finding's files under another hash).
    const stale = join(found, 'deadbeef');
    cpSync(join(found, hash ?? ''), stale, { recursive: true });
    const json = JSON.parse(readFileSync(join(stale, 'finding.json'), 'utf8')) as object;
    writeFileSync(join(stale, 'finding.json'), JSON.stringify({ ...json, minimized: false }));
    const second = await night();
    expect(second.code, second.err).toBe(1);
    expect(second.out).not.toContain('[still failing]');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      stillFailing: string[];
      findings: { signature: string; status: string }[];
      corpus: { traces: { trace: string }[] };
    };
    expect(report.stillFailing).toEqual([]);
    expect(report.corpus.traces.map((t) => t.trace)).not.toContain(join(stale, 'repro.jsonl'));
    expect(real).toContain(`transfer-state-changed/SignalDmaComplete/${hash ?? ''}`);
    const got = report.findings.map((f) => [f.signature, f.status]);
    for (const signature of real) expect(got).toContainEqual([signature, 'open']);
    expect(got.filter(([signature]) => signature?.includes('deadbeef'))).toEqual([]);
    expect(existsSync(stale), 'removed: it does not pile up night after night').toBe(false);
    expect(readdirSync(found)).toEqual([hash]);
    expect(readFileSync(history, 'utf8')).not.toContain('deadbeef');
    expect(second.err).toContain(
      `vpdma nightly: 1 unminimized finding of an earlier run in ${join(out, 'findings')} (interrupted first, or flaky): not replayed as a regression; removed once this night ends\n`,
    );
  });
});

describe('failsOnNew (--fail-on new)', () => {
  const open = nightlyFixture();
  const quiet = {
    ...open,
    findings: open.findings.map((f) => ({ ...f, status: 'open' as const })),
  };
  const changed = (status: FindingStatus): NightlyReport => ({
    ...quiet,
    reprosChanged: [
      {
        signature: 'memory-corrupted/MapDmaMemory/b8a02000',
        trace: 'out/findings/memory-corrupted/MapDmaMemory/b8a02000/repro.jsonl',
        now: {
          signature: 'map-dma-returned-non-null/MapDmaMemory/b8a02000',
          kind: 'map-dma-returned-non-null',
          fn: 'VideoPortMapDmaMemory',
          callIndex: 1,
          message: 'non-NULL',
          status,
        },
      },
    ],
  });

  it('fails on a new or regressed finding, a regression only a replay saw, and what a changed repro newly fails with', () => {
    expect(failsOnNew(quiet)).toBe(false);
    expect(failsOnNew(open)).toBe(true); // the fixture has a new and a regressed finding
    const regressed = {
      ...quiet,
      regressedByReplay: [
        {
          signature: 'memory-corrupted/MapDmaMemory/b8a02000',
          kind: 'memory-corrupted',
          fn: 'VideoPortMapDmaMemory',
          trace: 'regress/mapdma.txt',
          firstSeen: 'n1',
          fixedSince: 'n2',
        },
      ],
    };
    expect(failsOnNew(regressed)).toBe(true);
    expect(failsOnNew(changed('new'))).toBe(true);
    expect(failsOnNew(changed('regressed'))).toBe(true);
    expect(failsOnNew(changed('open'))).toBe(false);
  });

  it("fails on a failing corpus trace whose verdict is new or regressed, not on a known one's", () => {
    const judged = (status: FindingStatus): NightlyReport => ({
      ...quiet,
      corpus: {
        ...quiet.corpus,
        traces: quiet.corpus.traces.map((t) =>
          t.violations > 0 ? { ...t, signature: 'k/F/00000001', status } : t,
        ),
      },
    });
    expect(failsOnNew(judged('new'))).toBe(true);
    expect(failsOnNew(judged('regressed'))).toBe(true);
    expect(failsOnNew(judged('open'))).toBe(false);
  });
});

describe('vpdma nightly after a night killed outright', () => {
  it('says which originals it left, without replaying or removing them', async () => {
    // A night SIGKILLed (a CI job's timeout) leaves each bug it met as an original, written at
    // once, with no repro, no finding.json and no report: here, one copied from a real night.
    const out = join(dir, 'killed');
    const first = await runCli([
      ...['nightly', '--target', 'mutant:drops-map-registers', '--runs', '20'],
      ...['--replay', TRACE, '--out', out, '--quiet'],
    ]);
    expect(first.code, first.err).toBe(1);
    const found = join(out, 'findings', 'transfer-state-changed', 'SignalDmaComplete');
    const [hash] = readdirSync(found);
    const left = join(out, 'findings', 'transfer-state-changed', 'Killed', 'feedface');
    mkdirSync(left, { recursive: true });
    for (const f of ['original.txt', 'original.vpt'])
      cpSync(join(found, hash ?? '', f), join(left, f));
    const traces = await collectNightlyTraces(out, [TRACE]);
    expect(traces.originalsOnly).toEqual([join(left, 'original.vpt')]);
    expect(traces.files).not.toContain(join(left, 'original.vpt'));
    const next = await runCli([
      ...['nightly', '--target', 'model', '--runs', '1', '--replay', TRACE, '--out', out],
    ]);
    expect(next.err).toContain(
      `vpdma nightly: ${join(out, 'findings')} holds the original of a bug an earlier run met, killed before writing its finding (${join(left, 'original.vpt')}): not replayed as a regression, and kept until a run meets that bug again; \`vpdma replay ${join(left, 'original.vpt')} --target model\` shows it\n`,
    );
    expect(readdirSync(left).sort()).toEqual(['original.txt', 'original.vpt']);
  });
});

describe("vpdma nightly after a merge that copied a killed shard's originals", () => {
  it('counts original-shard-K-of-N as an original with nothing beside it, not a regression', async () => {
    const out = join(dir, 'merged-out');
    const lost = join(out, 'findings', 'k', 'Lost', '0000000a');
    const beside = join(out, 'findings', 'k', 'Beside', '0000000b');
    mkdirSync(lost, { recursive: true });
    mkdirSync(beside, { recursive: true });
    for (const f of ['original-shard-2-of-3.txt', 'original-shard-2-of-3.vpt'])
      writeFileSync(join(lost, f), 'x');
    // Beside a later night's finding of that bug: that finding's, not an original alone.
    for (const f of ['original-shard-1-of-3.vpt', 'finding.json'])
      writeFileSync(join(beside, f), '{}');
    // A name merge does not write is no original.
    writeFileSync(join(out, 'findings', 'k', 'original-notes.vpt'), 'x');
    const traces = await collectNightlyTraces(out, [TRACE]);
    expect(traces.originalsOnly).toEqual([join(lost, 'original-shard-2-of-3.vpt')]);
    expect(traces.files).not.toContain(join(lost, 'original-shard-2-of-3.vpt'));
  });

  it("names a killed shard's repro carried beside its original, the one to replay", async () => {
    const out = join(dir, 'merged-out-repro');
    const lost = join(out, 'findings', 'k', 'Lost', '0000000c');
    mkdirSync(lost, { recursive: true });
    for (const f of ['original-shard-2-of-3.vpt', 'repro-shard-2-of-3.jsonl'])
      writeFileSync(join(lost, f), 'x');
    const traces = await collectNightlyTraces(out, [TRACE]);
    expect(traces.originalsOnly).toEqual([join(lost, 'repro-shard-2-of-3.jsonl')]);
    expect(traces.files).not.toContain(join(lost, 'repro-shard-2-of-3.jsonl'));
    expect(originalsOnlyNote(out, traces.originalsOnly, 'model')).toContain(
      `holds the minimized repro of a bug a shard met before it was killed, carried by vpdma merge (${join(lost, 'repro-shard-2-of-3.jsonl')}): not replayed as a regression`,
    );
  });
});
